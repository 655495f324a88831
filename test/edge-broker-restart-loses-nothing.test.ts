import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Uplink } from '../edge/uplink/index.js';
import { services } from './support/services.js';
import { startMosquitto, type MosquittoServer } from './support/mosquitto.js';
import { Watcher, producedIds, tally } from './support/uplink-watch.js';

const ok = await services.mosquittoBinary();
const gatewayId = `t-brk-${randomBytes(4).toString('hex')}`;
const SENSORS = 32;
const TS_BASE = 1_764_288_000_000;

describe.skipIf(!ok)('broker restarted mid-stream', () => {
  let broker: MosquittoServer;
  let dataDir: string;
  beforeAll(async () => {
    broker = await startMosquitto({ users: { [gatewayId]: 'gw-pass', cloud: 'cloud-pass' } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplink-brk-'));
  });
  afterAll(async () => {
    await broker?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every reading exactly once, with no seq gap, across a broker restart', async () => {
    // the cloud side keeps a persistent session, as the ingest does
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
      batch: { maxReadings: 64, maxDelayMs: 20 },
      queue: { drainPerSecond: 2000 },
      reconnect: { minMs: 100, maxMs: 400 },
    });
    up.start();
    let tick = 0;
    const producer = setInterval(() => {
      up.publishReadings(
        Array.from({ length: SENSORS }, (_, i) => ({
          sensor: `s${i}`,
          metric: 'counter',
          value: tick,
          unit: 'n',
          ts: TS_BASE + tick * 1000,
        })),
      );
      tick++;
    }, 5);
    try {
      await watch.until(() => watch.on('telemetry').length > 20, 10_000, 'traffic before the restart');
      const disconnected = new Promise<void>((r) => up.once('disconnected', r));
      await broker.stop('SIGTERM');
      await disconnected;
      const ticksAtStop = tick;
      await new Promise((r) => setTimeout(r, 700));
      expect(up.stats().queued).toBeGreaterThan(0); // kept on disk while the broker was gone
      const back = new Promise<void>((r) => up.once('connected', r)); // before start: the uplink may reconnect at once
      await broker.start();
      await back;
      expect(tick).toBeGreaterThan(ticksAtStop);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      clearInterval(producer);
    }
    up.flush();
    const expected = producedIds([...Array(tick).keys()], SENSORS, TS_BASE);
    await watch.until(() => tally(watch.seen).readings.size >= expected.length, 20_000, 'every reading');
    await watch.until(() => up.stats().queued === 0, 5000, 'queue empty');
    const t = tally(watch.seen);
    const missing = expected.filter((id) => !t.readings.has(id));
    expect(missing).toEqual([]);
    expect(t.duplicateReadings).toBe(0);
    expect(t.duplicateMessages).toBe(0);
    expect(t.seqGaps).toEqual([{ bootId: up.bootId, max: up.stats().seq - 1, missing: [] }]);
    expect(up.stats().dropped).toBe(0);
    await up.stop();
    await watch.close();
  }, 60_000);
});
