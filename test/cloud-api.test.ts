import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../cloud/app.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import type { Registry } from '../cloud/registry/registry.js';
import { SqliteTelemetryStore } from '../cloud/telemetry/sqlite-store.js';
import type { TelemetryStore } from '../cloud/telemetry/store.js';
import { fixture } from '../protocol/fixtures/index.js';
import { GatewayEvent, Telemetry } from '../protocol/index.js';

const telemetry = Telemetry.parse(fixture('telemetry'));
const T = telemetry.ts!;
const NOW = T + 60_000;

describe('cloud API on SQLite', () => {
  let dir: string;
  let registry: Registry;
  let store: TelemetryStore;
  let app: FastifyInstance;
  let brokerOk = true;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-api-'));
    const file = path.join(dir, 'ruongso.sqlite');
    registry = createSqliteRegistry(file);
    await registry.init();
    store = new SqliteTelemetryStore({ file });
    await store.init();
    await registry.upsertUnit(
      { id: 'lich-hoi-thuong', parentId: null, level: 'commune', name: 'Lịch Hội Thượng' },
      'test',
    );
    await registry.upsertFarm(
      { id: 'farm-b', name: 'Ruộng bà Năm', owner: null, unitId: 'lich-hoi-thuong', cooperativeId: null, areaHa: 1.2 },
      'test',
    );
    await registry.upsertGateway({ id: 'gw-b', farmId: 'farm-b', name: 'Cống B' }, 'test');
    await registry.recordState('gw-b', fixture('state-birth'), T);
    await registry.recordTelemetry('gw-b', telemetry, T + 1);
    await store.write(telemetry.readings.map((r) => ({ ...r, gatewayId: 'gw-b' })));
    app = await buildApp({
      registry,
      store,
      clock: { now: () => NOW },
      brokerHealth: () => (brokerOk ? { ok: true, kind: 'test' } : { ok: false, detail: 'not connected' }),
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await registry?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('is healthy when broker, telemetry and registry answer, and 503 naming the one that does not', async () => {
    const ok = await get('/healthz');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'ok',
      broker: { ok: true },
      telemetry: { ok: true, kind: 'sqlite' },
      registry: { ok: true, kind: 'sqlite' },
    });
    brokerOk = false;
    try {
      const down = await get('/healthz');
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({
        status: 'degraded',
        broker: { ok: false, detail: 'not connected' },
        registry: { ok: true },
      });
    } finally {
      brokerOk = true;
    }
  });

  it('lists gateways with farm, commune, online state and their latest readings', async () => {
    const res = await get('/api/v1/gateways');
    expect(res.statusCode).toBe(200);
    const gw = res.json().gateways.find((g: { id: string }) => g.id === 'gw-b');
    expect(gw).toMatchObject({
      name: 'Cống B',
      farm: { id: 'farm-b', name: 'Ruộng bà Năm' },
      commune: { id: 'lich-hoi-thuong', name: 'Lịch Hội Thượng' },
      online: true,
      lastSeq: telemetry.seq,
      lastSeen: T + 1,
    });
    expect(gw.latest).toHaveLength(telemetry.readings.length);
    expect(gw.latest).toContainEqual(
      expect.objectContaining({ sensor: 'wl1', metric: 'water_level', value: -12.4, quality: 'good' }),
    );
  });

  it('shows one gateway, or 404 for one it does not know, or 400 for an id that cannot be one', async () => {
    expect((await get('/api/v1/gateways/gw-b')).json()).toMatchObject({
      id: 'gw-b',
      units: [{ level: 'commune' }],
      fw: 'ruongso-edge/0.1.0',
    });
    const missing = await get('/api/v1/gateways/gw-nowhere');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'NOT_FOUND', message: 'gateway gw-nowhere is not registered' });
    const bad = await get('/api/v1/gateways/BAD%20ID');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^params\.id: /);
  });

  it('gives the latest value per sensor', async () => {
    const res = await get('/api/v1/gateways/gw-b/latest');
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .latest.map((l: { sensor: string; metric: string }) => `${l.sensor}/${l.metric}`)
        .sort(),
    ).toEqual(telemetry.readings.map((r) => `${r.sensor}/${r.metric}`).sort());
    expect((await get('/api/v1/gateways/gw-none/latest')).statusCode).toBe(404);
  });

  it('gives the last 24 h of every metric when asked nothing', async () => {
    const res = await get('/api/v1/gateways/gw-b/readings');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: NOW - 86_400_000, to: NOW, every: '5m', everyMs: 300_000 });
    expect(body.series.find((s: { sensor: string }) => s.sensor === 'wl1')).toMatchObject({
      metric: 'water_level',
      unit: 'cm',
      points: [{ mean: -12.4, count: 1 }],
    });
  });

  it('filters by metric and sensor over a range given as ISO 8601 or ms, per bucket', async () => {
    const from = new Date(T - 3_600_000).toISOString();
    const res = await get(
      `/api/v1/gateways/gw-b/readings?metric=soil_moisture&sensor=soil1&from=${encodeURIComponent(from)}&to=${T + 1}&every=1h`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().series).toEqual([
      {
        sensor: 'soil1',
        metric: 'soil_moisture',
        unit: '%VWC',
        points: [expect.objectContaining({ mean: 38.2, min: 38.2, max: 38.2, count: 1 })],
      },
    ]);
    const outside = await get(`/api/v1/gateways/gw-b/readings?from=${T + 10}&to=${T + 20}`);
    expect(outside.json().series).toEqual([]);
  });

  it.each([
    ['from=yesterday', /querystring\.from: from must be an ISO 8601 time/],
    ['to=2025-13-45T00:00:00Z', /querystring\.to: to must be an ISO 8601 time/],
    ['every=5w', /querystring\.every: every must be a count and a unit/],
    ['metric=Water%20Level', /querystring\.metric: /],
    ['sensor=a%2Fb', /querystring\.sensor: /],
    [`from=${T}&to=${T - 1}`, /from \(.*\) must be before to/],
    [`from=0&to=${T}&every=1m`, /every=1m over this range gives \d+ points per series, more than 5000/],
  ])('answers a bad query (%s) with a 400 naming the parameter', async (qs, message) => {
    const res = await get(`/api/v1/gateways/gw-b/readings?${qs}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'BAD_REQUEST', message: expect.stringMatching(message) });
  });

  it("lists a gateway's recent events, newest first, and refuses a limit past what is kept", async () => {
    const ev = GatewayEvent.parse(fixture('event-opened'));
    await registry.recordEvent('gw-b', ev, T);
    await registry.recordEvent(
      'gw-b',
      { ...ev, ts: ev.ts + 1, kind: 'valve_closed', reason: 'closed: water level +5 cm reached' },
      T + 1,
    );
    const res = await get('/api/v1/gateways/gw-b/events?limit=2');
    expect(res.statusCode).toBe(200);
    expect(res.json().events.map((e: { kind: string }) => e.kind)).toEqual(['valve_closed', 'valve_opened']);
    expect((await get('/api/v1/gateways/gw-b')).json().events[0]).toMatchObject({
      kind: 'valve_closed',
      reason: 'closed: water level +5 cm reached',
    });
    const bad = await get('/api/v1/gateways/gw-b/events?limit=500');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^querystring\.limit: limit must be at most 200/);
  });

  it('gives the administrative tree with its levels', async () => {
    const body = (await get('/api/v1/units')).json();
    expect(body.levels.map((l: { level: string }) => l.level)).toEqual(['province', 'district', 'commune', 'hamlet']);
    expect(body.units).toContainEqual({
      id: 'lich-hoi-thuong',
      parentId: null,
      level: 'commune',
      name: 'Lịch Hội Thượng',
    });
  });

  it('answers 404 for the readings of an unknown gateway', async () => {
    expect((await get('/api/v1/gateways/gw-nowhere/readings')).statusCode).toBe(404);
  });

  it('serves Prometheus text with ingest counters and process metrics', async () => {
    const res = await get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^# HELP ruongso_mqtt_messages_total/m);
    expect(res.body).toMatch(/^ruongso_process_\w*cpu_user_seconds_total /m);
  });

  it('documents every API route in the OpenAPI document, with the UI at /docs', async () => {
    const doc = (await get('/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/healthz',
      '/metrics',
      '/api/v1/units',
      '/api/v1/gateways',
      '/api/v1/gateways/{id}',
      '/api/v1/gateways/{id}/latest',
      '/api/v1/gateways/{id}/events',
      '/api/v1/gateways/{id}/readings',
    ]) {
      expect(doc.paths[p]?.get, p).toBeDefined();
    }
    const params = doc.paths['/api/v1/gateways/{id}/readings'].get.parameters.map((x: { name: string }) => x.name);
    expect(params).toEqual(expect.arrayContaining(['id', 'metric', 'sensor', 'from', 'to', 'every']));
    expect((await get('/docs')).statusCode).toBeLessThan(400);
  });

  it('shows the page in Vietnamese by default and in English on request', async () => {
    const vi = await get('/');
    expect(vi.statusCode).toBe(200);
    expect(vi.headers['content-type']).toMatch(/text\/html/);
    expect(vi.body).toContain('Cổng kết nối và số đo mới nhất');
    expect(vi.body).toContain('Ruộng bà Năm');
    expect(vi.body).toContain('Mực nước');
    expect(vi.body).toContain('Trực tuyến');
    const en = await get('/?lang=en');
    expect(en.body).toContain('Gateways and their latest readings');
    expect(en.body).toContain('Water level');
    expect(en.body).toMatch(/<html lang="en">/);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await get('/api/v1/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('NOT_FOUND');
  });
});

describe('cloud API when something breaks inside', () => {
  it('answers 500 without the internals, and keeps the list alive when the store is down', async () => {
    const registry = createSqliteRegistry(':memory:');
    await registry.init();
    await registry.upsertGateway({ id: 'gw-x', farmId: null, name: null }, 'test');
    const broken: TelemetryStore = {
      kind: 'sqlite',
      init: async () => undefined,
      write: async () => ({ written: 0, rejected: 0 }),
      query: async () => {
        throw new Error('disk I/O error at /secret/path.sqlite');
      },
      latest: async () => {
        throw new Error('disk I/O error at /secret/path.sqlite');
      },
      health: async () => ({ ok: false, kind: 'sqlite', detail: 'disk I/O error' }),
      close: async () => undefined,
    };
    const app = await buildApp({ registry, store: broken, brokerHealth: () => ({ ok: true }) });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/v1/gateways/gw-x/readings' });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('secret');
      expect(res.json()).toMatchObject({ error: 'INTERNAL', message: expect.stringMatching(/request/) });
      const list = await app.inject({ method: 'GET', url: '/api/v1/gateways' });
      expect(list.statusCode).toBe(200);
      expect(list.json().gateways[0]).toMatchObject({ id: 'gw-x', latest: null });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);
    } finally {
      await app.close();
      await registry.close();
    }
  });
});

describe('cloud API beside the full web app', () => {
  it('moves the first page off "/" when asked, and registers further plugins', async () => {
    const registry = createSqliteRegistry(':memory:');
    await registry.init();
    const store = new SqliteTelemetryStore({ file: ':memory:' });
    await store.init();
    const app = await buildApp({
      registry,
      store,
      brokerHealth: () => ({ ok: true }),
      page: '/status',
      plugins: [
        {
          plugin: async (f) => {
            f.get('/', { schema: { hide: true } }, async () => 'full web app');
          },
        },
      ],
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/' })).body).toBe('full web app');
      expect((await app.inject({ method: 'GET', url: '/status?lang=en' })).body).toContain('No gateways yet.');
    } finally {
      await app.close();
      await store.close();
      await registry.close();
    }
  });
});
