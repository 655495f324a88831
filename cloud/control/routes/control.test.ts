import { afterEach, describe, expect, it } from 'vitest';
import { buildMemoryApp, bearer } from '../../../test/support/memory-app.js';
import { fixture } from '../../../protocol/fixtures/index.js';
import { topics, GatewayConfig } from '../../../protocol/index.js';
import type { LiveEvent } from '../bus.js';

type Built = Awaited<ReturnType<typeof buildMemoryApp>>;
let built: Built | undefined;
afterEach(async () => {
  await built?.app.close();
  built = undefined;
});

const GW = 'gw-dai-an-1';
const zones = GatewayConfig.parse(fixture('config')).zones;

async function setup() {
  built = await buildMemoryApp();
  return {
    ...built,
    farmer: await bearer(built.app, 'nongdan'),
    other: await bearer(built.app, 'nongdan2'),
    tech: await bearer(built.app, 'kythuat'),
    officer: await bearer(built.app, 'canbo'),
  };
}

describe('config', () => {
  it('stores a new version, publishes it retained and shows pending until the gateway acks', async () => {
    const t = await setup();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/gateways/${GW}/config`,
      headers: t.farmer,
      payload: { zones, baseVersion: 0 },
    });
    expect(put.statusCode).toBe(202);
    expect(put.json()).toMatchObject({ version: 1, status: 'pending', issuedBy: 'nongdan' });
    expect(t.published).toEqual([expect.objectContaining({ topic: topics.config(GW), retain: true })]);
    expect(JSON.parse(t.published[0]!.payload).version).toBe(1);
    await t.control.onConfigAck(GW, { version: 1, status: 'applied', ts: Date.now() });
    const get = await t.app.inject({ url: `/api/v1/gateways/${GW}/config`, headers: t.farmer });
    expect(get.json()).toMatchObject({ appliedVersion: 1, desired: { version: 1, status: 'applied' } });
  });

  it("shows the gateway's rejection reasons and keeps the applied version", async () => {
    const t = await setup();
    await t.app.inject({ method: 'PUT', url: `/api/v1/gateways/${GW}/config`, headers: t.farmer, payload: { zones } });
    await t.control.onConfigAck(GW, { version: 1, status: 'applied', ts: Date.now() });
    await t.app.inject({ method: 'PUT', url: `/api/v1/gateways/${GW}/config`, headers: t.tech, payload: { zones } });
    await t.control.onConfigAck(GW, {
      version: 2,
      status: 'rejected',
      reasons: ['valve v9 does not exist'],
      ts: Date.now(),
    });
    const get = await t.app.inject({ url: `/api/v1/gateways/${GW}/config`, headers: t.farmer });
    expect(get.json()).toMatchObject({
      appliedVersion: 1,
      desired: { version: 2, status: 'rejected', reasons: ['valve v9 does not exist'] },
    });
  });

  it('answers 409 when someone saved in between, and records old → new in the audit log', async () => {
    const t = await setup();
    await t.app.inject({ method: 'PUT', url: `/api/v1/gateways/${GW}/config`, headers: t.farmer, payload: { zones } });
    const changed = zones.map((z) => (z.awd ? { ...z, awd: { ...z.awd, refloodCm: -12 } } : z));
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/gateways/${GW}/config`,
          headers: t.farmer,
          payload: { zones: changed, baseVersion: 0 },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/gateways/${GW}/config`,
          headers: t.farmer,
          payload: { zones: changed, baseVersion: 1 },
        })
      ).statusCode,
    ).toBe(202);
    const audit = (await t.app.inject({ url: '/api/v1/audit', headers: t.tech })).json().entries;
    expect(audit[0]).toMatchObject({ actor: 'nongdan', action: 'config.put', target: `gateway:${GW}` });
    expect(audit[0].old[0].awd.refloodCm).not.toBe(-12);
    expect(audit[0].new[0].awd.refloodCm).toBe(-12);
  });

  it('rejects an invalid zone with 400 and a reason', async () => {
    const t = await setup();
    const bad = zones.map((z) => ({ ...z, mode: 'awd', awd: { refloodCm: 5, targetCm: 2 } }));
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/gateways/${GW}/config`,
      headers: t.farmer,
      payload: { zones: bad },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/refloodCm|targetCm/);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/gateways/${GW}/config`,
          headers: t.farmer,
          payload: { zones: 'x' },
        })
      ).statusCode,
    ).toBe(400);
    expect(t.published).toEqual([]);
  });

  it('keeps farmers to their own farms and officers away from every control', async () => {
    const t = await setup();
    for (const [h, code] of [
      [t.other, 404],
      [t.officer, 403],
      [{}, 401],
    ] as const) {
      expect((await t.app.inject({ url: `/api/v1/gateways/${GW}/config`, headers: h })).statusCode).toBe(code);
      expect(
        (await t.app.inject({ method: 'PUT', url: `/api/v1/gateways/${GW}/config`, headers: h, payload: { zones } }))
          .statusCode,
      ).toBe(code);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/v1/gateways/${GW}/commands`,
            headers: h,
            payload: { kind: 'stop-all' },
          })
        ).statusCode,
      ).toBe(code);
      expect((await t.app.inject({ url: `/api/v1/gateways/${GW}/live`, headers: h })).statusCode).toBe(code);
      expect((await t.app.inject({ url: `/api/v1/gateways/${GW}/decisions`, headers: h })).statusCode).toBe(code);
      expect((await t.app.inject({ url: `/api/v1/gateways/${GW}/commands/x`, headers: h })).statusCode).toBe(code);
    }
    for (const url of ['/api/v1/my/farms', '/api/v1/alerts', '/api/v1/stream']) {
      expect((await t.app.inject({ url, headers: t.officer })).statusCode).toBe(403);
    }
    // a technician of another cooperative's gateway: answered like a gateway that does not exist
    expect((await t.app.inject({ url: '/api/v1/gateways/gw-lich-hoi-1/config', headers: t.tech })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ url: '/api/v1/gateways/gw-nowhere/config', headers: t.tech })).statusCode).toBe(404);
    const farms = (await t.app.inject({ url: '/api/v1/my/farms', headers: t.farmer })).json().farms;
    expect(farms.map((f: { id: string }) => f.id)).toEqual(['farm-dai-an-1']);
  });
});

