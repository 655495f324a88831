import { describe, expect, it } from 'vitest';
import { accountsPerTest } from './support/accounts-per-test.js';
import { ReportService } from '../cloud/reports/service.js';
import { DEMO_FARMS, DEMO_UNITS } from '../cloud/demo/seed.js';
import type { ReportFacts } from '../cloud/reports/facts.js';

const start = accountsPerTest();
const COMMUNES = DEMO_UNITS.filter((u) => u.level === 'commune').map((u) => u.id);
const GOOD_PW = 'lúa mùa khô về sớm 2026';

describe('accounts on the registry: scopes as given, one id, one phone, deactivation', () => {
  it('stores several farms and several communes, returns the stored id, and the officer logs in with them', async () => {
    const { t, admin } = await start();
    const res = await admin.post('/api/v1/users', {
      username: 'bahai',
      name: 'Ba Hai',
      role: 'farmer',
      password: GOOD_PW,
      farmIds: [DEMO_FARMS[0].id, DEMO_FARMS[1].id],
    });
    expect(res.statusCode).toBe(201);
    const farmer = res.json();
    expect(farmer.farmIds).toEqual([DEMO_FARMS[0].id, DEMO_FARMS[1].id]);
    const stored = (await t.reg.listUsers()).find((u) => u.username === 'bahai')!;
    expect(farmer.id).toBe(String(stored.id));
    expect((await admin.get(`/api/v1/users/${farmer.id}`)).json()).toEqual(farmer);
    const farms = (await t.app.inject({ url: '/api/v1/my/farms', headers: await t.login('bahai', GOOD_PW) }))
      .json()
      .farms.map((f: { id: string }) => f.id);
    expect(farms.sort()).toEqual([DEMO_FARMS[0].id, DEMO_FARMS[1].id].sort());

    // communes by id or by their unique name: stored as unit ids
    const off = await admin.post('/api/v1/users', {
      username: 'canbo2',
      name: 'Cán bộ',
      role: 'officer',
      password: GOOD_PW,
      communes: ['Đại Ân 2', COMMUNES[1]],
    });
    expect(off.statusCode).toBe(201);
    expect(off.json().communes).toEqual(COMMUNES);
    const me = (await t.app.inject({ url: '/api/v1/auth/me', headers: await t.login('canbo2', GOOD_PW) })).json();
    expect(me).toMatchObject({ id: off.json().id, communes: COMMUNES });
  });

  it('gives the demo officer the demo communes, so his reports have roots', async () => {
    const { t } = await start();
    const canbo = (await t.app.inject({ url: '/api/v1/auth/me', headers: await t.login('canbo') })).json();
    expect([...canbo.communes].sort()).toEqual([...COMMUNES].sort());
    const roots = new ReportService(t.reg, {} as ReportFacts).roots(
      { role: 'officer', communes: canbo.communes },
      await t.reg.listUnits(),
    );
    expect(roots.map((u) => u.id).sort()).toEqual([...COMMUNES].sort());
  });

  it('keeps one account per phone number however it is written, and refuses unknown scopes with 400 naming the field', async () => {
    const { t, admin } = await start();
    const post = (payload: object) =>
      admin.post('/api/v1/users', { name: 'X', role: 'farmer', password: GOOD_PW, ...payload });
    const dup = await post({ username: 'trung', phone: '+84 900000001' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: 'USER_TAKEN', params: { field: 'phone' } });
    const ok = await post({ username: 'trung', phone: '0912 345 678' });
    expect(ok.json().phone).toBe('+84912345678');
    expect((await t.login('+84912345678', GOOD_PW)).authorization).toMatch(/^Bearer /);
    const bad = await post({ username: 'sai', phone: '12345' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0]).toMatchObject({ path: 'body.phone', code: 'phone_invalid' });
    const coop = await post({ username: 'ktv', role: 'technician', cooperativeId: 'htx-nowhere' });
    expect(coop.statusCode).toBe(400);
    expect(coop.json()).toMatchObject({
      error: 'USER_INVALID',
      params: { field: 'cooperativeId', value: 'htx-nowhere' },
    });
    expect((await post({ username: 'xa-sai', role: 'officer', communes: ['Xã Không Có'] })).json()).toMatchObject({
      error: 'USER_INVALID',
      params: { field: 'communes' },
    });
    expect((await t.reg.listUsers()).map((u) => u.username)).not.toContain('ktv');
  });

  it("ends a deactivated user's sessions and live stream at once, and records old → new", async () => {
    const { t, admin } = await start();
    const farmer = await t.login('nongdan');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await fetch(`${address}/api/v1/stream`, { headers: farmer });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read();
    const id = (await t.app.inject({ url: '/api/v1/auth/me', headers: farmer })).json().id;
    const off = await admin.patch(`/api/v1/users/${id}`, { active: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    // the stream ends: read() resolves done instead of waiting for the next heartbeat
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
    }
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: farmer })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { login: 'nongdan', password: 'kiem-thu-lua-2026' },
        })
      ).statusCode,
    ).toBe(401);
    const audit = (await admin.get(`/api/v1/audit?target=user:${id}`)).json().entries;
    expect(audit[0]).toMatchObject({
      action: 'deactivate',
      actor: 'admin',
      old: { disabled: false },
      new: { disabled: true },
    });
  });
});
