import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createSqliteRegistry } from '../../cloud/registry/sqlite-registry.js';
import type { Registry } from '../../cloud/registry/registry.js';
import {
  RegistryAuditLog,
  RegistryFarmDirectory,
  RegistrySessionStore,
  RegistryUserStore,
} from '../../cloud/auth/registry-adapters.js';
import type { AuthService } from '../../cloud/auth/service.js';
import { seedUsers } from '../../cloud/auth/seed.js';
import { registryControlStores } from '../../cloud/control/plugin.js';
import { MemoryLiveBus } from '../../cloud/control/bus.js';
import { RegistryProvisioner } from '../../cloud/control/registry-stores.js';
import { registerFeatures } from './memory-app.js';
import { seedDemoDistrict } from '../../cloud/demo/seed.js';

export const TEST_DEMO_PASSWORD = 'kiem-thu-lua-2026';

/**
 * Accounts and control on a real SQLite registry holding the demo district, demo users seeded
 * with TEST_DEMO_PASSWORD; `extend` adds plugins before ready. Close with `done()`.
 */
export async function accountsOnRegistry(
  o: {
    mode?: 'demo' | 'production';
    extend?: (app: FastifyInstance, reg: Registry, auth: AuthService) => Promise<void>;
  } = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rs-accounts-'));
  const reg = createSqliteRegistry(path.join(dir, 'r.sqlite'));
  await reg.init();
  await seedDemoDistrict(reg);
  const farms = new RegistryFarmDirectory(reg);
  const users = new RegistryUserStore(reg, new Set(['admin', 'nongdan', 'nongdan2', 'kythuat', 'canbo']));
  await seedUsers(users, { mode: 'demo', adminPassword: TEST_DEMO_PASSWORD, farms: await farms.listFarms() });
  const bus = new MemoryLiveBus();
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, { openapi: { info: { title: 'test', version: '1' } }, transform: jsonSchemaTransform });
  await registerFeatures(app, {
    auth: {
      users,
      sessions: new RegistrySessionStore(reg),
      audit: new RegistryAuditLog(reg, farms),
      farms,
      mode: o.mode ?? 'production',
    },
    control: { stores: registryControlStores(reg), bus, provisioner: new RegistryProvisioner(reg) },
  });
  const auth: AuthService = app.auth;
  await o.extend?.(app, reg, auth);
  await app.ready();
  const login = async (u: string, password = TEST_DEMO_PASSWORD) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: u, password } });
    if (r.statusCode !== 200) throw new Error(`login ${u}: ${r.statusCode} ${r.body}`);
    return { authorization: `Bearer ${r.json().token as string}` };
  };
  return {
    app,
    reg,
    auth,
    bus,
    login,
    done: async () => {
      await app.close();
      await reg.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
