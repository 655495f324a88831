import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../cloud/app.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import type { Registry } from '../cloud/registry/registry.js';
import { SqliteTelemetryStore } from '../cloud/telemetry/sqlite-store.js';

const T = Date.UTC(2026, 2, 10, 5, 0);

describe('the latest values of a gateway', () => {
  let dir: string;
  let registry: Registry;
  let store: SqliteTelemetryStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-latest-'));
    const file = path.join(dir, 'ruongso.sqlite');
    registry = createSqliteRegistry(file);
    await registry.init();
    store = new SqliteTelemetryStore({ file });
    await store.init();
    await registry.upsertGateway({ id: 'gw-f', farmId: null, name: 'Cống F' }, 'test');
    await store.write([
      {
        gatewayId: 'gw-f',
        sensor: 'sal1',
        metric: 'salinity',
        value: null,
        unit: 'ppt',
        ts: T,
        quality: 'bad',
        fault: 'timeout',
      },
      {
        gatewayId: 'gw-f',
        sensor: 'wl1',
        metric: 'water_level',
        value: 999,
        unit: 'cm',
        ts: T,
        quality: 'bad',
        fault: 'out_of_range',
      },
      {
        gatewayId: 'gw-f',
        sensor: 'soil1',
        metric: 'soil_moisture',
        value: 31.5,
        unit: '%VWC',
        ts: T,
        quality: 'good',
      },
    ]);
    app = await buildApp({
      registry,
      store,
      clock: { now: () => T + 60_000 },
      brokerHealth: () => ({ ok: true, kind: 'test' }),
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await registry?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keep a bad reading's fault kind, so the app can say why the value is missing", async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/gateways/gw-f/latest' });
    expect(res.statusCode).toBe(200);
    const latest = res.json<{ latest: Array<Record<string, unknown>> }>().latest;
    expect(latest.find((l) => l.sensor === 'sal1')).toMatchObject({ quality: 'bad', value: null, fault: 'timeout' });
    expect(latest.find((l) => l.sensor === 'wl1')).toMatchObject({ quality: 'bad', value: 999, fault: 'out_of_range' });
    expect(latest.find((l) => l.sensor === 'soil1')).not.toHaveProperty('fault');
  });
});
