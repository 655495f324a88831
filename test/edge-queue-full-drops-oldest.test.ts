import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Uplink } from '../edge/uplink/index.js';
import { GatewayEvent, Telemetry } from '../protocol/index.js';
import { seconds, type Clock } from '../lib/time.js';
import { services } from './support/services.js';
import { startMosquitto, type MosquittoServer } from './support/mosquitto.js';
import { Watcher } from './support/uplink-watch.js';

const ok = await services.mosquittoBinary();
const gatewayId = `t-full-${randomBytes(4).toString('hex')}`;

describe.skipIf(!ok)('queue full while the link is down', () => {
  let broker: MosquittoServer;
  let dataDir: string;
  beforeAll(async () => {
    broker = await startMosquitto({ users: { [gatewayId]: 'gw-pass', cloud: 'cloud-pass' } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplink-full-'));
  });
  afterAll(async () => {
    await broker?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('drops the oldest readings, keeps the newest, and reports the count as queue_dropped events', async () => {
    let now = Date.UTC(2026, 2, 1);
    const clock: Clock = { now: () => now };
    const watch = await Watcher.open(broker.url, gatewayId, {
      username: 'cloud',
      password: 'cloud-pass',
      clientId: `cloud-${gatewayId}`,
      clean: false,
    });
    const up = new Uplink({
      gatewayId,
      url: broker.url,
      username: gatewayId,
      password: 'gw-pass',
      dataDir,
      fw: 'test/1',
      clock,
      batch: { maxReadings: 100, maxDelayMs: 50 },
      queue: { capacityReadings: 1000, drainPerSecond: 1000, dropReportIntervalMs: 60_000 },
      reconnect: { minMs: 100, maxMs: 300 },
    });
    up.start();
    await new Promise<void>((r) => up.once('connected', r));
    const down = new Promise<void>((r) => up.once('disconnected', r));
    await broker.stop();
    await down;

    const PRODUCED = 2500;
    for (let i = 0; i < PRODUCED; i += 100) {
      now += seconds(10);
      up.publishReadings(
        Array.from({ length: 100 }, (_, k) => ({
          sensor: 'wl1',
          metric: 'water_level',
          value: i + k,
          unit: 'cm',
          ts: now + k,
        })),
      );
    }
    const dropped = up.stats().dropped;
    expect(dropped).toBeGreaterThanOrEqual(PRODUCED - 1000);
    expect(up.stats().queued).toBeLessThanOrEqual(1000);

    now += seconds(61); // the next report is due: the drops since the first report are summed in it
    const back = new Promise<void>((r) => up.once('connected', r)); // before start: the uplink may reconnect at once
    await broker.start();
    await back;
    await watch.until(() => up.stats().queued === 0, 10_000, 'the queue to drain');
    now += seconds(61);
    up.flush(); // reports a drop the last report itself caused, if any
    const finalDropped = up.stats().dropped;
    const events = () =>
      watch
        .on('event')
        .filter((s) => !s.dup)
        .map((s) => GatewayEvent.parse(s.payload))
        .filter((e) => e.kind === 'queue_dropped');
    await watch.until(
      () => events().at(-1)?.data?.droppedReadingsTotal === finalDropped,
      10_000,
      'a report of every drop',
    );

    const reports = events();
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports[0]!.severity).toBe('warning');
    expect(reports.every((e) => Number(e.data?.droppedReadings) > 0 && e.bootId === up.bootId)).toBe(true);
    // the received telemetry is exactly the newest readings: produced minus the dropped count
    const values = watch
      .on('telemetry')
      .filter((s) => !s.dup)
      .flatMap((s) => Telemetry.parse(s.payload).readings.map((r) => r.value));
    expect(values).toEqual(Array.from({ length: PRODUCED - finalDropped }, (_, k) => finalDropped + k));
    await up.stop();
    await watch.close();
  }, 60_000);
});
