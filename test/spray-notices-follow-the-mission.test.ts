import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MissionStatus, topics } from '../protocol/index.js';
import { bearer, demoFields, DEMO_FARMS } from './support/memory-app.js';
import { buildMissionApp } from './support/mission-app.js';
import { Neighbourhood, sprayNotices } from '../flows/nodes/src/spray-neighbours.js';
import { NotifyGate } from '../flows/nodes/src/notify-gate.js';

const shipped = Neighbourhood.parse(
  JSON.parse(readFileSync(new URL('../flows/config/neighbours.json', import.meta.url), 'utf8')),
);

describe('spray notices follow the mission', () => {
  it('ships demo neighbours of every kind around the demo fields', () => {
    for (const f of demoFields(DEMO_FARMS)) {
      const t = 1_764_300_000_000;
      const status = MissionStatus.parse({
        missionId: 'm1',
        status: 'approved',
        ts: t,
        field: f.boundary,
        window: { start: t + 3_600_000, end: t + 7_200_000 },
      });
      const { farms, loudspeaker } = sprayNotices(status, shipped, 2000, 0, t);
      expect(new Set(farms.map((n) => n.farm.kind))).toEqual(new Set(['bees', 'fish', 'shrimp', 'houses']));
      expect(farms.map((n) => n.farm.id)).not.toContain('ao-tom-ong-bay');
      expect(loudspeaker!.hamlets.length).toBeGreaterThan(0);
    }
  });

  it('cancels on reopen and announces the new window on re-approval, past the 24 h de-duplication', async () => {
    let now = 1_764_300_000_000;
    const built = await buildMissionApp({ clock: { now: () => now } });
    try {
      const tech = await bearer(built.app, 'kythuat');
      const post = (url: string, payload?: object) =>
        built.app.inject({ method: 'POST', url, headers: tech, ...(payload ? { payload } : {}) });
      const id = (
        await post('/api/v1/missions', {
          fieldId: 'field-farm-dai-an-1',
          droneId: 'drone-10l',
          productId: 'tricyclazole',
        })
      ).json().id as string;
      const first = { start: now + 3_600_000, end: now + 7_200_000 };
      expect((await post(`/api/v1/missions/${id}/approve`, { windMps: 2, window: first })).json().noticePublished).toBe(
        true,
      );
      now += 600_000;
      await post(`/api/v1/missions/${id}/reopen`, { note: 'mưa' });
      now += 600_000;
      const second = { start: now + 86_400_000, end: now + 90_000_000 };
      await post(`/api/v1/missions/${id}/approve`, { windMps: 2, window: second });
      const sent = built.published
        .filter((p) => p.topic === topics.missionStatus(id))
        .map((p) => MissionStatus.parse(JSON.parse(p.payload)));
      expect(sent.map((s) => s.status)).toEqual(['approved', 'cancelled', 'approved']);
      expect(sent[1]!.window).toEqual(first); // the cancellation names the window it cancels
      expect(sent[2]!.window).toEqual(second);
      // through the flows' gate (24 h de-dup): every one of the three reaches the bee farm
      const gate = new NotifyGate({ dedupWindowMs: 86_400_000, rateMax: 1000, rateWindowMs: 3_600_000 });
      const heard = sent
        .map((s) => sprayNotices(s, shipped, 2000, 3_600_000, s.ts).farms.find((f) => f.farm.kind === 'bees')!)
        .filter((n, i) => gate.check(n.key, n.farm.id, sent[i]!.ts).pass);
      expect(heard.map((n) => n.status)).toEqual(['approved', 'cancelled', 'approved']);
      // and the same approval delivered twice is heard once
      const dup = sprayNotices(sent[2]!, shipped, 2000, 0, now).farms[0]!;
      expect(gate.check(dup.key, dup.farm.id, now + 1).pass).toBe(false);
    } finally {
      await built.close();
    }
  });
});
