import { afterEach, describe, expect, it } from 'vitest';
import { buildMemoryApp, bearer } from './support/memory-app.js';
import { routeFromQgc } from '../cloud/missions/qgc-plan.js';

type Built = Awaited<ReturnType<typeof buildMemoryApp>>;
let built: Built | undefined;
afterEach(async () => {
  await built?.app.close();
  built = undefined;
});

async function planned() {
  built = await buildMemoryApp();
  const tech = await bearer(built.app, 'kythuat');
  // the 10 L demo drone needs several sorties for a 2 ha field
  const m = (
    await built.app.inject({
      method: 'POST',
      url: '/api/v1/missions',
      headers: tech,
      payload: { fieldId: 'field-farm-dai-an-1', droneId: 'drone-10l', productId: 'tricyclazole' },
    })
  ).json();
  const get = (url: string) => built!.app.inject({ url, headers: tech });
  return { m, tech, get };
}

describe('mission exports', () => {
  it('lets nothing be downloaded before approval', async () => {
    const { m, get } = await planned();
    expect(m.metrics.sorties).toBeGreaterThan(1);
    expect((await get(`/api/v1/missions/${m.id}/exports`)).json()).toEqual({ approved: false, files: [] });
    for (const f of ['geojson', 'kml', 'plan?sortie=1', 'plan?sortie=1&firmware=ardupilot']) {
      const res = await get(`/api/v1/missions/${m.id}/export.${f}`);
      expect(res.statusCode, f).toBe(409);
      expect(res.json().error).toBe('MISSION_NOT_APPROVED');
    }
  });

  it('lists every sortie of an approved mission for each firmware, each file naming sortie k of n', async () => {
    const { m, tech, get } = await planned();
    await built!.app.inject({ method: 'POST', url: `/api/v1/missions/${m.id}/approve`, headers: tech });
    const list = (await get(`/api/v1/missions/${m.id}/exports`)).json();
    const n = m.metrics.sorties;
    expect(list.approved).toBe(true);
    const plans = list.files.filter((f: { format: string }) => f.format === 'plan');
    expect(plans).toHaveLength(2 * n);
    expect(
      list.files.filter((f: { sortie: number | null }) => f.sortie === null).map((f: { format: string }) => f.format),
    ).toEqual(['geojson', 'kml']);
    let sprayLegs = 0;
    for (const f of plans) {
      expect(f.name).toMatch(new RegExp(`-sortie-${f.sortie}-of-${n}-${f.firmware}\\.plan$`));
      expect(f.sorties).toBe(n);
      const res = await get(f.url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain(f.name);
      const file = res.json();
      expect(file.mission.firmwareType).toBe(f.firmware === 'px4' ? 12 : 3);
      const pump = f.firmware === 'px4' ? 187 : 216;
      expect(file.mission.items.some((i: { command: number }) => i.command === pump)).toBe(true);
      expect(
        file.mission.items.some((i: { command: number }) => i.command === (f.firmware === 'px4' ? 216 : 187)),
      ).toBe(false);
      if (f.firmware === 'px4') sprayLegs += routeFromQgc(file).legs.filter((l) => l.spray).length;
    }
    // the sortie files together fly every pass of the mission
    expect(sprayLegs).toBe(m.legs.filter((l: { kind: string }) => l.kind === 'spray').length);
  });

  it('asks which sortie a multi-sortie .plan is for, and refuses one the mission does not have', async () => {
    const { m, tech, get } = await planned();
    await built!.app.inject({ method: 'POST', url: `/api/v1/missions/${m.id}/approve`, headers: tech });
    const res = await get(`/api/v1/missions/${m.id}/export.plan`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'SORTIE_REQUIRED', params: { sorties: m.metrics.sorties } });
    const none = await get(`/api/v1/missions/${m.id}/export.plan?sortie=${m.metrics.sorties + 1}`);
    expect(none.json()).toMatchObject({
      error: 'SORTIE_NOT_FOUND',
      params: { sortie: m.metrics.sorties + 1, sorties: m.metrics.sorties },
    });
    expect((await get(`/api/v1/missions/${m.id}/export.geojson`)).statusCode).toBe(200);
    // reopened: a draft again, nothing to fly
    await built!.app.inject({ method: 'POST', url: `/api/v1/missions/${m.id}/reopen`, headers: tech });
    expect((await get(`/api/v1/missions/${m.id}/export.plan?sortie=1`)).statusCode).toBe(409);
  });
});
