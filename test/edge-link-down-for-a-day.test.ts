import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Uplink } from '../edge/uplink/index.js';
import { minutes, type Clock } from '../lib/time.js';
import { services } from './support/services.js';
import { startMosquitto, type MosquittoServer } from './support/mosquitto.js';
import { Watcher, tally } from './support/uplink-watch.js';

const ok = await services.mosquittoBinary();
const gatewayId = `t-day-${randomBytes(4).toString('hex')}`;
const SENSORS = 32;
const DRAIN_PER_SECOND = 40;

describe.skipIf(!ok)('link down for a simulated day, then back', () => {
  let broker: MosquittoServer;
  let dataDir: string;
  beforeAll(async () => {
    broker = await startMosquitto({ users: { [gatewayId]: 'gw-pass', cloud: 'cloud-pass' } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplink-day-'));
  });
  afterAll(async () => {
    await broker?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds a day of 32 sensors on disk, then drains it in order at the capped rate while fresh data flows', async () => {
    let now = Date.UTC(2026, 1, 10, 0, 0);
    const clock: Clock = { now: () => now };
    const minuteOfReadings = () =>
      Array.from({ length: SENSORS }, (_, i) => ({
        sensor: `s${i}`,
        metric: 'water_level',
        value: -(i % 20),
        unit: 'cm',
        ts: now,
      }));
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
      batch: { maxReadings: 500, maxDelayMs: 50 },
      queue: { drainPerSecond: DRAIN_PER_SECOND },
      reconnect: { minMs: 100, maxMs: 300 },
    });
    up.start();
    await new Promise<void>((r) => up.once('connected', r));

    const down = new Promise<void>((r) => up.once('disconnected', r));
    await broker.stop();
    await down;
    let produced = 0;
    // one reading per sensor per minute, for a day; handed over five minutes at a time because
    // every publishReadings is an fsync and this suite must stay fast on a shared machine
    for (let m = 0; m < 24 * 60; m += 5) {
      const five = Array.from({ length: 5 }, () => {
        now += minutes(1);
        return minuteOfReadings();
      }).flat();
      up.publishReadings(five);
      produced += five.length;
    }
    expect(up.stats().queued).toBe(produced);
    expect(up.stats().dropped).toBe(0);
    const diskBytes = up.stats().diskBytes;
    expect(diskBytes).toBeLessThan(20 * 1024 * 1024); // a day of 32 sensors: ~5 MB of JSON plus the WAL

    // listen before the broker is up: the uplink may reconnect at once
    const back = new Promise<number>((r) => up.once('connected', () => r(Date.now())));
    await broker.start();
    const reconnectedAt = await back;
    const backlogSeqs = up.stats().seq; // the outage's messages are seq 0 … backlogSeqs-1
    // fresh data keeps flowing while the backlog drains
    const fresh = setInterval(() => {
      now += minutes(1);
      up.publishReadings(minuteOfReadings());
      produced += SENSORS;
    }, 50);
    try {
      const backlogKeys = Array.from({ length: backlogSeqs }, (_, i) => `${up.bootId}:${i}`);
      await watch.until(
        () => {
          const got = watch.telemetryKeys();
          return backlogKeys.every((k) => got.has(k));
        },
        30_000,
        'the backlog',
      );
    } finally {
      clearInterval(fresh);
    }
    up.flush();
    const lastSeq = up.stats().seq - 1;
    await watch.until(() => watch.telemetryKeys().size === lastSeq + 1, 10_000, 'every message');

    const t = tally(watch.seen);
    expect(t.readings.size).toBe(produced);
    expect(t.duplicateReadings).toBe(0);
    expect(t.duplicateMessages).toBe(0);
    expect(t.seqGaps.map((g) => g.missing)).toEqual([[]]);
    const arrivals = watch.on('telemetry').filter((s) => !s.dup);
    const backlog = arrivals.filter((s) => s.payload.seq < backlogSeqs);
    // drained oldest first
    expect(backlog.map((s) => s.payload.seq)).toEqual([...Array(backlogSeqs).keys()]);
    // not faster than the cap (the token bucket starts with one second's worth)
    const drainMs = backlog.at(-1)!.at - reconnectedAt;
    expect(drainMs).toBeGreaterThanOrEqual(((backlogSeqs - DRAIN_PER_SECOND) / DRAIN_PER_SECOND) * 1000 * 0.9);
    // fresh data was not starved: some arrived while the backlog was still draining
    const firstFresh = arrivals.find((s) => s.payload.seq >= backlogSeqs);
    expect(firstFresh!.at).toBeLessThan(backlog.at(-1)!.at);
    console.info(
      `a day offline: ${backlogSeqs} messages (${24 * 60 * SENSORS} readings) drained in ${drainMs} ms at ≤ ${DRAIN_PER_SECOND} msg/s; ${(diskBytes / 1e6).toFixed(1)} MB on disk`,
    );
    await up.stop();
    await watch.close();
  }, 60_000);
});
