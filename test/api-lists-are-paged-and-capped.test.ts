import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE } from '../cloud/http/paging.js';
import { fixture } from '../protocol/fixtures/index.js';
import { GatewayEvent } from '../protocol/index.js';
import { startCloudWeb } from './support/cloud-web.js';
import { bearerLogins } from './support/bearer-logins.js';

type Json = Record<string, unknown>;

/** Every list route of the API takes limit + offset, refuses a limit over its cap, and pages disjointly. */
describe('API lists are paged and capped (full cloud, demo district)', () => {
  let t: Awaited<ReturnType<typeof startCloudWeb>>;
  let as: Awaited<ReturnType<typeof bearerLogins>>;
  let gw = '';

  const get = async (url: string, who: string) => {
    const r = await as.get(url, who);
    return { status: r.status, body: (await r.json()) as Json };
  };
  const sep = (url: string) => (url.includes('?') ? '&' : '?');

  /** a limit over the cap is a 400 naming querystring.limit; limit=1 pages 0 and 1 hold different items */
  async function checkList(url: string, key: string, who: string, opts: { cap?: number; pages?: boolean } = {}) {
    const cap = opts.cap ?? MAX_PAGE;
    const over = await get(`${url}${sep(url)}limit=${cap + 1}`, who);
    expect(over.status, `${url} limit over the cap`).toBe(400);
    expect(over.body).toMatchObject({ error: 'BAD_REQUEST', params: { param: 'querystring.limit' } });
    expect((await get(`${url}${sep(url)}offset=-1`, who)).status, `${url} negative offset`).toBe(400);
    if (opts.pages === false) {
      const ok = await get(`${url}${sep(url)}limit=1`, who);
      expect(ok.status).toBe(200);
      expect(ok.body).toHaveProperty('hasMore');
      return;
    }
    const p0 = await get(`${url}${sep(url)}limit=1&offset=0`, who);
    const p1 = await get(`${url}${sep(url)}limit=1&offset=1`, who);
    expect(p0.status, url).toBe(200);
    expect(p1.status, url).toBe(200);
    const a = p0.body[key] as unknown[];
    const b = p1.body[key] as unknown[];
    expect(a, `${url} page 0`).toHaveLength(1);
    expect(b, `${url} page 1`).toHaveLength(1);
    expect(JSON.stringify(a[0])).not.toBe(JSON.stringify(b[0]));
    expect(p0.body).toMatchObject({ hasMore: true, nextOffset: 1 });
    const whole = await get(url, who);
    const all = whole.body[key] as unknown[];
    expect(whole.body).toMatchObject({ hasMore: false, nextOffset: null });
    expect(all.map((x) => JSON.stringify(x)).slice(0, 2)).toEqual([JSON.stringify(a[0]), JSON.stringify(b[0])]);
  }

  beforeAll(async () => {
    t = await startCloudWeb();
    as = await bearerLogins(t, ['admin', 'nongdan', 'kythuat']);
    gw = ((await get('/api/v1/gateways', 'nongdan')).body.gateways as Array<{ id: string }>)[0]!.id;
    const ev = GatewayEvent.parse(fixture('event-opened'));
    for (let i = 1; i <= 3; i++)
      await t.cloud.registry.recordEvent(gw, { ...ev, ts: ev.ts + i * 1000, seq: ev.seq! + i }, ev.ts + i * 1000);
    // three fields on the technician's first farm, 1 km apart
    const farmId = ((await get('/api/v1/my/farms', 'kythuat')).body.farms as Array<{ id: string }>)[0]!.id;
    for (let i = 0; i < 3; i++) {
      const x = 105.5 + i * 0.01;
      const geojson = {
        type: 'Polygon',
        coordinates: [
          [
            [x, 10],
            [x + 0.001, 10],
            [x + 0.001, 10.001],
            [x, 10.001],
            [x, 10],
          ],
        ],
      };
      const r = await fetch(`${t.base}/api/v1/fields`, {
        method: 'POST',
        headers: { ...as.auth.kythuat, 'content-type': 'application/json' },
        body: JSON.stringify({ farmId, name: `Thửa ${i}`, geojson }),
      });
      expect(r.status, await r.clone().text()).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('pages the gateways and their events', async () => {
    await checkList('/api/v1/gateways', 'gateways', 'admin');
    await checkList(`/api/v1/gateways/${gw}/events`, 'events', 'nongdan', { cap: 200 });
  });

  it('pages decisions, alerts and my farms', async () => {
    await checkList(`/api/v1/gateways/${gw}/decisions`, 'events', 'nongdan');
    await checkList('/api/v1/alerts', 'alerts', 'admin', { pages: false });
    await checkList('/api/v1/my/farms', 'farms', 'admin');
  });

  it('pages the audit log and the users', async () => {
    await checkList('/api/v1/audit', 'entries', 'admin');
    await checkList('/api/v1/users', 'users', 'admin');
  });

  it('pages units, cooperatives and farms', async () => {
    await checkList('/api/v1/units', 'units', 'admin');
    await checkList('/api/v1/farms', 'farms', 'admin');
    await checkList('/api/v1/cooperatives', 'cooperatives', 'admin', { pages: false });
  });

  it('pages fields and missions', async () => {
    await checkList('/api/v1/fields', 'fields', 'kythuat');
    await checkList('/api/v1/missions', 'missions', 'kythuat', { pages: false });
  });
});
