import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudWeb } from './support/cloud-web.js';
import { initialConfigZones } from './support/web-chain.js';

/**
 * Every route of the OpenAPI document × (no session, each role, another farm's object). The
 * policy below must name every route the document has — a new route fails this test until its
 * roles are written here — and every route here must still exist.
 */
type Role = 'farmer' | 'technician' | 'officer' | 'admin';
const ALL: Role[] = ['farmer', 'technician', 'officer', 'admin'];
const FARM: Role[] = ['farmer', 'technician', 'admin'];
const COOP: Role[] = ['technician', 'admin'];
const REPORTS: Role[] = ['officer', 'admin'];
const ADMIN: Role[] = ['admin'];
/** 'public' routes answer without a session; `gateway` routes are scoped to the farmer's farms */
interface Rule {
  roles: Role[] | 'public';
  gateway?: true;
}

const POLICY: Record<string, Rule> = {
  'GET /healthz': { roles: 'public' },
  'GET /metrics': { roles: 'public' },
  'POST /api/v1/auth/login': { roles: 'public' },
  'POST /api/v1/auth/logout': { roles: ALL },
  'GET /api/v1/auth/me': { roles: ALL },
  'POST /api/v1/auth/password': { roles: ALL },
  'GET /api/v1/users': { roles: COOP },
  'POST /api/v1/users': { roles: ADMIN },
  'GET /api/v1/users/{id}': { roles: COOP },
  'PATCH /api/v1/users/{id}': { roles: ADMIN },
  'GET /api/v1/audit': { roles: COOP },
  'GET /api/v1/my/farms': { roles: FARM },
  'GET /api/v1/gateways/{id}/config': { roles: FARM, gateway: true },
  'PUT /api/v1/gateways/{id}/config': { roles: FARM, gateway: true },
  'POST /api/v1/gateways/{id}/commands': { roles: FARM, gateway: true },
  'GET /api/v1/gateways/{id}/commands/{cmdId}': { roles: FARM, gateway: true },
  'GET /api/v1/gateways/{id}/seq': { roles: FARM, gateway: true },
  'GET /api/v1/gateways/{id}/live': { roles: FARM, gateway: true },
  'GET /api/v1/gateways/{id}/decisions': { roles: FARM, gateway: true },
  'GET /api/v1/alerts': { roles: FARM },
  'POST /api/v1/alerts/{id}/ack': { roles: FARM },
  'GET /api/v1/stream': { roles: FARM },
  'POST /api/v1/provision/gateways': { roles: COOP },
  'GET /api/v1/fields': { roles: COOP },
  'POST /api/v1/fields': { roles: COOP },
  'GET /api/v1/fields/{id}': { roles: COOP },
  'POST /api/v1/missions/{id}/approve': { roles: COOP },
  'POST /api/v1/missions/{id}/reopen': { roles: COOP },
  'POST /api/v1/missions/{id}/fly': { roles: COOP },
  'POST /api/v1/missions/{id}/verify': { roles: COOP },
  'GET /api/v1/missions/{id}/verification': { roles: COOP },
  'GET /api/v1/missions/{id}/exports': { roles: COOP },
  'GET /api/v1/missions/{id}/export.{format}': { roles: COOP },
  'POST /api/v1/missions/{id}/respray': { roles: COOP },
  'GET /api/v1/missions/options': { roles: COOP },
  'GET /api/v1/missions': { roles: COOP },
  'POST /api/v1/missions': { roles: COOP },
  'GET /api/v1/missions/{id}': { roles: COOP },
  'GET /api/v1/reports/adoption': { roles: REPORTS },
  'GET /api/v1/reports/adoption.csv': { roles: REPORTS },
  'GET /api/v1/reports/adoption.xlsx': { roles: REPORTS },
  'GET /api/v1/reports/monthly/{unit}/{month}': { roles: REPORTS },
  'GET /api/v1/gateways': { roles: FARM },
  'GET /api/v1/gateways/{id}': { roles: FARM, gateway: true },
  'GET /api/v1/gateways/{id}/latest': { roles: FARM, gateway: true },
  'GET /api/v1/gateways/{id}/events': { roles: FARM, gateway: true },
  'GET /api/v1/gateways/{id}/readings': { roles: FARM, gateway: true },
  'GET /api/v1/units': { roles: ALL },
  'POST /api/v1/units': { roles: ADMIN },
  'PATCH /api/v1/units/{id}': { roles: ADMIN },
  'GET /api/v1/cooperatives': { roles: ALL },
  'POST /api/v1/cooperatives': { roles: ADMIN },
  'PATCH /api/v1/cooperatives/{id}': { roles: ADMIN },
  'GET /api/v1/farms': { roles: ALL },
  'POST /api/v1/farms': { roles: ADMIN },
  'PATCH /api/v1/farms/{id}': { roles: ADMIN },
  'POST /api/v1/onboarding/district': { roles: ADMIN },
};