describe('commands', () => {
  it('publishes a command with id and expiry and shows the ack outcome', async () => {
    const t = await setup();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/gateways/${GW}/commands`,
      headers: t.farmer,
      payload: { kind: 'open', valve: 'v1', minutes: 15 },
    });
    expect(res.statusCode).toBe(202);
    const cmd = res.json().command;
    expect(cmd.expiresAt - cmd.issuedAt).toBe(120_000);
    expect(t.published[0]).toMatchObject({ topic: topics.cmd(GW), retain: false });
    await t.control.onCmdAck(GW, { id: cmd.id, outcome: 'done', ts: Date.now() });
    const get = await t.app.inject({ url: `/api/v1/gateways/${GW}/commands/${cmd.id}`, headers: t.farmer });
    expect(get.json()).toMatchObject({ outcome: 'done' });
  });

  it("counts a command's ack only from the gateway the command was sent to", async () => {
    const t = await setup();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/gateways/${GW}/commands`,
      headers: t.farmer,
      payload: { kind: 'close', valve: 'v1' },
    });
    const cmd = res.json().command;
    await t.control.onCmdAck('gw-someone-else', { id: cmd.id, outcome: 'rejected', reason: 'forged', ts: Date.now() });
    const get = await t.app.inject({ url: `/api/v1/gateways/${GW}/commands/${cmd.id}`, headers: t.farmer });
    expect(get.json()).toMatchObject({ outcome: 'sent' });
  });

  it('rejects a command without minutes or a target with 400', async () => {
    const t = await setup();
    for (const payload of [
      { kind: 'open', valve: 'v1' },
      { kind: 'close' },
      { kind: 'explode' },
      { kind: 'open', valve: 'v1', minutes: -1 },
    ]) {
      expect(
        (await t.app.inject({ method: 'POST', url: `/api/v1/gateways/${GW}/commands`, headers: t.farmer, payload }))
          .statusCode,
      ).toBe(400);
    }
    expect(
      (await t.app.inject({ url: `/api/v1/gateways/${GW}/decisions?limit=nope`, headers: t.farmer })).statusCode,
    ).toBe(400);
  });
});

