import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { fixture } from '../protocol/fixtures/index.js';
import { Command, GatewayConfig, topics, type GatewayEvent, type Telemetry } from '../protocol/index.js';
import { services } from './support/services.js';
import { startHttpReceiver, type HttpReceiver, type ReceivedRequest } from './support/http-receiver.js';
import { startNodeRed, type NodeRedRuntime } from './support/node-red.js';
import { until as waitUntil } from './support/wait.js';

const ok = await services.mosquitto();
const run = randomBytes(3).toString('hex');
const gw = (n: string) => `t-fn-${run}-${n}`;
const body = (r: ReceivedRequest) => r.json as Record<string, any>;

/** A test flow: the ruongso nodes, their outputs and a catch node POSTed to the receiver. */
function testFlow(receiverUrl: string): unknown[] {
  const post = (id: string, path: string) => ({
    id,
    type: 'http request',
    z: 'tn-tab',
    method: 'POST',
    ret: 'txt',
    paytoqs: 'ignore',
    url: `${receiverUrl}${path}`,
    tls: '',
    persist: false,
    proxy: '',
    authType: '',
    senderr: false,
    headers: [],
    wires: [[]],
  });
  return [
    { id: 'tn-tab', type: 'tab', label: 'nodes under test' },
    { id: 'tn-broker', type: 'ruongso-broker', url: '${MQTT_URL}', clientId: '' },
    {
      id: 'tn-set',
      type: 'ruongso set-threshold',
      z: 'tn-tab',
      broker: 'tn-broker',
      gateway: '',
      by: 'flows-test',
      fetchTimeoutMs: '500',
      wires: [[]],
    },
    {
      id: 'tn-cmd',
      type: 'ruongso valve-command',
      z: 'tn-tab',
      broker: 'tn-broker',
      gateway: gw('cmd'),
      by: '',
      ttlSeconds: '90',
      wires: [[]],
    },
    {
      id: 'tn-ev',
      type: 'ruongso event-in',
      z: 'tn-tab',
      broker: 'tn-broker',
      gateway: '',
      gatewayPattern: `^t-fn-${run}-`,
      farmMap: JSON.stringify({ [gw('a')]: 'farm-a', [gw('b')]: 'farm-b' }),
      farms: 'farm-a',
      zones: '',
      kinds: 'blocked,interlock',
      wires: [['tn-envelope']],
    },
    // the http request node posts msg.payload: wrap what event-in put on the message
    {
      id: 'tn-envelope',
      type: 'change',
      z: 'tn-tab',
      rules: [
        {
          t: 'set',
          p: 'payload',
          pt: 'msg',
          tot: 'jsonata',
          to: '{"event": payload, "gatewayId": gatewayId, "farm": farm, "kind": kind}',
        },
      ],
      wires: [['tn-post-ev']],
    },
    {
      id: 'tn-tel',
      type: 'ruongso telemetry-in',
      z: 'tn-tab',
      broker: 'tn-broker',
      gateway: gw('a'),
      gatewayPattern: '',
      output: 'reading',
      metrics: 'salinity,water_level',
      wires: [['tn-post-tel']],
    },
    { id: 'tn-catch', type: 'catch', z: 'tn-tab', scope: null, uncaught: false, wires: [['tn-to-error']] },
    {
      id: 'tn-to-error',
      type: 'change',
      z: 'tn-tab',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'error', tot: 'msg' }],
      wires: [['tn-post-caught']],
    },
    post('tn-post-ev', '/events'),
    post('tn-post-tel', '/readings'),
    post('tn-post-caught', '/caught'),
  ];
}

