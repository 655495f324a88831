import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudWeb } from './support/cloud-web.js';
import { DEMO_FARMS } from '../cloud/demo/seed.js';

describe('web security of the cloud (headers, CSRF, login throttling, streams after logout)', () => {
  let t: Awaited<ReturnType<typeof startCloudWeb>>;
  beforeAll(async () => {
    t = await startCloudWeb();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('sends a CSP without inline script or framing, nosniff and a referrer policy on pages and API', async () => {
    for (const url of ['/', '/api/v1/auth/me', '/healthz']) {
      const r = await fetch(`${t.base}${url}`);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/img-src [^;]*https:\/\/tile\.openstreetmap\.org/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      // demo mode on plain http: no HSTS
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
    expect((await fetch(`${t.base}/docs`)).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('refuses a cookie write from another site with 403 AUTH_ORIGIN_REFUSED and takes the same from its own pages', async () => {
    const { cookie } = await t.login('nongdan');
    const mine = (await (await fetch(`${t.base}/api/v1/my/farms`, { headers: { cookie } })).json()) as {
      farms: { gateways: { id: string }[] }[];
    };
    const gw = mine.farms[0]!.gateways[0]!.id;
    expect(DEMO_FARMS.map((f) => f.gatewayId)).toContain(gw);
    const send = (headers: Record<string, string>) =>
      fetch(`${t.base}/api/v1/gateways/${gw}/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({ kind: 'stop-all' }),
      });
    const evil = await send({ origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({
      error: 'AUTH_ORIGIN_REFUSED',
      params: { origin: 'http://evil.example' },
    });
    expect((await send({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await send({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await t.cloud.registry.listCommands(gw)).length).toBe(0);
    const own = await send({ origin: t.base, 'sec-fetch-site': 'same-origin' });
    expect(await own.text()).toContain('stop-all');
    expect(own.status).toBe(202);
  });

  it('throttles guesses per login name, so other names behind the same address still log in', async () => {
    const tries = async (login: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        out.push(
          (
            await fetch(`${t.base}/api/v1/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ login, password: 'wrong-guess' }),
            })
          ).status,
        );
      }
      return out;
    };
    // ten unknown names, one wrong guess each: nobody is locked out
    for (let i = 0; i < 10; i++) expect(await tries(`ghost${i}`, 1)).toEqual([401]);
    expect((await t.login('canbo')).token).toBeTruthy();
    // ten wrong guesses at one name: the eleventh is 429 with its own code, however the phone is written
    expect(new Set(await tries('0900000002', 10))).toEqual(new Set([401]));
    const r = await fetch(`${t.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: '+84 900000002', password: t.password }),
    });
    expect(r.status).toBe(429);
    expect(await r.json()).toMatchObject({ error: 'AUTH_RATE_LIMITED', params: { scope: 'login' } });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await t.login('kythuat')).token).toBeTruthy();
  });

  it('answers impossible query input with 400 naming the parameter, never 500', async () => {
    const { token } = await t.login('admin');
    const auth = { authorization: `Bearer ${token}` };
    const gw = DEMO_FARMS[0].gatewayId;
    for (const [q, param] of [
      ['from=9999999999999999', 'querystring.from'],
      ['to=9999-12-31', 'querystring.to'],
      ['every=0m', 'querystring.every'],
    ] as const) {
      const r = await fetch(`${t.base}/api/v1/gateways/${gw}/readings?${q}`, { headers: auth });
      expect([q, r.status]).toEqual([q, 400]);
      expect(await r.json()).toMatchObject({ error: 'BAD_REQUEST', params: { param } });
    }
    const events = await fetch(`${t.base}/api/v1/gateways/${gw}/events?limit=100000`, { headers: auth });
    expect(await events.json()).toMatchObject({
      error: 'BAD_REQUEST',
      issues: [{ path: 'querystring.limit', code: 'too_big' }],
    });
  });

  it('closes the live stream at logout', async () => {
    const { token } = await t.login('nongdan');
    const auth = { authorization: `Bearer ${token}` };
    const stream = await fetch(`${t.base}/api/v1/stream`, { headers: auth });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read();
    expect((await fetch(`${t.base}/api/v1/auth/logout`, { method: 'POST', headers: auth })).status).toBe(200);
    for (;;) {
      const c = await reader.read();
      if (c.done) break;
    }
    expect((await fetch(`${t.base}/api/v1/auth/me`, { headers: auth })).status).toBe(401);
  });
});
