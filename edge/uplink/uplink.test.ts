import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayState, Telemetry, topics } from '../../protocol/index.js';
import { parseUplinkOptions } from './options.js';
import { Uplink } from './uplink.js';

// a real broker in this process (Aedes, as the demo embeds it) on a port the OS picks
async function broker(): Promise<{ url: string; close(): Promise<void> }> {
  const aedes = await Aedes.createBroker();
  const server = net.createServer(aedes.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        aedes.close(() => server.close(() => r()));
      }),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(host: { required: boolean }) {
  const b = await broker();
  cleanups.push(() => b.close());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplink-unit-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const watch: MqttClient = await mqtt.connectAsync(b.url, { clientId: 'watch' });
  cleanups.push(() => watch.endAsync());
  const seen: { topic: string; body: unknown; retain: boolean }[] = [];
  watch.on('message', (topic, payload, packet) =>
    seen.push({ topic, body: payload.length ? JSON.parse(payload.toString()) : null, retain: packet.retain }),
  );
  await watch.subscribeAsync(['ruongso/v1/gw/+/state', 'ruongso/v1/gw/+/telemetry'], { qos: 1 });
  const up = new Uplink({
    gatewayId: 'gw-unit',
    url: b.url,
    dataDir,
    fw: 'test-1',
    batch: { maxReadings: 2, maxDelayMs: 0 },
    host: { ...host, graceMs: 0 },
    reconnect: { minMs: 50, maxMs: 200 },
  });
  cleanups.push(() => up.stop());
  return { b, up, watch, seen };
}
const reading = (i: number) => ({
  sensor: 'wl1',
  metric: 'water_level',
  value: -i,
  unit: 'cm',
  ts: 1_764_288_000_000 + i * 1000,
});

describe('Uplink options', () => {
  it('refuses invalid options naming the field, and fills the defaults', () => {
    expect(() => parseUplinkOptions({ gatewayId: 'gw-1', url: '', dataDir: '/tmp/x', fw: '1' })).toThrow(
      expect.objectContaining({ code: 'UPLINK_OPTIONS_INVALID', message: expect.stringContaining('url') }),
    );
    expect(() =>
      parseUplinkOptions({ gatewayId: 'gw-1', url: 'mqtt://h', dataDir: '/tmp/x', fw: '1', queue: { maxInflight: 0 } }),
    ).toThrow(/queue\.maxInflight/);
    const s = parseUplinkOptions({ gatewayId: 'gw-1', url: 'mqtt://h', dataDir: '/tmp/x', fw: '1' });
    expect(s).toMatchObject({
      batch: { maxReadings: 500, maxDelayMs: 5000 },
      host: { required: true, graceMs: 3000 },
      keepaliveSeconds: 30,
    });
  });
});

describe('Uplink on an in-process broker', () => {
  it('announces a retained birth with its boot id and sends readings in batches with a growing seq', async () => {
    const { up, seen } = await setup({ required: false });
    up.start();
    await vi.waitFor(() => expect(up.stats().connected).toBe(true), { timeout: 5000 });
    for (let i = 0; i < 4; i++) up.publishReadings([reading(i)]);
    await vi.waitFor(() => expect(seen.filter((m) => m.topic === topics.telemetry('gw-unit'))).toHaveLength(2), {
      timeout: 5000,
    });
    const birth = GatewayState.parse(seen.find((m) => m.topic === topics.state('gw-unit'))!.body);
    expect(birth).toMatchObject({ online: true, bootId: up.bootId, fw: 'test-1' });
    const batches = seen.filter((m) => m.topic === topics.telemetry('gw-unit')).map((m) => Telemetry.parse(m.body));
    expect(batches.map((t) => [t.bootId, t.seq, t.readings.length])).toEqual([
      [up.bootId, 0, 2],
      [up.bootId, 1, 2],
    ]);
    await vi.waitFor(() => expect(up.stats()).toMatchObject({ queued: 0, sent: 2, sentReadings: 4 }), {
      timeout: 5000,
    });
  });

  it('keeps readings on disk until an ingest host says online, then sends them', async () => {
    const { up, watch, seen } = await setup({ required: true });
    up.start();
    await vi.waitFor(() => expect(up.stats().connected).toBe(true), { timeout: 5000 });
    up.publishReadings([reading(1), reading(2)]);
    await vi.waitFor(() => expect(up.stats().queuedMessages).toBe(1), { timeout: 5000 });
    expect(up.stats().hostOnline).toBe(false);
    expect(seen.some((m) => m.topic === topics.telemetry('gw-unit'))).toBe(false);
    await watch.publishAsync(
      topics.hostState('ingest-1'),
      JSON.stringify({ online: true, ts: Date.now(), session: 's1' }),
      { qos: 1, retain: true },
    );
    await vi.waitFor(() => expect(seen.filter((m) => m.topic === topics.telemetry('gw-unit'))).toHaveLength(1), {
      timeout: 5000,
    });
    expect(up.stats()).toMatchObject({ hostOnline: true });
  });

  it('says offline on its retained state when stopped cleanly', async () => {
    const { up, seen } = await setup({ required: false });
    up.start();
    await vi.waitFor(() => expect(up.stats().connected).toBe(true), { timeout: 5000 });
    await up.stop();
    await vi.waitFor(
      () =>
        expect(seen.filter((m) => m.topic === topics.state('gw-unit')).at(-1)?.body).toMatchObject({
          online: false,
          bootId: up.bootId,
        }),
      { timeout: 5000 },
    );
  });
});