describe.skipIf(!ok)('ruongso nodes in a real Node-RED on the real Mosquitto', () => {
  let receiver: HttpReceiver;
  let red: NodeRedRuntime;
  let client: MqttClient;
  const seen = new Map<string, { payload: unknown; retain: boolean }[]>();
  const on = (topic: string) => seen.get(topic) ?? [];
  const until = (cond: () => boolean, ms = 5000) => waitUntil('the condition', cond, ms, 50);
  const caught = (n: number) => receiver.waitFor((r) => r.path === '/caught', n);

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    process.env.MQTT_URL = 'mqtt://127.0.0.1:1883';
    red = await startNodeRed(testFlow(receiver.url));
    await red.getNode('tn-broker').ready();
    client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `t-fn-sub-${run}` });
    client.on('message', (topic, payload, packet) => {
      if (payload.length === 0) return;
      seen.set(topic, [...on(topic), { payload: JSON.parse(payload.toString()), retain: packet.retain }]);
    });
    await client.subscribeAsync(
      [topics.config(gw('cfg')), topics.config(gw('new')), topics.cmd(gw('cmd')), topics.cmd(gw('cmd-marker'))],
      { qos: 1 },
    );
  });

  afterAll(async () => {
    if (client) {
      for (const id of [gw('cfg'), gw('new')])
        await client.publishAsync(topics.config(id), '', { qos: 1, retain: true });
      await client.endAsync();
    }
    await red?.stop();
    await receiver?.close();
  });

  it('set-threshold changes one zone of the retained config, bumps the version and publishes it retained', async () => {
    const id = gw('cfg');
    await client.publishAsync(topics.config(id), JSON.stringify(fixture('config')), { qos: 1, retain: true });
    await until(() => on(topics.config(id)).length === 1);
    red.getNode('tn-set').receive({ gatewayId: id, payload: { zone: 'z1', awd: { refloodCm: -12 } } });
    await until(() => on(topics.config(id)).length === 2);
    const next = GatewayConfig.parse(on(topics.config(id))[1]!.payload);
    expect(next.version).toBe(4);
    expect(next.issuedBy).toBe('flows-test');
    expect(next.zones[0]!.awd).toMatchObject({ refloodCm: -12, targetCm: 5 });
    expect(next.zones[0]!.awd!.keepFlooded).toHaveLength(1);
    expect(next.zones[1]).toEqual(GatewayConfig.parse(fixture('config')).zones[1]);
    // the broker keeps it: a new subscriber gets version 4
    const late = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `t-fn-late-${run}` });
    const retained = new Promise<Buffer>((resolve) => late.once('message', (_t, p) => resolve(p)));
    await late.subscribeAsync(topics.config(id), { qos: 1 });
    expect(JSON.parse((await retained).toString()).version).toBe(4);
    await late.endAsync();
  });

  it('set-threshold rejects a change that makes the config invalid and publishes nothing', async () => {
    const id = gw('cfg');
    await until(() => on(topics.config(id)).length >= 2);
    const before = on(topics.config(id)).length;
    red.getNode('tn-set').receive({ gatewayId: id, payload: { zone: 'z2', threshold: { refillPct: 40 } } });
    const [err] = await caught(1);
    expect(body(err!).message).toMatch(
      /config rejected: zones\.1\.threshold\.refillPct: refillPct must be below fieldCapacityPct/,
    );
    red.getNode('tn-set').receive({ gatewayId: id, payload: { zone: 'z1', salinityLimitPpt: 2.5 } });
    await until(() => on(topics.config(id)).length === before + 1);
    expect(GatewayConfig.parse(on(topics.config(id)).at(-1)!.payload)).toMatchObject({ version: 5 });
  });

  it('set-threshold builds version 1 from a full config for a gateway without one, and refuses a mere patch there', async () => {
    const id = gw('new');
    const n = receiver.on('/caught').length;
    red.getNode('tn-set').receive({ gatewayId: id, payload: { zone: 'z9', salinityLimitPpt: 2.5 } });
    const [err] = (await caught(n + 1)).slice(n);
    expect(body(err!).message).toMatch(/no current config/);
    red
      .getNode('tn-set')
      .receive({ gatewayId: id, payload: { zones: [{ id: 'z9', mode: 'off', valves: ['v9'] }] }, by: 'ktv-hoa' });
    await until(() => on(topics.config(id)).length === 1);
    expect(GatewayConfig.parse(on(topics.config(id))[0]!.payload)).toMatchObject({
      version: 1,
      issuedBy: 'ktv-hoa',
      zones: [{ id: 'z9', salinityLimitPpt: 2 }],
    });
  });

  it('valve-command publishes a valid command with an id and an expiry, and rejects an invalid one', async () => {
    const id = gw('cmd');
    const n = receiver.on('/caught').length;
    red.getNode('tn-cmd').receive({ payload: { kind: 'open', zone: 'z1' } }); // no minutes
    red.getNode('tn-cmd').receive({ payload: { kind: 'fly', zone: 'z1' } });
    red.getNode('tn-cmd').receive({ gatewayId: 'Not A Gateway', payload: { kind: 'stop-all' } });
    red.getNode('tn-cmd').receive({ payload: { kind: 'open', zone: 'z1', minutes: 20 }, by: 'farmer-an' });
    await until(() => on(topics.cmd(id)).length === 1);
    const [sent] = on(topics.cmd(id));
    const cmd = Command.parse(sent!.payload);
    expect(sent!.retain).toBe(false);
    expect(cmd).toMatchObject({ kind: 'open', zone: 'z1', minutes: 20, by: 'farmer-an' });
    expect(cmd.id).toMatch(/^nr-/);
    expect(cmd.expiresAt - cmd.issuedAt).toBe(90_000);
    const errors = (await caught(n + 3)).slice(n).map((r) => body(r).message as string);
    expect(errors.some((m) => /command rejected: minutes/.test(m))).toBe(true);
    expect(errors.some((m) => /command rejected: kind/.test(m))).toBe(true);
    expect(errors.some((m) => /not a valid id/.test(m))).toBe(true);
    // a later command through the same node arrives after anything the earlier ones published
    red.getNode('tn-cmd').receive({ gatewayId: gw('cmd-marker'), payload: { kind: 'stop-all' } });
    await until(() => on(topics.cmd(gw('cmd-marker'))).length === 1);
    expect(on(topics.cmd(id))).toHaveLength(1);
  });

  it('event-in passes only valid events of the chosen farm and kinds, with the farm attached', async () => {
    const e = (over: Partial<GatewayEvent>) =>
      JSON.stringify({ ...fixture<GatewayEvent>('event-interlock'), ts: Date.now(), ...over });
    await client.publishAsync(topics.event(gw('b')), e({ seq: 1 }), { qos: 1 }); // other farm
    await client.publishAsync(topics.event(gw('a')), e({ seq: 2, kind: 'valve_opened' }), { qos: 1 }); // other kind
    await client.publishAsync(topics.event(gw('a')), e({ seq: 3, ts: 1764288 }), { qos: 1 }); // invalid: seconds
    await client.publishAsync(topics.event(gw('a')), e({ seq: 4 }), { qos: 1 });
    await client.publishAsync(topics.event(gw('a')), e({ seq: 5, kind: 'interlock', zone: 'z2' }), { qos: 1 });
    await receiver.waitFor((r) => r.path === '/events', 2);
    // a marker published last: once it is through, every earlier event was passed or dropped
    await client.publishAsync(topics.event(gw('a')), e({ seq: 6 }), { qos: 1 });
    const got = await receiver.waitFor((r) => r.path === '/events', 3);
    expect(receiver.on('/events')).toHaveLength(3);
    expect(got.map((r) => [body(r).event.seq, body(r).gatewayId, body(r).farm, body(r).kind])).toEqual([
      [4, gw('a'), 'farm-a', 'blocked'],
      [5, gw('a'), 'farm-a', 'interlock'],
      [6, gw('a'), 'farm-a', 'blocked'],
    ]);
  });

  it('telemetry-in sends one message per reading of the chosen metrics', async () => {
    const t = fixture<Telemetry>('telemetry');
    await client.publishAsync(topics.telemetry(gw('b')), JSON.stringify(t), { qos: 1 }); // another gateway
    await client.publishAsync(topics.telemetry(gw('a')), JSON.stringify(t), { qos: 1 });
    await receiver.waitFor((r) => r.path === '/readings', 3);
    // a marker reading published last: once it is through, every earlier message was handled
    await client.publishAsync(
      topics.telemetry(gw('a')),
      JSON.stringify({ ...t, seq: t.seq + 1, readings: [{ ...t.readings[0]!, sensor: 'wl9' }] }),
      { qos: 1 },
    );
    const got = await receiver.waitFor((r) => r.path === '/readings', 4);
    expect(receiver.on('/readings')).toHaveLength(4);
    expect(got.map((r) => body(r).sensor).sort()).toEqual(['sal1', 'wl1', 'wl2', 'wl9']);
  });
});
