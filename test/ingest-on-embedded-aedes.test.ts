import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/ports.js';
import { fixture } from '../protocol/fixtures/index.js';
import { topics, type Telemetry } from '../protocol/index.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../cloud/broker/embedded-broker.js';
import { Ingest } from '../cloud/ingest/ingest.js';
import { SqliteTelemetryStore } from '../cloud/telemetry/sqlite-store.js';

describe('ingest on the embedded Aedes broker (the npm start default)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-aedes-ingest-'));
  const store = new SqliteTelemetryStore({ file: path.join(dir, 'ruongso.sqlite') });
  let broker: EmbeddedBroker;
  let ingest: Ingest;
  beforeAll(async () => {
    await store.init();
    broker = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1' });
    ingest = new Ingest({
      store,
      mqttUrl: broker.url,
      instanceId: `aedes-${randomBytes(3).toString('hex')}`,
      dataDir: dir,
    });
    await ingest.start();
  });
  afterAll(async () => {
    await ingest?.stop();
    await broker?.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds no shared subscriptions there, subscribes plainly and stores telemetry', async () => {
    expect(ingest.sharedSubscriptions).toBe(false);
    expect(ingest.filters().some((f) => f.startsWith('$share/'))).toBe(false);
    const gw = `gw-a${randomBytes(3).toString('hex')}`;
    const pub = await mqtt.connectAsync(broker.url, { clientId: `pub-${gw}` });
    const msg = fixture<Telemetry>('telemetry');
    await pub.publishAsync(topics.telemetry(gw), JSON.stringify(msg), { qos: 1 });
    await pub.endAsync();
    for (let i = 0; i < 100 && (await store.latest(gw)).length < msg.readings.length; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await store.latest(gw)).toHaveLength(msg.readings.length);
  });
});
