import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FARMS } from '../cloud/demo/seed.js';
import { startCloudWeb } from './support/cloud-web.js';
import { bearerLogins } from './support/bearer-logins.js';

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
  let t: Awaited<ReturnType<typeof startCloudWeb>>;
  let get: Awaited<ReturnType<typeof bearerLogins>>['get'];
  // the demo binds each farmer to one farm; which one is the seed's business, so ask the API
  let own = ''; // nongdan's gateway
  let other = ''; // nongdan2's gateway

  beforeAll(async () => {
    t = await startCloudWeb();
    ({ get } = await bearerLogins(t, ['admin', 'nongdan', 'nongdan2', 'kythuat', 'canbo']));
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
    await t?.stop();
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
