import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/time.js';
import {
  MemoryAuditLog,
  MemoryFarmDirectory,
  MemorySessionStore,
  MemoryUserStore,
} from '../../cloud/auth/memory-stores.js';
import { seedUsers, DEMO_PASSWORD } from '../../cloud/auth/seed.js';
import type { FarmInfo } from '../../cloud/auth/types.js';
import { authPlugin, type AuthPluginOptions } from '../../cloud/auth/plugin.js';
import { controlPlugin, farmerStart, type ControlPluginOptions } from '../../cloud/control/plugin.js';
import type { PublishFn } from '../../cloud/control/service.js';
import { MemoryCommandStore, MemoryConfigStore, MemoryEventStore } from '../../cloud/control/stores.js';
import { MemoryLiveBus, type LiveBus } from '../../cloud/control/bus.js';
import type { UplinkConsumer } from '../../cloud/ingest/sink.js';
import { missionsPlugin, type MissionsPluginOptions } from '../../cloud/missions/plugin.js';
import { makeErrorHandler } from '../../cloud/http/errors.js';
import { MemoryProvisioner } from '../../cloud/control/routes/provision.js';
import { DEMO_CATALOG } from '../../cloud/missions/catalog.js';
import { demoFields } from '../../cloud/missions/plugin.js';

export { demoFields };

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

/** A stand-in for the ingest's broker connection: publishes with `publish`, keeps the consumers it is given. */
export function memoryUplink(publish: PublishFn = async () => undefined) {
  const consumers = new Set<UplinkConsumer>();
  return {
    publish,
    consumers,
    addConsumer(c: UplinkConsumer) {
      consumers.add(c);
      return () => void consumers.delete(c);
    },
  };
}

export interface Features {
  auth: AuthPluginOptions;
  control: Omit<ControlPluginOptions, 'bus' | 'uplink'> & { bus?: LiveBus; uplink?: ControlPluginOptions['uplink'] };
  missions?: MissionsPluginOptions;
}

/**
 * Accounts, control and (given options) missions on an app, as cloud/app.ts registers them for
 * the product: the one error handler, the farmer's first page with the login.
 */
export async function registerFeatures(app: FastifyInstance, f: Features): Promise<void> {
  app.setErrorHandler(makeErrorHandler());
  await app.register(authPlugin, { ...f.auth, routes: { start: farmerStart(app), ...f.auth.routes } });
  await app.register(controlPlugin, { bus: new MemoryLiveBus(), uplink: memoryUplink(), ...f.control });
  if (f.missions) await app.register(missionsPlugin, f.missions);
}

export interface MemoryAppOptions {
  farms?: FarmInfo[];
  publish?: PublishFn;
  clock?: Clock;
  loginMax?: number;
  /** called with the app before listen/ready, to add more plugins (e.g. the UI) */
  extend?: (app: FastifyInstance) => Promise<void>;
}

/** A Fastify app with accounts, control and missions on memory stores and demo users: for tests of these routes. */
export async function buildMemoryApp(o: MemoryAppOptions = {}) {
  const farms = o.farms ?? DEMO_FARMS;
  const published: Array<{ topic: string; payload: string; retain: boolean }> = [];
  const publish: PublishFn =
    o.publish ??
    (async (topic, payload, opts) => {
      published.push({ topic, payload, retain: opts.retain });
    });
  const users = new MemoryUserStore();
  const demoLogins = await seedUsers(users, { mode: 'demo', farms });
  const bus = new MemoryLiveBus();
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: { info: { title: 'Ruộng Số', version: '1' } },
    transform: jsonSchemaTransform,
  });
  const provisioner = new MemoryProvisioner();
  const clock = o.clock ? { clock: o.clock } : {};
  await registerFeatures(app, {
    auth: {
      mode: 'demo',
      users,
      sessions: new MemorySessionStore(),
      audit: new MemoryAuditLog(),
      farms: new MemoryFarmDirectory(farms),
      ...clock,
      routes: { loginMax: o.loginMax ?? 1000 },
    },
    control: {
      stores: { configs: new MemoryConfigStore(), commands: new MemoryCommandStore(), events: new MemoryEventStore() },
      bus,
      uplink: memoryUplink(publish),
      provisioner,
      ...clock,
    },
    missions: { catalog: DEMO_CATALOG, seedFields: demoFields(farms), ...clock },
  });
  if (o.extend) await o.extend(app);
  await app.ready();
  const { auth, control } = app;
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
