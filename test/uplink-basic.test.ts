import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { Uplink } from '../edge/uplink/index.js';
import { GatewayEvent, GatewayState, Telemetry, topics, type GatewayConfig } from '../protocol/index.js';
import { fixture } from '../protocol/fixtures/index.js';
import { services } from './support/services.js';
import { Watcher } from './support/uplink-watch.js';

const ok = await services.mosquitto();
const URL = 'mqtt://127.0.0.1:1883';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function newGateway() {
  const gatewayId = `t-basic-${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplink-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => clearRetained(gatewayId));
  return { gatewayId, dataDir };
}
async function clearRetained(gatewayId: string) {
  const c = await mqtt.connectAsync(URL);
  await c.publishAsync(topics.state(gatewayId), '', { retain: true, qos: 1 });
  await c.endAsync();
}
const reading = (i: number) => ({
  sensor: `s${i % 32}`,
  metric: 'soil_moisture',
  value: i,
  unit: '%VWC',
  ts: 1_764_288_000_000 + i * 1000,
});

describe.skipIf(!ok)('uplink against the system Mosquitto', () => {
  it('announces itself with a retained birth and says offline on a clean stop', async () => {
    const { gatewayId, dataDir } = newGateway();
    const watch = await Watcher.open(URL, gatewayId);
    cleanups.push(() => watch.close());
    const up = new Uplink({
      gatewayId,
      url: URL,
      dataDir,
      fw: 'test/1',
      configVersion: 7,
      inventory: { sensors: [{ sensor: 's1', metric: 'water_level', unit: 'cm' }], valves: [] },
    });
    up.start();
    await watch.until(() => watch.on('state').length >= 1, 5000, 'birth');
    const birth = GatewayState.parse(watch.on('state')[0]!.payload);
    expect(birth).toMatchObject({ online: true, bootId: up.bootId, fw: 'test/1', configVersion: 7 });
    expect(birth.inventory?.sensors[0]?.sensor).toBe('s1');
    await up.stop();
    await watch.until(() => watch.on('state').length >= 2, 5000, 'offline state');
    expect(watch.on('state')[1]!.payload).toMatchObject({ online: false, bootId: up.bootId });
    // retained: a late subscriber sees the last state
    const late = await Watcher.open(URL, gatewayId);
    cleanups.push(() => late.close());
    await late.until(() => late.on('state').length === 1, 5000, 'retained state');
    expect(late.on('state')[0]!.retain).toBe(true);
  });

  it('batches readings by count with bootId and a seq that grows by one', async () => {
    const { gatewayId, dataDir } = newGateway();
    const watch = await Watcher.open(URL, gatewayId);
    cleanups.push(() => watch.close());
    const up = new Uplink({
      gatewayId,
      url: URL,
      dataDir,
      fw: 'test/1',
      batch: { maxReadings: 100, maxDelayMs: 60_000 },
    });
    up.start();
    cleanups.push(() => up.stop());
    await new Promise<void>((r) => up.once('connected', r));
    for (let i = 0; i < 1000; i += 50) up.publishReadings(Array.from({ length: 50 }, (_, k) => reading(i + k)));
    await watch.until(() => watch.on('telemetry').length >= 10, 10_000, 'ten telemetry messages');
    const msgs = watch.on('telemetry').map((s) => Telemetry.parse(s.payload));
    expect(msgs.map((m) => m.seq)).toEqual([...Array(10).keys()]);
    expect(msgs.every((m) => m.bootId === up.bootId && m.readings.length === 100)).toBe(true);
    expect(msgs.flatMap((m) => m.readings.map((r) => r.value))).toEqual([...Array(1000).keys()]);
    await watch.until(() => up.stats().queued === 0, 5000, 'queue empty');
    expect(up.stats()).toMatchObject({ queued: 0, sent: 10, sentReadings: 1000, dropped: 0, connected: true });
  });

  it('closes a batch after maxDelayMs and publishes events with their own seq', async () => {
    const { gatewayId, dataDir } = newGateway();
    const watch = await Watcher.open(URL, gatewayId);
    cleanups.push(() => watch.close());
    const up = new Uplink({ gatewayId, url: URL, dataDir, fw: 'test/1', batch: { maxReadings: 500, maxDelayMs: 100 } });
    up.start();
    cleanups.push(() => up.stop());
    await new Promise<void>((r) => up.once('connected', r));
    up.publishReadings([reading(1), reading(2)]);
    up.publishEvent({ kind: 'valve_opened', valve: 'v1', reason: 'opened: water level −16.2 cm ≤ −15 cm' });
    up.publishEvent({ kind: 'valve_closed', valve: 'v1', reason: 'closed: water level 5.1 cm ≥ 5 cm' });
    await watch.until(
      () => watch.on('telemetry').length === 1 && watch.on('event').length === 2,
      5000,
      'batch and events',
    );
    expect(Telemetry.parse(watch.on('telemetry')[0]!.payload).readings).toHaveLength(2);
    const events = watch.on('event').map((s) => GatewayEvent.parse(s.payload));
    expect(events.map((e) => [e.kind, e.seq, e.bootId])).toEqual([
      ['valve_opened', 0, up.bootId],
      ['valve_closed', 1, up.bootId],
    ]);
  });

  it('refuses an invalid reading with a message naming the field', () => {
    const { gatewayId, dataDir } = newGateway();
    const up = new Uplink({ gatewayId, url: URL, dataDir, fw: 'test/1' });
    up.start();
    cleanups.push(() => up.stop());
    expect(() => up.publishReadings([{ ...reading(1), ts: 1_764_288_000 }])).toThrow(/ts/);
  });
});

describe('uplink with a broken disk', () => {
  it('reports a queue it cannot write as UPLINK_QUEUE_WRITE_FAILED and keeps running', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplink-ro-'));
    const up = new Uplink({
      gatewayId: `t-ro-${randomBytes(3).toString('hex')}`,
      url: 'mqtt://127.0.0.1:1',
      dataDir,
      fw: 'test/1',
      reconnect: { minMs: 5000, maxMs: 5000 },
    });
    up.start();
    // simulate the queue failing underneath (disk full, card removed)
    (up as unknown as { queue: { addPending: () => never } }).queue.addPending = () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    expect(() => up.publishReadings([reading(1)])).toThrow(
      expect.objectContaining({ code: 'UPLINK_QUEUE_WRITE_FAILED' }),
    );
    expect(up.stats().degraded).toEqual(['disk_full']);
    up.publishEvent({ kind: 'alarm', reason: 'still works for events' });
    // the event, and disk_recovered once a write succeeded again
    expect(up.stats().queuedMessages).toBe(2);
    expect(up.stats().degraded).toEqual([]);
    await up.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

describe.skipIf(!ok)('uplink restarted in the same process', () => {
  it('subscribes again after stop() and start(): the retained config is confirmed anew', async () => {
    const { gatewayId, dataDir } = newGateway();
    const watch = await Watcher.open(URL, gatewayId);
    cleanups.push(() => watch.close());
    const c = await mqtt.connectAsync(URL);
    cleanups.push(async () => {
      await c.publishAsync(topics.config(gatewayId), '', { retain: true, qos: 1 });
      await c.endAsync();
    });
    await c.publishAsync(
      topics.config(gatewayId),
      JSON.stringify({ ...fixture<GatewayConfig>('config'), version: 1 }),
      { retain: true, qos: 1 },
    );
    const up = new Uplink({ gatewayId, url: URL, dataDir, fw: 'test/1' });
    up.onConfig(() => ({ status: 'applied' }));
    up.start();
    await watch.until(() => watch.on('config/ack').length === 1, 5000, 'first ack');
    await up.stop();
    up.start();
    cleanups.push(() => up.stop());
    await watch.until(() => watch.on('config/ack').length === 2, 5000, 'ack after restart');
    expect(watch.on('config/ack').map((s) => s.payload.status)).toEqual(['applied', 'applied']);
  });
});