describe('live state, events and alerts', () => {
  it('tracks valves, faults and interlocks from gateway events and raises alerts', async () => {
    const t = await setup();
    const seen: LiveEvent[] = [];
    t.bus.subscribe((e) => seen.push(e));
    const now = Date.now();
    await t.app.inject({ method: 'PUT', url: `/api/v1/gateways/${GW}/config`, headers: t.farmer, payload: { zones } });
    await t.control.onConfigAck(GW, { version: 1, status: 'applied', ts: now });
    t.control.onState(GW, { online: true, ts: now });
    await t.control.onEvent(GW, {
      bootId: 'boot1',
      ts: now,
      kind: 'valve_opened',
      valve: 'v1',
      severity: 'info',
      reason: 'AWD: level −16 cm ≤ −15 cm',
    });
    await t.control.onEvent(GW, {
      bootId: 'boot1',
      ts: now,
      kind: 'interlock',
      zone: zones[0]!.id,
      severity: 'warning',
      reason: 'blocked: intake salinity 3.4‰ > 2.0‰',
    });
    await t.control.onEvent(GW, {
      bootId: 'boot1',
      ts: now,
      kind: 'sensor_fault',
      sensor: 's9',
      severity: 'warning',
      reason: 'timeout',
    });
    const wl = zones.find((z) => z.sensors.waterLevel)!.sensors.waterLevel!;
    t.control.onTelemetry(GW, {
      bootId: 'boot1',
      seq: 0,
      readings: [{ sensor: wl.sensor, metric: wl.metric, value: -35, unit: 'cm', ts: now, quality: 'good' }],
    });
    t.control.onState(GW, { online: false });
    const live = (await t.app.inject({ url: `/api/v1/gateways/${GW}/live`, headers: t.farmer })).json();
    expect(live).toMatchObject({ online: false, actuators: { v1: true }, faults: { s9: 'timeout' } });
    const events = (await t.app.inject({ url: `/api/v1/gateways/${GW}/decisions?limit=2`, headers: t.farmer })).json()
      .events;
    expect(events[0].kind).toBe('sensor_fault');
    const alerts = (await t.app.inject({ url: '/api/v1/alerts', headers: t.farmer })).json().alerts;
    expect(alerts.map((a: { kind: string }) => a.kind).sort()).toEqual([
      'gateway_offline',
      'salinity_interlock',
      'sensor_fault',
      'water_level',
    ]);
    expect((await t.app.inject({ url: '/api/v1/alerts', headers: t.other })).json().alerts).toEqual([]);
    expect(seen.map((e) => e.type)).toEqual(expect.arrayContaining(['config', 'state', 'event', 'telemetry']));
  });

  it('shows a gateway that cannot write its disk as degraded with a critical alert, until its state is healthy again', async () => {
    const t = await setup();
    const kinds = async () =>
      (await t.app.inject({ url: '/api/v1/alerts', headers: t.farmer }))
        .json()
        .alerts.map((a: { kind: string }) => a.kind);
    t.control.onState(GW, { online: true, ts: Date.now(), degraded: ['disk_full'] });
    expect((await t.app.inject({ url: `/api/v1/gateways/${GW}/live`, headers: t.farmer })).json()).toMatchObject({
      online: true,
      degraded: ['disk_full'],
    });
    expect(await kinds()).toEqual(['gateway_disk_full']);
    t.control.onState(GW, { online: true, ts: Date.now() });
    expect((await t.app.inject({ url: `/api/v1/gateways/${GW}/live`, headers: t.farmer })).json()).toMatchObject({
      degraded: [],
    });
    expect(await kinds()).toEqual([]);
  });

  it('acknowledges an alert on the server for everyone who sees it, audited, until the same alert comes back', async () => {
    const t = await setup();
    t.control.onState(GW, { online: true, ts: 1_800_000_000_000 });
    t.control.onState(GW, { online: false });
    const list = async (h = t.farmer) =>
      (await t.app.inject({ url: '/api/v1/alerts', headers: h })).json().alerts as {
        id: string;
        ack?: { by: string };
      }[];
    const [offline] = await list();
    expect(offline).toMatchObject({ id: `${GW}:offline` });
    expect(offline!.ack).toBeUndefined();
    const url = `/api/v1/alerts/${encodeURIComponent(offline!.id)}/ack`;
    // another farm's alert answers like one that does not exist; officers have no alerts
    expect((await t.app.inject({ method: 'POST', url, headers: t.other })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url, headers: t.officer })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/alerts/${GW}:nothing/ack`, headers: t.farmer })).json().error,
    ).toBe('NOT_FOUND');
    const r = await t.app.inject({ method: 'POST', url, headers: t.farmer });
    expect(r.statusCode).toBe(200);
    expect(r.json().alert).toMatchObject({ id: offline!.id, ack: { by: 'nongdan' } });
    // the technician sees the farmer's acknowledgement; a second one keeps the first
    expect((await list(t.tech))[0]?.ack?.by).toBe('nongdan');
    expect((await t.app.inject({ method: 'POST', url, headers: t.tech })).json().alert.ack.by).toBe('nongdan');
    const audit = (await t.app.inject({ url: '/api/v1/audit', headers: t.tech })).json<{
      entries: { action: string; target: string }[];
    }>();
    expect(audit.entries.filter((e) => e.action === 'alert.ack').map((e) => e.target)).toContain(
      `alert:${offline!.id}`,
    );
    // back online, then offline again: a new occurrence, not acknowledged
    t.control.onState(GW, { online: true, ts: 1_800_000_100_000 });
    t.control.onState(GW, { online: false });
    expect((await list())[0]?.ack).toBeUndefined();
  });

  it("answers a farmer's login with the farms and the first gateway's live view, a technician's with none", async () => {
    const t = await setup();
    t.control.onState(GW, { online: true, ts: Date.now() });
    const wl = zones.find((z) => z.sensors.waterLevel)!.sensors.waterLevel!;
    t.control.onTelemetry(GW, {
      bootId: 'boot1',
      seq: 0,
      readings: [{ sensor: wl.sensor, metric: wl.metric, value: -7.5, unit: 'cm', ts: Date.now(), quality: 'good' }],
    });
    const login = async (l: string) =>
      (
        await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: l, password: t.password } })
      ).json();
    const farmer = await login('nongdan');
    const farms = (await t.app.inject({ url: '/api/v1/my/farms', headers: t.farmer })).json().farms;
    expect(farmer.start.farms).toEqual(farms);
    expect(farmer.start.gateway).toMatchObject({
      id: GW,
      live: { online: true, readings: [{ sensor: wl.sensor, value: -7.5 }] },
      config: { gatewayId: GW },
      alerts: [],
    });
    expect(farmer.start.gateway.live).toEqual(
      (await t.app.inject({ url: `/api/v1/gateways/${GW}/live`, headers: t.farmer })).json(),
    );
    expect((await login('kythuat')).start).toBeNull();
  });

  it("streams only the user's own gateways over SSE", async () => {
    const t = await setup();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const res = await fetch(`${address}/api/v1/stream`, { headers: t.farmer, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    await reader.read();
    t.control.onState('gw-dai-an-2', { online: true, ts: 1_800_000_000_000 });
    t.control.onState(GW, { online: true, ts: 1_800_000_000_001 });
    let text = '';
    while (!text.includes(GW)) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: state');
    expect(text).not.toContain('gw-dai-an-2');
    ctrl.abort();
  });
});

describe('gateway provisioning', () => {
  it("gives a technician the new gateway's broker credentials once and keeps other roles out", async () => {
    const t = await setup();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/provision/gateways',
      headers: t.tech,
      payload: { gatewayId: 'gw-new-1', farmId: 'farm-dai-an-2' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ gatewayId: 'gw-new-1', username: 'gw-new-1' });
    expect(res.json().password.length).toBeGreaterThanOrEqual(24);
    expect(t.provisioner.gateways.get('gw-new-1')?.password).toBe(res.json().password);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/provision/gateways',
          headers: t.tech,
          payload: { gatewayId: 'gw-new-1', farmId: 'farm-dai-an-2' },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/provision/gateways',
          headers: t.tech,
          payload: { gatewayId: 'GW NEW', farmId: 'farm-dai-an-2' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/provision/gateways',
          headers: t.tech,
          payload: { gatewayId: 'gw-new-2', farmId: 'farm-lich-hoi-1' },
        })
      ).statusCode,
    ).toBe(404);
    for (const h of [t.farmer, t.officer]) {
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/provision/gateways',
            headers: h,
            payload: { gatewayId: 'gw-new-3', farmId: 'farm-dai-an-1' },
          })
        ).statusCode,
      ).toBe(403);
    }
    const audit = (await t.app.inject({ url: '/api/v1/audit', headers: t.tech })).json().entries;
    expect(JSON.stringify(audit)).not.toContain(res.json().password);
  });
});
