import { afterEach, describe, expect, it } from 'vitest';
import { buildMemoryApp, bearer } from '../../test/support/memory-app.js';
import { hashPassword, verifyPassword, generatePassword } from './password.js';
import { seedUsers, formatDemoLogins } from './seed.js';
import { MemoryUserStore } from './memory-stores.js';
import { days } from '../../lib/time.js';

type Built = Awaited<ReturnType<typeof buildMemoryApp>>;
let built: Built | undefined;
afterEach(async () => {
  await built?.app.close();
  built = undefined;
});

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('mật khẩu dài');
    expect(h.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('mật khẩu dài', h)).toBe(true);
    expect(await verifyPassword('mat khau dai', h)).toBe(false);
  });
  it('generates passwords without look-alike characters', () => {
    expect(generatePassword(40)).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{40}$/);
  });
});

describe('seeding', () => {
  it('refuses a default or empty admin password in production', async () => {
    await expect(seedUsers(new MemoryUserStore(), { mode: 'production', farms: [] })).rejects.toThrow(/ADMIN_PASSWORD/);
    await expect(
      seedUsers(new MemoryUserStore(), { mode: 'production', adminPassword: 'admin', farms: [] }),
    ).rejects.toThrow(/ADMIN_PASSWORD/);
  });
  it('seeds only the admin in production and marks demo users in demo mode', async () => {
    const prod = new MemoryUserStore();
    expect(await seedUsers(prod, { mode: 'production', adminPassword: 'a-long-real-secret-42', farms: [] })).toEqual(
      [],
    );
    expect((await prod.list()).map((u) => [u.username, u.demo])).toEqual([['admin', false]]);
    const demo = new MemoryUserStore();
    const logins = await seedUsers(demo, { mode: 'demo', farms: [] });
    expect(logins.map((l) => l.role).sort()).toEqual(['admin', 'farmer', 'farmer', 'officer', 'technician']);
    expect(formatDemoLogins(logins)).toMatch(/DEMO farmer +nongdan/);
  });
});

describe('login and sessions', () => {
  it('logs in by username or phone and sets an httpOnly cookie', async () => {
    built = await buildMemoryApp();
    const res = await built.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: '+84 900 000 001', password: built.password },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.username).toBe('nongdan');
    const cookie = res.cookies.find((c) => c.name === 'rs_session');
    expect(cookie?.httpOnly).toBe(true);
    const me = await built.app.inject({ url: '/api/v1/auth/me', cookies: { rs_session: cookie!.value } });
    expect(me.json().role).toBe('farmer');
  });

  it('answers 401 to a wrong password, 400 to an empty body and 401 without a session', async () => {
    built = await buildMemoryApp();
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { login: 'nongdan', password: 'nope' },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (await built.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: '' } })).statusCode,
    ).toBe(400);
    expect((await built.app.inject({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('rate-limits repeated login attempts', async () => {
    built = await buildMemoryApp({ loginMax: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (
          await built.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { login: 'nongdan', password: 'guess' + i },
          })
        ).statusCode,
      );
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('stops one address trying many names at a ceiling ten times the per-name one', async () => {
    built = await buildMemoryApp({ loginMax: 2 });
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      codes.push(
        (
          await built.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { login: `ghost${i}`, password: 'guess' },
          })
        ).statusCode,
      );
    }
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(401));
    const last = await built.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: 'nongdan', password: built.password },
    });
    expect(last.statusCode).toBe(429);
    expect(last.json()).toMatchObject({ error: 'AUTH_RATE_LIMITED', params: { scope: 'address' } });
  });

  it('expires sessions and ends them at logout', async () => {
    let now = 1_800_000_000_000;
    built = await buildMemoryApp({ clock: { now: () => now } });
    const h = await bearer(built.app, 'kythuat');
    expect((await built.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(200);
    now += days(8);
    expect((await built.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
    const h2 = await bearer(built.app, 'kythuat');
    expect((await built.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h2 })).statusCode).toBe(200);
    expect((await built.app.inject({ url: '/api/v1/auth/me', headers: h2 })).statusCode).toBe(401);
  });

  it('changes a password, ends old sessions and records it in the audit log', async () => {
    built = await buildMemoryApp();
    const h = await bearer(built.app, 'nongdan2');
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: h,
          payload: { current: built.password },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: h,
          payload: { current: 'wrong', next: 'a-new-secret-1' },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: h,
          payload: { current: built.password, next: 'short' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: h,
          payload: { current: built.password, next: 'a-new-secret-1' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await built.app.inject({ url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
    await bearer(built.app, 'nongdan2', 'a-new-secret-1');
    const audit = await built.app.inject({ url: '/api/v1/audit', headers: await bearer(built.app, 'admin') });
    expect(audit.json().entries[0]).toMatchObject({ actor: 'nongdan2', action: 'user.password' });
  });
});

describe('users and audit routes', () => {
  it('lets only admins create users and rejects a bad body', async () => {
    built = await buildMemoryApp();
    const body = {
      username: 'farmer9',
      name: 'Chín',
      role: 'farmer',
      password: 'good-password-9',
      farmIds: ['farm-dai-an-2'],
    };
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: await bearer(built.app, 'kythuat'),
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    const admin = await bearer(built.app, 'admin');
    expect(
      (
        await built.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: admin,
          payload: { ...body, role: 'king' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await built.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: body })).statusCode,
    ).toBe(201);
    expect(
      (await built.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: body })).statusCode,
    ).toBe(409);
    const list = await built.app.inject({ url: '/api/v1/users', headers: await bearer(built.app, 'kythuat') });
    expect(
      list
        .json()
        .users.map((u: { username: string }) => u.username)
        .sort(),
    ).toEqual(['farmer9', 'nongdan', 'nongdan2']);
    expect(
      (await built.app.inject({ url: '/api/v1/users', headers: await bearer(built.app, 'nongdan') })).statusCode,
    ).toBe(403);
  });

  it('shows the audit log to technicians and admins only, and rejects a bad query', async () => {
    built = await buildMemoryApp();
    expect(
      (await built.app.inject({ url: '/api/v1/audit', headers: await bearer(built.app, 'nongdan') })).statusCode,
    ).toBe(403);
    expect(
      (await built.app.inject({ url: '/api/v1/audit', headers: await bearer(built.app, 'canbo') })).statusCode,
    ).toBe(403);
    expect(
      (await built.app.inject({ url: '/api/v1/audit?limit=0', headers: await bearer(built.app, 'admin') })).statusCode,
    ).toBe(400);
    expect(
      (await built.app.inject({ url: '/api/v1/audit', headers: await bearer(built.app, 'kythuat') })).statusCode,
    ).toBe(200);
  });

  it('puts every route in the OpenAPI document', async () => {
    built = await buildMemoryApp();
    const doc = built.app.swagger() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/users',
        '/api/v1/audit',
        '/api/v1/gateways/{id}/config',
        '/api/v1/stream',
      ]),
    );
  });
});
