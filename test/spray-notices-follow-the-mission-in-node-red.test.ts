import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { topics, type MissionStatus } from '../protocol/index.js';
import { demoFields, DEMO_FARMS } from './support/memory-app.js';
import { services } from './support/services.js';
import { startHttpReceiver, type HttpReceiver, type ReceivedRequest } from './support/http-receiver.js';
import { startNodeRed, type NodeRedRuntime } from './support/node-red.js';

const ok = await services.mosquitto();
const run = randomBytes(3).toString('hex');
const id = (n: string) => `t-sn-${run}-${n}`;
const shippedFlows = JSON.parse(readFileSync(new URL('../flows/flows.json', import.meta.url), 'utf8')) as unknown[];
const body = (r: ReceivedRequest) => r.json as Record<string, any>;

describe.skipIf(!ok)('spray notices follow the mission through the shipped flows, real Node-RED and Mosquitto', () => {
  let receiver: HttpReceiver;
  let red: NodeRedRuntime;
  let pub: MqttClient;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    Object.assign(process.env, {
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      RUONGSO_GATEWAY_PATTERN: `^t-sn-${run}-`,
      RUONGSO_MISSION_PATTERN: `^t-sn-${run}-`,
      ALERT_WEBHOOK_URL: `${receiver.url}/notify`,
      LOUDSPEAKER_URL: `${receiver.url}/loudspeaker`,
      SPRAY_NOTICE_DISTANCE_M: '2000',
      SPRAY_NOTICE_LEAD_MINUTES: '60',
      // the demo's own neighbours, around the demo fields
      SPRAY_NEIGHBOURS_FILE: new URL('../flows/config/neighbours.json', import.meta.url).pathname,
      BROADCAST_CLUSTERS_FILE: new URL('../flows/config/clusters.json', import.meta.url).pathname,
    });
    red = await startNodeRed(shippedFlows);
    await red.getNode('rs-broker').ready();
    pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `t-sn-pub-${run}` });
  });

  afterAll(async () => {
    await pub?.endAsync();
    await red?.stop();
    await receiver?.close();
  });

  it("tells the demo field's neighbours of the approval, the cancellation and the new window, each once", async () => {
    const field = demoFields(DEMO_FARMS)[0]!;
    const start = Date.now() + 3 * 3_600_000;
    const approved: MissionStatus = {
      missionId: id('m1'),
      status: 'approved',
      ts: Date.now(),
      fieldName: field.name,
      field: field.boundary,
      product: 'Tricyclazole',
      window: { start, end: start + 7_200_000 },
    };
    const send = (m: MissionStatus) =>
      pub.publishAsync(topics.missionStatus(m.missionId), JSON.stringify(m), { qos: 1 });
    const bees = (status: string) => (r: ReceivedRequest) =>
      r.path === '/notify' &&
      body(r).missionId === approved.missionId &&
      body(r).farm === 'ong-chu-tu' &&
      body(r).status === status;
    await send(approved);
    await send({ ...approved, ts: approved.ts + 1 }); // redelivered: not heard twice
    await receiver.waitFor(bees('approved'));
    await send({ ...approved, status: 'cancelled', ts: approved.ts + 2 });
    const [cancel] = await receiver.waitFor(bees('cancelled'));
    expect(body(cancel!).text).toMatch(/^Hủy thông báo phun thuốc: .* đã hủy/);
    const later = { start: start + 86_400_000, end: start + 86_400_000 + 7_200_000 };
    await send({ ...approved, window: later, ts: approved.ts + 3 });
    await receiver.waitFor(bees('approved'), 2);
    const toBees = receiver.on('/notify').filter(bees('approved'));
    expect(toBees).toHaveLength(2); // the first approval once, then the new window
    expect(body(toBees[1]!).text).not.toBe(body(toBees[0]!).text);
    const farms = new Set(
      receiver
        .on('/notify')
        .filter((r) => body(r).missionId === approved.missionId)
        .map((r) => body(r).farmKind),
    );
    expect(farms).toEqual(new Set(['bees', 'houses', 'shrimp', 'fish']));
    const speaker = await receiver.waitFor(
      (r) => r.path === '/loudspeaker' && body(r).missionId === approved.missionId && body(r).status === 'cancelled',
    );
    expect(body(speaker[0]!).text).toContain('đã hủy');
  });
});
