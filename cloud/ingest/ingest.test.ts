import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixture } from '../../protocol/fixtures/index.js';
import { filters, topics, type DecodedMessage, type Telemetry } from '../../protocol/index.js';
import { SqliteTelemetryStore } from '../telemetry/sqlite-store.js';
import { metricsRegistry } from '../metrics.js';
import type { StoredReading, TelemetryStore } from '../telemetry/store.js';
import { Ingest, type IngestOptions } from './ingest.js';
import type { IngestSink } from './sink.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The ingest on a real in-process broker (Aedes, as the demo runs it) and a SQLite store in a temp dir. */
async function setup(
  sink: Partial<IngestSink> = {},
  opts: Partial<IngestOptions> & { wrapStore?: (s: TelemetryStore) => TelemetryStore } = {},
) {
  const aedes = await Aedes.createBroker();
  const server = net.createServer(aedes.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        aedes.close(() => server.close(() => r()));
      }),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-unit-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const store = new SqliteTelemetryStore({ file: path.join(dir, 'ruongso.sqlite') });
  await store.init();
  cleanups.push(() => store.close());
  const calls: string[] = [];
  const full: IngestSink = {
    onState: (gw) => {
      calls.push(`state ${gw}`);
    },
    onTelemetry: (gw, i) => {
      calls.push(`telemetry ${gw} ${i.seq}`);
    },
    onEvent: (gw) => {
      calls.push(`event ${gw}`);
    },
    onConfigAck: () => undefined,
    onCmdAck: () => undefined,
    ...sink,
  };
  const { wrapStore, ...more } = opts;
  const ingest = new Ingest({
    store: wrapStore ? wrapStore(store) : store,
    sink: full,
    mqttUrl: url,
    instanceId: 'unit-1',
    shared: false,
    dataDir: dir,
    flushMs: 10,
    ...more,
  });
  const watch: MqttClient = await mqtt.connectAsync(url, { clientId: 'watch' });
  cleanups.push(() => watch.endAsync());
  return { url, store, ingest, calls, watch };
}
const telemetry = fixture<Telemetry>('telemetry');

