import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../protocol/fixtures/index.js';
import { topics, type Telemetry } from '../protocol/index.js';
import { Ingest } from '../cloud/ingest/ingest.js';
import type { IngestSink } from '../cloud/ingest/sink.js';
import { metricsRegistry } from '../cloud/metrics.js';
import { SqliteTelemetryStore } from '../cloud/telemetry/sqlite-store.js';
import { services } from './support/services.js';
import { until as waitUntil } from './support/wait.js';

const ok = await services.mosquitto();
const fixtures = {
  telemetry: fixture<Telemetry>('telemetry'),
  stateBirth: fixture('state-birth'),
  eventInterlock: fixture('event-interlock'),
  configAckApplied: fixture('config-ack-applied'),
  cmdAck: fixture('cmd-ack'),
};

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await metricsRegistry.getSingleMetric(name)?.get();
  return (m?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((n, v) => n + v.value, 0);
}

const until = (cond: () => boolean | Promise<boolean>, ms = 10_000) => waitUntil('the condition', cond, ms, 25);

describe.skipIf(!ok)('ingest on the system Mosquitto into SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-ingest-'));
  const store = new SqliteTelemetryStore({ file: path.join(dir, 'ruongso.sqlite') });
  const calls: Array<[string, string, unknown]> = [];
  const sink: IngestSink = {
    onState: (gw, s) => {
      calls.push(['state', gw, s]);
    },
    onTelemetry: (gw, info) => {
      calls.push(['telemetry', gw, info]);
    },
    onEvent: (gw, e) => {
      calls.push(['event', gw, e]);
    },
    onConfigAck: (gw, a) => {
      calls.push(['config/ack', gw, a]);
    },
    onCmdAck: (gw, a) => {
      calls.push(['cmd/ack', gw, a]);
    },
  };
  const gw = `gw-ing-${randomBytes(3).toString('hex')}`;
  let ingest: Ingest;
  let pub: mqtt.MqttClient;

  beforeAll(async () => {
    await store.init();
    ingest = new Ingest({
      store,
      sink,
      mqttUrl: 'mqtt://127.0.0.1:1883',
      instanceId: `t-${randomBytes(4).toString('hex')}`,
      shareGroup: `g${randomBytes(3).toString('hex')}`,
      dataDir: dir,
      flushMs: 20,
    });
    await ingest.start();
    pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `pub-${randomBytes(4).toString('hex')}` });
  });
  afterAll(async () => {
    await pub?.endAsync();
    await ingest?.stop();
    // the session must not outlive the test on the shared broker
    const c = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: ingest.clientId, clean: true });
    await c.endAsync();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses a shared subscription on Mosquitto, except for the retained state', () => {
    expect(ingest.sharedSubscriptions).toBe(true);
    expect(ingest.filters().filter((f) => f.startsWith('$share/'))).toHaveLength(5);
    expect(ingest.filters().find((f) => f.endsWith('/state'))).not.toMatch(/^\$share/);
  });

  it('stores the readings of a telemetry message, bad quality included, and tells the sink', async () => {
    const before = await metric('ruongso_readings_ingested_total');
    await pub.publishAsync(topics.telemetry(gw), JSON.stringify(fixtures.telemetry), { qos: 1 });
    await until(() => calls.some((c) => c[0] === 'telemetry' && c[1] === gw));
    const latest = await store.latest(gw);
    expect(latest).toHaveLength(fixtures.telemetry.readings.length);
    expect(latest.find((l) => l.sensor === 'wl2')).toMatchObject({ quality: 'bad', value: null });
    expect(await metric('ruongso_readings_ingested_total')).toBe(before + fixtures.telemetry.readings.length);
    expect(calls.find((c) => c[0] === 'telemetry')![2]).toMatchObject({
      bootId: fixtures.telemetry.bootId,
      seq: fixtures.telemetry.seq,
      count: 5,
    });
  });

  it('hands state, events and acks to the sink', async () => {
    await pub.publishAsync(topics.state(gw), JSON.stringify(fixtures.stateBirth), { qos: 1 });
    await pub.publishAsync(topics.event(gw), JSON.stringify(fixtures.eventInterlock), { qos: 1 });
    await pub.publishAsync(topics.configAck(gw), JSON.stringify(fixtures.configAckApplied), { qos: 1 });
    await pub.publishAsync(topics.cmdAck(gw), JSON.stringify(fixtures.cmdAck), { qos: 1 });
    await until(() =>
      ['state', 'event', 'config/ack', 'cmd/ack'].every((k) => calls.some((c) => c[0] === k && c[1] === gw)),
    );
    // clear the retained birth on the shared broker
    await pub.publishAsync(topics.state(gw), '', { qos: 1, retain: true });
  });

  it('counts malformed messages by reason and goes on ingesting', async () => {
    const before = {
      json: await metric('ruongso_ingest_rejected_total', { reason: 'json' }),
      schema: await metric('ruongso_ingest_rejected_total', { reason: 'schema' }),
    };
    await pub.publishAsync(topics.telemetry(gw), 'not json {', { qos: 1 });
    await pub.publishAsync(topics.telemetry(gw), JSON.stringify({ bootId: 'b1', seq: -1, readings: [] }), { qos: 1 });
    const good = {
      ...fixtures.telemetry,
      bootId: 'after-bad',
      seq: 1,
      readings: [{ ...fixtures.telemetry.readings[0]!, sensor: 'wl9' }],
    };
    await pub.publishAsync(topics.telemetry(gw), JSON.stringify(good), { qos: 1 });
    await until(async () => (await store.latest(gw)).some((l) => l.sensor === 'wl9'));
    expect(await metric('ruongso_ingest_rejected_total', { reason: 'json' })).toBe(before.json + 1);
    expect(await metric('ruongso_ingest_rejected_total', { reason: 'schema' })).toBe(before.schema + 1);
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/ruongso_mqtt_messages_total\{channel="telemetry"\} \d+/);
  });

  it('counts seq gaps, late arrivals and duplicates per boot', async () => {
    const msg = (seq: number) =>
      JSON.stringify({
        bootId: 'seqboot1',
        seq,
        readings: [{ ...fixtures.telemetry.readings[0]!, ts: 1_764_288_000_000 + seq }],
      });
    for (const s of [0, 1, 4, 2, 4]) await pub.publishAsync(topics.telemetry(gw), msg(s), { qos: 1 });
    await until(() => (ingest.seqStats(gw)?.boots.find((b) => b.bootId === 'seqboot1')?.received ?? 0) >= 4);
    await until(() => (ingest.seqStats(gw)?.boots.find((b) => b.bootId === 'seqboot1')?.duplicates ?? 0) >= 1);
    const boot = ingest.seqStats(gw)!.boots.find((b) => b.bootId === 'seqboot1')!;
    expect(boot).toMatchObject({
      firstSeq: 0,
      lastSeq: 4,
      received: 4,
      duplicates: 1,
      missing: 1,
      gaps: [{ from: 3, to: 3 }],
    });
  });
});