/** valid bodies where the scope is checked after the body: the answer must then be the scope's */
const BODIES: Record<string, unknown> = {
  'PUT /api/v1/gateways/{id}/config': { zones: initialConfigZones() },
  'POST /api/v1/gateways/{id}/commands': { kind: 'stop-all' },
};
const LOGINS: Record<Role, string> = { farmer: 'nongdan', technician: 'kythuat', officer: 'canbo', admin: 'admin' };
// logging out or changing a password would end the session the other calls use: last, on their own
const SESSION_ENDING = new Set(['POST /api/v1/auth/logout']);

describe('role matrix generated from the OpenAPI document', () => {
  let t: Awaited<ReturnType<typeof startCloudWeb>>;
  let routes: string[] = [];
  const tokens = {} as Record<Role, string>;
  let own = '';
  let foreign = '';
  let adminId = '';

  beforeAll(async () => {
    t = await startCloudWeb();
    const doc = (await (await fetch(`${t.base}/docs/json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(doc.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`));
    for (const r of ALL) tokens[r] = (await t.login(LOGINS[r])).token;
    const mine = (await (
      await fetch(`${t.base}/api/v1/my/farms`, { headers: { authorization: `Bearer ${tokens.farmer}` } })
    ).json()) as { farms: { gateways: { id: string }[] }[] };
    own = mine.farms[0]!.gateways[0]!.id;
    const all = (await (
      await fetch(`${t.base}/api/v1/gateways`, { headers: { authorization: `Bearer ${tokens.admin}` } })
    ).json()) as { gateways: { id: string }[] };
    foreign = all.gateways.map((g) => g.id).find((id) => id !== own)!;
    adminId = (
      (await (
        await fetch(`${t.base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${tokens.admin}` } })
      ).json()) as { id: string }
    ).id;
  }, 90_000);
  afterAll(async () => {
    await t?.stop();
  });

  const url = (path: string, gw: string) =>
    path
      .replace(
        '{id}',
        path.startsWith('/api/v1/gateways/') ? gw : path.startsWith('/api/v1/users/') ? adminId : 'ghost-id',
      )
      .replace('{cmdId}', 'ghost-cmd')
      .replace('{format}', 'geojson')
      .replace('{unit}', 'vn-st-tde-dai-an-2')
      .replace('{month}', '2026-01');

  async function call(route: string, token: string | null, gw = own): Promise<number> {
    const [method, path] = route.split(' ') as [string, string];
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 10_000);
    try {
      const r = await fetch(`${t.base}${url(path, gw)}`, {
        method,
        signal: ctrl.signal,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
        },
        ...(method === 'GET' ? {} : { body: JSON.stringify(BODIES[route] ?? {}) }),
      });
      // a live stream answers its headers and stays open: the status is all we need
      await r.body?.cancel();
      return r.status;
    } finally {
      clearTimeout(timer);
    }
  }

  it('names every route of the document, and only those', () => {
    expect(routes.filter((r) => !POLICY[r])).toEqual([]);
    expect(Object.keys(POLICY).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('answers every route without a session with 401, except the public ones', async () => {
    const got: string[] = [];
    for (const r of routes) {
      const s = await call(r, null);
      const ok = POLICY[r]!.roles === 'public' ? s !== 401 && s < 500 : s === 401;
      if (!ok) got.push(`${r} → ${s}`);
    }
    expect(got).toEqual([]);
  }, 120_000);

  it('lets each role through exactly where the policy says, 403 elsewhere, never a 5xx', async () => {
    const got: string[] = [];
    for (const r of routes.filter((x) => !SESSION_ENDING.has(x) && POLICY[x]!.roles !== 'public')) {
      for (const role of ALL) {
        const s = await call(r, tokens[role]);
        const allowed = (POLICY[r]!.roles as Role[]).includes(role);
        const ok = allowed ? s !== 401 && s !== 403 && s < 500 : s === 403;
        if (!ok) got.push(`${role} ${r} → ${s}`);
      }
    }
    expect(got).toEqual([]);
  }, 300_000);

  it("answers a farmer another farm's gateway exactly like one that does not exist", async () => {
    const got: string[] = [];
    for (const r of routes.filter((x) => POLICY[x]!.gateway)) {
      const [hidden, ghost] = [
        await call(r, tokens.farmer, foreign),
        await call(r, tokens.farmer, 'gw-does-not-exist'),
      ];
      if (hidden !== 404 || ghost !== 404) got.push(`${r} → ${hidden} / ${ghost}`);
    }
    expect(got).toEqual([]);
    // a technician asking for a user they do not manage (the admin) gets the same 404 as for nobody
    const tech = { authorization: `Bearer ${tokens.technician}` };
    expect((await fetch(`${t.base}/api/v1/users/${adminId}`, { headers: tech })).status).toBe(404);
    expect((await fetch(`${t.base}/api/v1/users/999999`, { headers: tech })).status).toBe(404);
  }, 120_000);

  it("gives the demo officer canbo both demo communes' reports", async () => {
    const report = (await (
      await fetch(`${t.base}/api/v1/reports/adoption`, { headers: { authorization: `Bearer ${tokens.officer}` } })
    ).json()) as { units: { id: string }[]; rows: unknown[] };
    expect(report.units.map((u) => u.id)).toEqual(
      expect.arrayContaining(['vn-st-tde-dai-an-2', 'vn-st-tde-lich-hoi-thuong']),
    );
    expect(report.rows.length).toBeGreaterThan(0);
  });

  it("keeps an officer of one commune to that commune's reports", async () => {
    const admin = { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' };
    const made = await fetch(`${t.base}/api/v1/users`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        username: 'canbo-dai-an',
        name: 'Cán bộ xã',
        role: 'officer',
        password: 'lúa mùa khô về sớm 2026',
        communes: ['vn-st-tde-dai-an-2'],
      }),
    });
    expect(made.status).toBe(201);
    const r = await fetch(`${t.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'canbo-dai-an', password: 'lúa mùa khô về sớm 2026' }),
    });
    const officer = { authorization: `Bearer ${((await r.json()) as { token: string }).token}` };
    const report = (await (await fetch(`${t.base}/api/v1/reports/adoption`, { headers: officer })).json()) as {
      units: { id: string }[];
    };
    expect(report.units.map((u) => u.id)).toContain('vn-st-tde-dai-an-2');
    expect(report.units.map((u) => u.id)).not.toContain('vn-st-tde-lich-hoi-thuong');
    expect(
      (await fetch(`${t.base}/api/v1/reports/adoption?unit=vn-st-tde-lich-hoi-thuong`, { headers: officer })).status,
    ).toBe(404);
    const farms = (await (await fetch(`${t.base}/api/v1/farms`, { headers: officer })).json()) as {
      farms: { id: string }[];
    };
    expect(farms.farms.map((f) => f.id).sort()).toEqual(['farm-le-thi-hoa', 'farm-tran-van-an']);
  });

  it('loads a district through the API all-or-nothing, listing every problem', async () => {
    const admin = { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' };
    const district = {
      units: [{ id: 'vn-st-tde-trung-binh', parent: 'vn-st-tde', level: 'commune', name: 'Trung Bình' }],
      farms: [{ id: 'farm-moi', name: 'Ruộng mới', unit: 'vn-st-tde-trung-binh', cooperative: 'htx-khong-co' }],
      users: [{ username: 'moi', name: 'Mới', role: 'farmer', farms: ['farm-moi'], phone: '0900000001' }],
    };
    const bad = await fetch(`${t.base}/api/v1/onboarding/district`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(district),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; issues: { path: string; code: string }[] };
    expect(body.error).toBe('ONBOARDING_INVALID');
    expect(body.issues.map((i) => `${i.path} ${i.code}`)).toEqual([
      'farms.0.cooperative unknown_ref',
      'users.0.phone phone_taken',
    ]);
    const units = (await (await fetch(`${t.base}/api/v1/units`, { headers: admin })).json()) as {
      units: { id: string }[];
    };
    expect(units.units.map((u) => u.id)).not.toContain('vn-st-tde-trung-binh');
    district.farms[0]!.cooperative = 'htx-dai-an-2';
    delete (district.users[0] as { phone?: string }).phone;
    const good = await fetch(`${t.base}/api/v1/onboarding/district`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(district),
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({
      units: 1,
      farms: 1,
      usersCreated: ['moi'],
      passwords: { moi: expect.any(String) },
    });
  });

  it("ends each role's session at logout", async () => {
    for (const role of ALL) {
      expect(await call('POST /api/v1/auth/logout', tokens[role])).toBe(200);
      expect(await call('GET /api/v1/auth/me', tokens[role])).toBe(401);
    }
  });
});
