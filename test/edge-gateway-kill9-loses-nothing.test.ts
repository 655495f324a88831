import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { topics } from '../protocol/index.js';
import { services } from './support/services.js';
import { Watcher, producedIds, tally } from './support/uplink-watch.js';
import { UplinkChild } from './support/uplink-child-runner.js';

const ok = await services.mosquitto();
const URL = 'mqtt://127.0.0.1:1883';
const gatewayId = `t-kill-${randomBytes(4).toString('hex')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplink-kill-'));
const SENSORS = 8;
const RUN1 = 1_764_288_000_000;
const RUN2 = RUN1 + 1_000_000_000; // the restarted counter's readings have other identities
const children: UplinkChild[] = [];

afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (ok) {
    const c = await mqtt.connectAsync(URL);
    await c.publishAsync(topics.state(gatewayId), '', { retain: true, qos: 1 });
    await c.endAsync();
  }
});

describe.skipIf(!ok)('gateway killed with kill -9 mid-stream and restarted', () => {
  it('delivers every reading accepted before the kill; replays keep their bootId/seq', async () => {
    const watch = await Watcher.open(URL, gatewayId);
    const common = { gatewayId, url: URL, dataDir, sensors: SENSORS, tickMs: 4, maxReadings: 64, maxDelayMs: 30 };
    const first = UplinkChild.spawn({ ...common, tsBase: RUN1 });
    children.push(first);
    await first.until(() => first.produced >= 150 && watch.on('telemetry').length >= 5, 20_000, 'first run traffic');
    await first.kill('SIGKILL');
    const acceptedBeforeKill = first.produced;
    // the broker publishes the last will of the killed process
    await watch.until(
      () => watch.on('state').some((s) => s.payload?.online === false && s.payload?.bootId === first.bootId),
      10_000,
      'last will',
    );

    const second = UplinkChild.spawn({ ...common, tsBase: RUN2 });
    children.push(second);
    await second.until(() => second.produced >= 100, 20_000, 'second run traffic');
    await second.kill('SIGTERM'); // clean stop: seals what is pending, waits for PUBACKs, says offline
    expect(await second.exited).toBe(0);
    await watch.until(
      () => watch.on('state').some((st) => st.payload?.online === false && st.payload?.bootId === second.bootId),
      10_000,
      'offline state of the clean stop',
    );
    // what the clean stop did not get out stays on disk for the next start to send
    const third = UplinkChild.spawn({ ...common, tsBase: RUN2 + 1_000_000_000, tickMs: 1_000_000 });
    children.push(third);
    const expected = [
      ...producedIds([...Array(acceptedBeforeKill + 1).keys()], SENSORS, RUN1),
      ...producedIds([...Array(second.produced + 1).keys()], SENSORS, RUN2),
    ];
    await watch.until(
      () => {
        const t = tally(watch.seen);
        return expected.every((id) => t.readings.has(id));
      },
      40_000,
      'every accepted reading',
    );
    await third.kill('SIGTERM');
    await watch.close();

    const t = tally(watch.seen);
    expect(expected.filter((id) => !t.readings.has(id))).toEqual([]);
    // every boot's seq runs 0..max without a gap
    for (const g of t.seqGaps) expect(g.missing).toEqual([]);
    expect(t.bootSeqs.has(first.bootId) && t.bootSeqs.has(second.bootId)).toBe(true);
    // a reading seen twice only ever arrives inside a replayed message (same bootId and seq,
    // same content): the killed process had sent it but not yet deleted it after its PUBACK
    const copies = new Map<string, string[]>();
    for (const s of watch.on('telemetry')) {
      const key = `${s.payload.bootId}:${s.payload.seq}`;
      copies.set(key, [...(copies.get(key) ?? []), JSON.stringify(s.payload)]);
    }
    const replayed = [...copies.entries()].filter(([, c]) => c.length > 1);
    for (const [, c] of replayed) expect(new Set(c).size).toBe(1);
    const readingsInReplays = replayed.reduce((n, [, c]) => n + (c.length - 1) * JSON.parse(c[0]!).readings.length, 0);
    expect(t.duplicateReadings).toBe(readingsInReplays);
    // (a clean stop waits up to 3 s for its PUBACKs, so on a loaded machine its in-flight may replay too)
    expect(replayed.every(([key]) => key.startsWith(`${first.bootId}:`) || key.startsWith(`${second.bootId}:`))).toBe(
      true,
    );
    // bounded by what can be unacknowledged-on-disk at a kill: the in-flight window + one delete batch
    expect(replayed.length).toBeLessThanOrEqual(32 + 256);
    console.info(
      `kill -9: ${acceptedBeforeKill + 1} ticks accepted before the kill, ${replayed.length} messages replayed after restart`,
    );
  }, 90_000);
});