describe('Ingest', () => {
  it('subscribes without $share/ where the broker has none, and says so in its retained host state', async () => {
    const { ingest, watch } = await setup();
    const states: unknown[] = [];
    watch.on('message', (t, p) => {
      if (t === topics.hostState(ingest.hostId)) states.push(p.length ? JSON.parse(p.toString()) : null);
    });
    await watch.subscribeAsync(filters.hostStates, { qos: 1 });
    await ingest.start();
    expect(ingest.sharedSubscriptions).toBe(false);
    expect(ingest.filters().some((f) => f.startsWith('$share/'))).toBe(false);
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ online: true }), { timeout: 5000 });
    await ingest.stop();
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ online: false }), { timeout: 5000 });
  });

  it('stores the readings, then tells the sink and every consumer once', async () => {
    const { ingest, watch, store, calls } = await setup();
    const heard: DecodedMessage[] = [];
    await ingest.start();
    cleanups.push(() => ingest.stop());
    const remove = ingest.addConsumer((m) => {
      heard.push(m);
    });
    await watch.publishAsync(topics.telemetry('gw-u1'), JSON.stringify(telemetry), { qos: 1 });
    await vi.waitFor(() => expect(calls).toContain(`telemetry gw-u1 ${telemetry.seq}`), { timeout: 5000 });
    expect(await store.latest('gw-u1')).toHaveLength(telemetry.readings.length);
    await vi.waitFor(() => expect(heard).toHaveLength(1), { timeout: 5000 });
    expect(heard[0]).toMatchObject({ gatewayId: 'gw-u1', channel: 'telemetry', payload: { seq: telemetry.seq } });
    remove();
    // a consumer still registered hears the next message: by then the removed one would have too
    const later: DecodedMessage[] = [];
    ingest.addConsumer((m) => {
      later.push(m);
    });
    await watch.publishAsync(topics.event('gw-u1'), JSON.stringify(fixture('event-interlock')), { qos: 1 });
    await vi.waitFor(() => expect(later).toHaveLength(1), { timeout: 5000 });
    expect(calls).toContain('event gw-u1');
    expect(heard).toHaveLength(1);
  });

  it('goes on ingesting when the sink throws and when a message is not valid', async () => {
    const { ingest, watch, store } = await setup({
      onState: () => {
        throw new Error('registry down');
      },
    });
    await ingest.start();
    cleanups.push(() => ingest.stop());
    await watch.publishAsync(topics.state('gw-u2'), JSON.stringify(fixture('state-birth')), { qos: 1 });
    await watch.publishAsync(topics.telemetry('gw-u2'), '{ not json', { qos: 1 });
    await watch.publishAsync(topics.telemetry('gw-u2'), JSON.stringify({ ...telemetry, seq: 7 }), { qos: 1 });
    await vi.waitFor(async () => expect(await store.latest('gw-u2')).toHaveLength(telemetry.readings.length), {
      timeout: 5000,
    });
    expect(ingest.seqStats('gw-u2')?.boots[0]).toMatchObject({ bootId: telemetry.bootId, lastSeq: 7, received: 1 });
  });

  it("refuses readings outside their metric's physical range or dated ahead of the cloud clock, counted, and stores the rest", async () => {
    const { ingest, watch, store } = await setup();
    await ingest.start();
    cleanups.push(() => ingest.stop());
    const now = Date.now();
    const at = (value: number, ts = now) => ({ sensor: 'wl1', metric: 'water_level', value, unit: 'cm', ts });
    const readings = [
      at(-12, now - 2000),
      at(1e308, now - 1000),
      { ...at(-8), sensor: 'wl2' },
      { ...at(-5, now + 3_600_000), sensor: 'wl3' },
    ];
    const rejected = async (reason: string) => {
      const m = await metricsRegistry.getSingleMetric('ruongso_ingest_rejected_total')?.get();
      return m?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
    };
    const before = { range: await rejected('range'), future: await rejected('future') };
    await watch.publishAsync(topics.telemetry('gw-u3'), JSON.stringify({ bootId: 'boot-u3', seq: 0, readings }), {
      qos: 1,
    });
    await vi.waitFor(
      async () =>
        expect((await store.latest('gw-u3')).map((r) => [r.sensor, r.value]).sort()).toEqual([
          ['wl1', -12],
          ['wl2', -8],
        ]),
      { timeout: 5000 },
    );
    // one of each, counted per reading (the counter is bumped once per message)
    expect((await rejected('range')) - before.range).toBe(1);
    expect((await rejected('future')) - before.future).toBe(1);
  });
  it('stops reading from the broker while too many readings wait for a slow store, for at most maxReadPauseMs', async () => {
    let release: () => void = () => undefined;
    let blocked = true;
    const { ingest, watch, store } = await setup(
      {},
      {
        batchMaxReadings: 2,
        maxQueuedReadings: 4,
        maxReadPauseMs: 1500,
        // a store that takes nothing until told to
        wrapStore: (inner) =>
          Object.assign(Object.create(inner) as TelemetryStore, {
            write: async (points: StoredReading[]) => {
              if (blocked) await new Promise<void>((r) => (release = r));
              return inner.write(points);
            },
          }),
      },
    );
    await ingest.start();
    cleanups.push(() => ingest.stop());
    const readings = (seq: number) =>
      [0, 1].map((i) => ({
        sensor: `s${i}`,
        metric: 'water_level',
        value: -seq,
        unit: 'cm',
        ts: 1_764_288_060_000 + seq,
      }));
    for (let seq = 0; seq < 30; seq++)
      await watch.publishAsync(
        topics.telemetry('gw-u4'),
        JSON.stringify({ bootId: 'boot-u4', seq, readings: readings(seq) }),
        {
          qos: 1,
        },
      );
    // 2 readings a message, at most 4 waiting: reading stops at 3 messages (the one over the limit included)
    await vi.waitFor(() => expect(ingest.status()).toMatchObject({ heldAcks: 3, queuedReadings: 6, readPaused: true }));
    // the pause runs out while the store stays stuck: it reads on (the broker's window bounds it then)
    await vi.waitFor(() => expect(ingest.status().heldAcks).toBe(30), { timeout: 5000 });
    blocked = false;
    release();
    await vi.waitFor(async () => expect(await store.latest('gw-u4')).toHaveLength(2), { timeout: 5000 });
    await vi.waitFor(() =>
      expect(ingest.status()).toMatchObject({ heldAcks: 0, queuedReadings: 0, readPaused: false }),
    );
    expect(ingest.seqStats('gw-u4')?.boots[0]).toMatchObject({ received: 30, missing: 0 });
  });
});
