import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/time.js';
import { AuthService } from './service.js';
import { MemoryAuditLog, MemoryFarmDirectory, MemorySessionStore, MemoryUserStore } from './memory-stores.js';
import { seedUsers, DEMO_PASSWORD } from './seed.js';
import type { FarmInfo } from './types.js';
import { registerAccountsAndControl } from './register.js';
import { ControlService, type PublishFn } from '../control/service.js';
import { MemoryCommandStore, MemoryConfigStore, MemoryEventStore } from '../control/stores.js';
import { MemoryLiveBus } from '../control/bus.js';
import { MemoryProvisioner } from '../routes/control/provision.js';
import {
  DEMO_DRONES,
  DEMO_PRODUCTS,
  MemoryFieldStore,
  MemoryMissionStore,
  demoRectangle,
  type FieldRecord,
} from '../routes/missions/catalog.js';

/** One paddy of about 200 m × 100 m per farm, a few hundred metres apart, near Đại Ân 2. */
export function demoFields(farms: FarmInfo[]): FieldRecord[] {
  return farms.map((f, i) => ({
    id: `field-${f.id}`,
    farmId: f.id,
    name: `${f.name} — thửa 1`,
    boundary: demoRectangle(106.15 + i * 0.004, 9.55, 200, 100),
  }));
}

export const DEMO_FARMS: FarmInfo[] = [
  {
    id: 'farm-dai-an-1',
    name: 'Ruộng ông Ba',
    commune: 'Đại Ân 2',
    cooperativeId: 'htx-dai-an',
    gatewayIds: ['gw-dai-an-1'],
  },
  {
    id: 'farm-dai-an-2',
    name: 'Ruộng bà Tư',
    commune: 'Đại Ân 2',
    cooperativeId: 'htx-dai-an',
    gatewayIds: ['gw-dai-an-2'],
  },
  {
    id: 'farm-lich-hoi-1',
    name: 'Ruộng Lịch Hội',
    commune: 'Lịch Hội Thượng',
    cooperativeId: 'htx-lich-hoi',
    gatewayIds: ['gw-lich-hoi-1'],
  },
];

export interface MemoryAppOptions {
  farms?: FarmInfo[];
  publish?: PublishFn;
  clock?: Clock;
  loginMax?: number;
  /** called with the app before listen/ready, to add more plugins (e.g. the UI) */
  extend?: (app: FastifyInstance) => Promise<void>;
}

/**
 * A Fastify app with accounts and control on memory stores and demo users: for tests of these
 * routes (and a stand-in until the shell's buildApp wires them to the registry).
 */
export async function buildMemoryApp(o: MemoryAppOptions = {}) {
  const farms = o.farms ?? DEMO_FARMS;
  const published: Array<{ topic: string; payload: string; retain: boolean }> = [];
  const publish: PublishFn =
    o.publish ??
    (async (topic, payload, opts) => {
      published.push({ topic, payload, retain: opts.retain });
    });
  const users = new MemoryUserStore();
  const auth = new AuthService({
    mode: 'demo',
    users,
    sessions: new MemorySessionStore(),
    audit: new MemoryAuditLog(),
    farms: new MemoryFarmDirectory(farms),
    ...(o.clock ? { clock: o.clock } : {}),
  });
  const demoLogins = await seedUsers(users, { mode: 'demo', farms });
  const bus = new MemoryLiveBus();
  const control = new ControlService({
    configs: new MemoryConfigStore(),
    commands: new MemoryCommandStore(),
    events: new MemoryEventStore(),
    bus,
    publish,
    auth,
    ...(o.clock ? { clock: o.clock } : {}),
  });
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: { info: { title: 'Ruộng Số', version: '1' } },
    transform: jsonSchemaTransform,
  });
  const missions = {
    fields: new MemoryFieldStore(demoFields(farms)),
    missions: new MemoryMissionStore(),
    drones: DEMO_DRONES,
    products: DEMO_PRODUCTS,
    ...(o.clock ? { clock: o.clock } : {}),
  };
  const provisioner = new MemoryProvisioner();
  await registerAccountsAndControl(app, {
    auth,
    control,
    authRoutes: { loginMax: o.loginMax ?? 1000 },
    missions,
    provisioner,
  });
  if (o.extend) await o.extend(app);
  await app.ready();
  return { app, auth, control, bus, users, published, demoLogins, provisioner, password: DEMO_PASSWORD };
}

/** Logs in through the API and returns the bearer header. */
export async function bearer(
  app: FastifyInstance,
  login: string,
  password = DEMO_PASSWORD,
): Promise<{ authorization: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`login ${login}: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
}
