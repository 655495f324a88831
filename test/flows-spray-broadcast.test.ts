import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { fixture } from '../protocol/fixtures/index.js';
import { topics, type MissionStatus } from '../protocol/index.js';
import { services } from './support/services.js';
import { startHttpReceiver, type HttpReceiver, type ReceivedRequest } from './support/http-receiver.js';
import { startNodeRed, type NodeRedRuntime } from './support/node-red.js';

const ok = await services.mosquitto();
const run = randomBytes(3).toString('hex');
const id = (n: string) => `t-fs-${run}-${n}`;
const shippedFlows = JSON.parse(readFileSync(new URL('../flows/flows.json', import.meta.url), 'utf8')) as unknown[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const body = (r: ReceivedRequest) => r.json as Record<string, any>;

// The fixture field spans lon 105.7800–105.7830, lat 10.0300–10.0325; at 10°N 0.001° of longitude ≈ 110 m.
const neighbours = {
  farms: [
    {
      id: 'ong-tu',
      name: 'Trại ong chú Tư',
      kind: 'bees',
      lon: 105.7876,
      lat: 10.0312,
      hamlet: 'ap-1',
      to: ['+84902000001'],
    }, // ≈ 500 m east
    {
      id: 'tom-nam',
      name: 'Ao tôm cô Năm',
      kind: 'shrimp',
      lon: 105.7815,
      lat: 10.02,
      hamlet: 'ap-2',
      to: ['+84902000002'],
    }, // ≈ 1.1 km south
    {
      id: 'ca-sau',
      name: 'Ao cá anh Sáu',
      kind: 'fish',
      lon: 105.83,
      lat: 10.031,
      hamlet: 'ap-9',
      to: ['+84902000003'],
    }, // ≈ 5.2 km east
  ],
  hamlets: [
    { id: 'ap-1', name: 'Ấp Một', lon: 105.785, lat: 10.035, cluster: 'loa-1' },
    { id: 'ap-3', name: 'Ấp Ba', lon: 105.779, lat: 10.033, cluster: 'loa-1' }, // beside the field, no sensitive farm
    { id: 'ap-9', name: 'Ấp Chín', lon: 105.84, lat: 10.06, cluster: 'loa-2' },
  ],
};
const clusters = [
  { id: 'loa-1', name: 'cụm loa Ấp Một', hamlets: ['ap-1', 'ap-3'], gateways: [id('s1'), id('s2')], limitPpt: 2 },
  { id: 'loa-2', name: 'cụm loa Ấp Chín', hamlets: ['ap-9'], gateways: [id('s3')] },
];

describe.skipIf(!ok)('spray notice and broadcast flows in a real Node-RED on the real Mosquitto', () => {
  let receiver: HttpReceiver;
  let red: NodeRedRuntime;
  let pub: MqttClient;
  let dir: string;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    dir = mkdtempSync(path.join(tmpdir(), 'ruongso-flows-'));
    writeFileSync(path.join(dir, 'neighbours.json'), JSON.stringify(neighbours));
    writeFileSync(path.join(dir, 'clusters.json'), JSON.stringify(clusters));
    Object.assign(process.env, {
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      RUONGSO_GATEWAY_PATTERN: `^t-fs-${run}-`,
      RUONGSO_MISSION_PATTERN: `^t-fs-${run}-`,
      ALERT_WEBHOOK_URL: `${receiver.url}/notify`,
      LOUDSPEAKER_URL: `${receiver.url}/loudspeaker`,
      SPRAY_NOTICE_DISTANCE_M: '2000',
      SPRAY_NOTICE_LEAD_MINUTES: '60',
      SPRAY_NEIGHBOURS_FILE: path.join(dir, 'neighbours.json'),
      BROADCAST_CLUSTERS_FILE: path.join(dir, 'clusters.json'),
    });
    red = await startNodeRed(shippedFlows);
    await red.getNode('rs-broker').ready();
    pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `t-fs-pub-${run}` });
  });

  afterAll(async () => {
    await pub?.endAsync();
    await red?.stop();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('notifies only the farms within the distance and schedules the loudspeakers before the window', async () => {
    const start = Date.now() + 3 * 3_600_000;
    const mission: MissionStatus = {
      ...fixture<MissionStatus>('mission-approved'),
      missionId: id('m1'),
      ts: Date.now(),
      window: { start, end: start + 7_200_000 },
    };
    await pub.publishAsync(
      topics.missionStatus(id('planned')),
      JSON.stringify({ ...mission, missionId: id('planned'), status: 'planned' }),
      { qos: 1 },
    );
    await pub.publishAsync(topics.missionStatus(mission.missionId), JSON.stringify(mission), { qos: 1 });
    // the cloud republishes the same approval (or QoS 1 redelivers it): nobody hears it twice
    await pub.publishAsync(
      topics.missionStatus(mission.missionId),
      JSON.stringify({ ...mission, ts: mission.ts + 1 }),
      { qos: 1 },
    );
    const [speaker] = await receiver.waitFor(
      (r) => r.path === '/loudspeaker' && body(r).missionId === mission.missionId,
    );
    const farms = await receiver.waitFor((r) => r.path === '/notify' && body(r).missionId === mission.missionId, 2);
    // no sleep to show nothing more came: a later approval through the same flow is heard once
    // everything before it was
    const marker = { ...mission, missionId: id('marker'), ts: Date.now() };
    await pub.publishAsync(topics.missionStatus(marker.missionId), JSON.stringify(marker), { qos: 1 });
    await receiver.waitFor((r) => r.path === '/notify' && body(r).missionId === marker.missionId, 2);
    await receiver.waitFor((r) => r.path === '/loudspeaker' && body(r).missionId === marker.missionId);
    expect(
      receiver
        .on('/notify')
        .filter((r) => body(r).missionId === mission.missionId)
        .map((r) => body(r).farm)
        .sort(),
    ).toEqual(['ong-tu', 'tom-nam']);
    const bees = body(farms.find((r) => body(r).farm === 'ong-tu')!);
    expect(bees.to).toEqual(['+84902000001']);
    expect(bees.distanceM).toBeGreaterThan(400);
    expect(bees.distanceM).toBeLessThan(600);
    expect(bees.text).toMatch(
      /^Thông báo phun thuốc: .* thuốc Tricyclazole 75WP trên Ruộng ông Ba lúc .* cách trại ong Trại ong chú Tư khoảng 0,5 km\. Đề nghị đóng cửa tổ ong/,
    );
    const call = body(speaker!);
    expect(call.hamlets.map((h: { id: string }) => h.id)).toEqual(['ap-1', 'ap-2', 'ap-3']);
    expect(Date.parse(call.playAt)).toBe(start - 3_600_000);
    expect(call.text).toContain('trong bán kính 2,0 km');
    expect(receiver.requests.some((r) => body(r)?.missionId === id('planned'))).toBe(false);
    expect(receiver.on('/loudspeaker').filter((r) => body(r).missionId === mission.missionId)).toHaveLength(1);
  });

  it('composes the canal salinity bulletin of each cluster from the latest readings when its schedule fires', async () => {
    const now = Date.now();
    const reading = (value: number, ts: number) => ({
      bootId: 'b00t1',
      seq: 1,
      readings: [{ sensor: 'sal1', metric: 'salinity', value, unit: 'ppt', ts }],
    });
    await pub.publishAsync(topics.telemetry(id('s1')), JSON.stringify(reading(1.4, now - 60_000)), { qos: 1 });
    await pub.publishAsync(topics.telemetry(id('s2')), JSON.stringify(reading(3.2, now - 120_000)), { qos: 1 });
    await pub.publishAsync(topics.telemetry(id('s2')), JSON.stringify(reading(2.6, now - 30_000)), { qos: 1 });
    // the readings travel through the broker: fire the schedule until the bulletin has all of them
    let bulletins: ReceivedRequest[] = [];
    for (let i = 0; i < 30; i++) {
      const before = receiver.on('/loudspeaker').length;
      await red.inject('rs-b-daily');
      await receiver.waitFor((r) => r.path === '/loudspeaker', before + 2);
      bulletins = receiver.on('/loudspeaker').slice(-2);
      if (bulletins.some((r) => body(r).text.includes('2,6‰'))) break;
      await sleep(100);
    }
    const one = body(bulletins.find((r) => body(r).cluster === 'loa-1')!);
    const nine = body(bulletins.find((r) => body(r).cluster === 'loa-2')!);
    expect(one.hamlets).toEqual(['ap-1', 'ap-3']);
    expect(one.kind).toBe('salinity_bulletin');
    expect(one.text).toMatch(
      new RegExp(
        `^Bản tin độ mặn cụm loa Ấp Một lúc \\d\\d:\\d\\d ngày \\d\\d/\\d\\d/\\d{4}\\. trạm ${id('s1')} 1,4‰ \\(đo lúc \\d\\d:\\d\\d\\); trạm ${id('s2')} 2,6‰`,
      ),
    );
    expect(one.text).not.toContain('3,2‰');
    expect(one.text).toContain('Độ mặn cao nhất 2,6‰ vượt ngưỡng 2,0‰: bà con không lấy nước kênh vào ruộng lúa.');
    expect(nine.text).toContain('Chưa có số liệu đo độ mặn mới');
  });
});
