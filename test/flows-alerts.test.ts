import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { fixture } from '../protocol/fixtures/index.js';
import { topics, type GatewayEvent, type Telemetry } from '../protocol/index.js';
import { services } from './support/services.js';
import { startHttpReceiver, type HttpReceiver, type ReceivedRequest } from './support/http-receiver.js';
import { startNodeRed, type NodeRedRuntime } from './support/node-red.js';

const ok = await services.mosquitto();
const run = randomBytes(3).toString('hex');
const gw = (n: string) => `t-fa-${run}-${n}`;
const shippedFlows = JSON.parse(readFileSync(new URL('../flows/flows.json', import.meta.url), 'utf8')) as unknown[];

interface Alert {
  kind: string;
  gatewayId: string;
  text: string;
  to: string[];
  key: string;
}
const alert = (r: ReceivedRequest) => r.json as Alert;
const alertsOf = (id: string) => (r: ReceivedRequest) => r.path === '/alert' && alert(r).gatewayId === id;

describe.skipIf(!ok)('alerts flow in a real Node-RED on the real Mosquitto', () => {
  let receiver: HttpReceiver;
  let red: NodeRedRuntime;
  let pub: MqttClient;

  const event = (over: Partial<GatewayEvent>): GatewayEvent => ({
    ...fixture<GatewayEvent>('event-interlock'),
    ts: Date.now(),
    ...over,
  });
  const publish = (topic: string, payload: unknown, retain = false) =>
    pub.publishAsync(topic, JSON.stringify(payload), { qos: 1, retain });
  /**
   * "Nothing more came" is proven by a marker, never by a sleep: every alert goes through one
   * chain (in → alert → gate → webhook) in order, so once an alert published after the messages
   * under test has arrived, anything those messages caused has arrived before it.
   */
  const faultMarker = async (name: string) => {
    await publish(topics.event(gw(name)), event({ seq: 1, kind: 'sensor_fault', sensor: 'm1', reason: 'marker' }));
    await receiver.waitFor(alertsOf(gw(name)));
  };
  /** The same for the offline timers: one started later fires later. */
  const offlineMarker = async (name: string) => {
    await publish(topics.state(gw(name)), fixture('state-birth'));
    await publish(topics.state(gw(name)), { online: false, ts: Date.now() });
    await receiver.waitFor((r) => alertsOf(gw(name))(r) && alert(r).kind === 'offline', 1, 5000);
  };

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    Object.assign(process.env, {
      RUONGSO_MQTT_URL: 'mqtt://127.0.0.1:1883',
      // the flows subscribe with + wildcards on a shared broker: only this run's gateways count
      RUONGSO_GATEWAY_PATTERN: `^t-fa-${run}-`,
      ALERT_WEBHOOK_URL: `${receiver.url}/alert`,
      ALERT_RECIPIENTS: JSON.stringify({ [gw('salt')]: ['+84901111111'], '*': ['+84909999999'] }),
      ALERT_OFFLINE_MINUTES: '0.01', // 0.6 s
      ALERT_DEDUP_SECONDS: '600',
      ALERT_RATE_MAX: '3',
      ALERT_RATE_WINDOW_SECONDS: '600',
    });
    red = await startNodeRed(shippedFlows);
    await red.getNode('rs-broker').ready();
    pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `t-fa-pub-${run}` });
  });

  afterAll(async () => {
    if (pub) {
      for (const id of [gw('off')]) await pub.publishAsync(topics.state(id), '', { qos: 1, retain: true });
      await pub.endAsync();
    }
    await red?.stop();
    await receiver?.close();
  });

  it('sends one Vietnamese salinity alert with the values for two identical interlock events', async () => {
    const id = gw('salt');
    await publish(topics.event(id), event({ seq: 1 }));
    await publish(topics.event(id), event({ seq: 2 }));
    // a different alert of the same gateway, published after: once it is here, both interlocks were handled
    await publish(
      topics.event(id),
      event({ seq: 3, kind: 'sensor_fault', sensor: 'sal1', reason: 'timeout reading sal1' }),
    );
    const got = await receiver.waitFor(alertsOf(id), 2);
    await faultMarker('salt-marker');
    const salinity = receiver.requests.filter(alertsOf(id)).filter((r) => alert(r).kind === 'salinity');
    expect(salinity).toHaveLength(1);
    expect(alert(salinity[0]!).text).toBe(
      'Cảnh báo mặn: cống lấy nước v1 ruộng Z1 (' + id + ') bị khóa, độ mặn 3,4‰ > 2,0‰. Không lấy nước vào ruộng.',
    );
    expect(alert(salinity[0]!).to).toEqual(['+84901111111']);
    expect(got.map((r) => alert(r).kind).sort()).toEqual(['salinity', 'sensor_fault']);
    expect(salinity[0]!.headers['content-type']).toMatch(/application\/json/);
  });

  it('sends at most the configured number of alerts per gateway in the window', async () => {
    const id = gw('flaky');
    for (let i = 1; i <= 5; i++)
      await publish(
        topics.event(id),
        event({ seq: i, kind: 'sensor_fault', sensor: `s${i}`, reason: `timeout s${i}` }),
      );
    const got = await receiver.waitFor(alertsOf(id), 3);
    await faultMarker('flaky-marker');
    expect(receiver.requests.filter(alertsOf(id))).toHaveLength(3);
    expect(got.map((r) => alert(r).text)).toContain(
      `Cảnh báo cảm biến: cảm biến s1 (ruộng Z1) của trạm ${id} bị lỗi: timeout s1. Trạm ngừng tưới theo cảm biến này cho đến khi sửa.`,
    );
    expect(alert(got[0]!).to).toEqual(['+84909999999']);
  });

  it('warns about a water level outside the bounds, not about one inside them', async () => {
    const id = gw('water');
    const t = fixture<Telemetry>('telemetry');
    const now = Date.now();
    const reading = (sensor: string, value: number) => ({ sensor, metric: 'water_level', value, unit: 'cm', ts: now });
    await publish(topics.telemetry(id), { ...t, ts: now, readings: [reading('wl1', -12.4), reading('wl2', -31.5)] });
    const [r] = await receiver.waitFor(alertsOf(id));
    await publish(topics.telemetry(gw('water-marker')), { ...t, ts: now, readings: [reading('wl2', -40)] });
    await receiver.waitFor(alertsOf(gw('water-marker')));
    expect(receiver.requests.filter(alertsOf(id))).toHaveLength(1);
    expect(alert(r!).kind).toBe('water_level');
    expect(alert(r!).text).toContain(`cảm biến wl2 của trạm ${id} đo -31,5 cm, ngoài khoảng -20,0 đến 15,0 cm`);
  });

  it('reports a gateway offline once per outage after N minutes, and when it is back', async () => {
    const id = gw('off');
    await publish(topics.state(id), fixture('state-birth'), true);
    const wentOffline = Date.now();
    await publish(topics.state(id), { online: false, ts: wentOffline }, true);
    await publish(topics.state(id), { online: false }, true); // the same outage seen again
    const [off] = await receiver.waitFor(alertsOf(id), 1, 5000);
    expect(alert(off!).kind).toBe('offline');
    expect(off!.at - wentOffline).toBeGreaterThanOrEqual(550);
    expect(alert(off!).text).toMatch(
      new RegExp(`^Cảnh báo mất kết nối: trạm ${id} mất kết nối từ \\d\\d:\\d\\d \\(1 phút\\)`),
    );
    await offlineMarker('off-marker');
    expect(receiver.requests.filter(alertsOf(id))).toHaveLength(1);
    await publish(topics.state(id), { ...fixture<object>('state-birth'), ts: Date.now() }, true);
    const both = await receiver.waitFor(alertsOf(id), 2);
    expect(alert(both[1]!).kind).toBe('online');
    expect(alert(both[1]!).text).toContain(`Trạm ${id} đã kết nối lại`);
  });

  it('says nothing about a gateway that comes back before N minutes', async () => {
    const id = gw('blip');
    await publish(topics.state(id), { online: false, ts: Date.now() });
    await publish(topics.state(id), { online: true, ts: Date.now() });
    await offlineMarker('blip-marker');
    expect(receiver.requests.filter(alertsOf(id))).toHaveLength(0);
  });
});
