import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createSqliteRegistry } from '../registry/sqlite-registry.js';
import type { Registry } from '../registry/registry.js';
import { hashPassword as registryHash } from '../registry/password.js';
import { RegistryAuditLog, RegistryFarmDirectory, RegistryUserStore } from './registry-adapters.js';
import { RegistryProvisioner } from '../control/registry-stores.js';
import { registryControlStores } from '../control/plugin.js';
import { MemorySessionStore } from './memory-stores.js';
import { seedUsers, DEMO_PASSWORD } from './seed.js';
import { verifyPassword } from './password.js';
import { initialConfigZones } from '../../test/support/web-chain.js';
import { memoryUplink, registerFeatures } from '../../test/support/memory-app.js';

let dir: string | undefined;
let reg: Registry | undefined;
afterEach(async () => {
  await reg?.close();
  reg = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function setup() {
  dir = mkdtempSync(path.join(tmpdir(), 'rs-auth-reg-'));
  reg = createSqliteRegistry(path.join(dir, 'r.sqlite'));
  await reg.init();
  await reg.upsertUnit({ id: 'dai-an-2', parentId: null, level: 'commune', name: 'Đại Ân 2' }, 'test');
  await reg.upsertCooperative({ id: 'htx-dai-an', name: 'HTX Đại Ân', unitId: 'dai-an-2' }, 'test');
  await reg.upsertFarm(
    { id: 'farm-1', name: 'Ruộng ông Ba', owner: null, unitId: 'dai-an-2', cooperativeId: 'htx-dai-an', areaHa: 2 },
    'test',
  );
  await reg.upsertGateway({ id: 'gw-1', farmId: 'farm-1', name: null }, 'test');
  const farms = new RegistryFarmDirectory(reg);
  const users = new RegistryUserStore(reg, new Set(['nongdan', 'kythuat', 'canbo', 'nongdan2', 'admin']));
  await seedUsers(users, { mode: 'demo', farms: await farms.listFarms() });
  const published: string[] = [];
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerFeatures(app, {
    auth: { users, sessions: new MemorySessionStore(), audit: new RegistryAuditLog(reg, farms), farms },
    control: {
      stores: registryControlStores(reg),
      uplink: memoryUplink(async (t) => {
        published.push(t);
      }),
      provisioner: new RegistryProvisioner(reg),
    },
  });
  await app.ready();
  const login = async (u: string) => ({
    authorization: `Bearer ${(await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: u, password: DEMO_PASSWORD } })).json().token}`,
  });
  return { app, reg, login, published };
}

describe('accounts and control on the SQLite registry', () => {
  it("logs demo users in, scopes them by the registry's farms, and reads acks the ingest recorded", async () => {
    const { app, reg: r, login } = await setup();
    const farmer = await login('nongdan');
    expect((await app.inject({ url: '/api/v1/my/farms', headers: farmer })).json().farms[0]).toMatchObject({
      id: 'farm-1',
      commune: 'Đại Ân 2',
      gateways: [{ id: 'gw-1' }],
    });
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/gateways/gw-1/config',
      headers: farmer,
      payload: { zones: initialConfigZones() },
    });
    expect(put.statusCode).toBe(202);
    await r.recordConfigAck('gw-1', { version: 1, status: 'applied', ts: Date.now() }, Date.now());
    expect((await app.inject({ url: '/api/v1/gateways/gw-1/config', headers: farmer })).json()).toMatchObject({
      appliedVersion: 1,
      desired: { status: 'applied' },
    });
    const cmd = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/gateways/gw-1/commands',
        headers: farmer,
        payload: { kind: 'stop-all' },
      })
    ).json().command;
    await r.recordCommandAck('gw-1', { id: cmd.id, outcome: 'done', ts: Date.now() }, Date.now());
    expect(
      (await app.inject({ url: `/api/v1/gateways/gw-1/commands/${cmd.id}`, headers: farmer })).json().outcome,
    ).toBe('done');
    expect((await app.inject({ url: '/api/v1/gateways/gw-1/config', headers: await login('canbo') })).statusCode).toBe(
      403,
    );
    const audit = (await app.inject({ url: '/api/v1/audit', headers: await login('kythuat') })).json().entries;
    expect(audit.length).toBeGreaterThan(0);
  });

  it("provisions a gateway whose credential only the registry's hash remembers", async () => {
    const { app, reg: r, login } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/provision/gateways',
      headers: await login('kythuat'),
      payload: { gatewayId: 'gw-2', farmId: 'farm-1' },
    });
    expect(res.statusCode).toBe(201);
    const hash = await r.getGatewayCredentialHash('gw-2');
    expect(hash).toBeTruthy();
    expect(await verifyPassword(res.json().password, hash!)).toBe(true);
  });

  it("verifies hashes made by the registry's password module", async () => {
    expect(await verifyPassword('một mật khẩu', await registryHash('một mật khẩu'))).toBe(true);
  });
});
