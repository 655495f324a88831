import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudService } from '../cloud/server.js';
import { loadConfig } from '../cloud/config.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';
import { DEMO_FARMS, seedDemoDistrict } from '../cloud/demo/seed.js';
import { freePort } from '../lib/ports.js';

/**
 * The gateway read routes in the full cloud: a session is required, officers see only aggregates
 * (never one farm's gateway), a farmer only the gateways of their own farm.
 */
const perGateway = (id: string) => [
  `/api/v1/gateways/${id}`,
  `/api/v1/gateways/${id}/latest`,
  `/api/v1/gateways/${id}/events`,
  `/api/v1/gateways/${id}/readings`,
];

describe('gateway read routes by role (embedded defaults, web app on)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rs-gw-roles-'));
  let svc: CloudService;
  let base = '';
  const auth: Record<string, Record<string, string>> = {};
  // the demo binds each farmer to one farm; which one is the seed's business, so ask the API
  let own = ''; // nongdan's gateway
  let other = ''; // nongdan2's gateway

  const get = (url: string, who?: string) => fetch(`${base}${url}`, { headers: who ? auth[who] : {} });

  beforeAll(async () => {
    const config = loadConfig(
      {},
      {
        PORT: await freePort(),
        MQTT_PORT: await freePort(),
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        RUONGSO_MODE: 'demo',
      },
    );
    svc = new CloudService({
      config,
      webApp: true,
      seed: async (r) => {
        await seedDemoDistrict(r);
      },
    });
    await svc.start();
    base = `http://127.0.0.1:${svc.port}`;
    for (const u of ['admin', 'nongdan', 'nongdan2', 'kythuat', 'canbo']) {
      const r = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: u, password: DEMO_PASSWORD }),
      });
      expect(r.status, `login ${u}`).toBe(200);
      auth[u] = { authorization: `Bearer ${((await r.json()) as { token: string }).token}` };
    }
    const listOf = async (who: string) =>
      ((await (await get('/api/v1/gateways', who)).json()) as { gateways: Array<{ id: string }> }).gateways.map(
        (g) => g.id,
      );
    [own, other] = [(await listOf('nongdan'))[0] ?? '', (await listOf('nongdan2'))[0] ?? ''];
    expect(own).toMatch(/^gw-/);
    expect(other).toMatch(/^gw-/);
    expect(own).not.toBe(other);
  }, 30_000);

  afterAll(async () => {
    await svc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 on every route without a session', async () => {
    for (const url of ['/api/v1/gateways', ...perGateway(own), '/api/v1/units']) {
      expect((await get(url)).status, url).toBe(401);
    }
  });

  it('refuses the officer every gateway route with 403 but shows them the units', async () => {
    for (const url of ['/api/v1/gateways', ...perGateway(own)]) {
      expect((await get(url, 'canbo')).status, url).toBe(403);
    }
    expect((await get('/api/v1/units', 'canbo')).status).toBe(200);
  });

  it("answers a farmer another farm's gateway exactly like one that does not exist, and lists only their own", async () => {
    for (const url of perGateway(other)) expect((await get(url, 'nongdan')).status, url).toBe(404);
    for (const url of perGateway(own)) expect((await get(url, 'nongdan2')).status, url).toBe(404);
    const ghost = await get('/api/v1/gateways/gw-nowhere', 'nongdan');
    const hidden = await get(`/api/v1/gateways/${other}`, 'nongdan');
    expect(((await hidden.json()) as { error: string }).error).toBe(((await ghost.json()) as { error: string }).error);
    const list = (await (await get('/api/v1/gateways', 'nongdan')).json()) as { gateways: Array<{ id: string }> };
    // three demo farms, one of them nongdan's
    expect(list.gateways.map((g) => g.id)).toEqual([own]);
    expect(DEMO_FARMS.map((f) => f.gatewayId)).toContain(own);
  });

  it("answers 200 to the farmer of the farm, the cooperative's technician and the admin", async () => {
    for (const who of ['nongdan', 'kythuat', 'admin']) {
      for (const url of ['/api/v1/gateways', ...perGateway(own), '/api/v1/units']) {
        expect((await get(url, who)).status, `${who} ${url}`).toBe(200);
      }
    }
    const list = (await (await get('/api/v1/gateways', 'kythuat')).json()) as { gateways: Array<{ id: string }> };
    expect(list.gateways.map((g) => g.id).sort()).toEqual(DEMO_FARMS.map((f) => f.gatewayId).sort());
  });

  it('answers 400 to a bad query from the right user', async () => {
    for (const q of ['readings?from=yesterday', 'events?limit=0', 'events?limit=201', 'readings?every=soon']) {
      const r = await get(`/api/v1/gateways/${own}/${q}`, 'nongdan');
      expect(r.status, q).toBe(400);
    }
  });
});
