import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { AuthService } from '../../cloud/auth/service.js';
import {
  MemoryAuditLog,
  MemoryFarmDirectory,
  MemorySessionStore,
  MemoryUserStore,
} from '../../cloud/auth/memory-stores.js';
import { seedUsers } from '../../cloud/auth/seed.js';
import { registerAccountsAndControl } from '../../cloud/auth/register.js';
import { DEMO_FARMS, demoFields } from '../../cloud/auth/testing.js';
import { ControlService } from '../../cloud/control/service.js';
import { MemoryCommandStore, MemoryConfigStore, MemoryEventStore } from '../../cloud/control/stores.js';
import { MemoryLiveBus } from '../../cloud/control/bus.js';
import { missionPlatform, type MissionPlatformDeps } from '../../cloud/routes/missions/platform.js';
import { DEMO_CATALOG } from '../../cloud/routes/missions/catalog.js';
import { openSqliteDb } from '../../cloud/registry/sqlite-db.js';
import { SqliteTelemetryStore } from '../../cloud/telemetry/sqlite-store.js';
import { withAsAppliedLog } from '../../cloud/missions/as-applied.js';
import type { IngestSink } from '../../cloud/ingest/sink.js';
import type { Clock } from '../../lib/time.js';

/**
 * The mission routes on their production stores (SQLite registry, SQLite telemetry store) with
 * the as-applied sink the ingest uses: what mission scenario tests drive with app.inject().
 */
export interface MissionApp {
  app: FastifyInstance;
  published: Array<{ topic: string; payload: string; qos: number }>;
  sink: IngestSink;
  close(): Promise<void>;
}

export async function buildMissionApp(
  o: Partial<Pick<MissionPlatformDeps, 'requireWeather' | 'verifyThresholds' | 'clock'>> = {},
): Promise<MissionApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-msn-routes-'));
  const clock: Clock = o.clock ?? { now: () => 1_764_300_000_000 };
  const users = new MemoryUserStore();
  const auth = new AuthService({
    users,
    sessions: new MemorySessionStore(),
    audit: new MemoryAuditLog(),
    farms: new MemoryFarmDirectory(DEMO_FARMS),
    clock,
  });
  await seedUsers(users, { mode: 'demo', farms: DEMO_FARMS });
  const published: MissionApp['published'] = [];
  const control = new ControlService({
    configs: new MemoryConfigStore(),
    commands: new MemoryCommandStore(),
    events: new MemoryEventStore(),
    bus: new MemoryLiveBus(),
    publish: async () => undefined,
    auth,
    clock,
  });
  const db = openSqliteDb(':memory:');
  const telemetry = new SqliteTelemetryStore({ file: path.join(dir, 't.sqlite') });
  await telemetry.init();
  const missions = await missionPlatform({
    db,
    telemetry,
    clock,
    seedFields: demoFields(DEMO_FARMS),
    catalog: DEMO_CATALOG,
    ...o,
    publish: async (topic, payload, opts) => {
      published.push({ topic, payload, qos: opts.qos });
    },
  });
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, { openapi: { info: { title: 't', version: '1' } }, transform: jsonSchemaTransform });
  await registerAccountsAndControl(app, { auth, control, authRoutes: { loginMax: 1000 }, missions });
  await app.ready();
  const none = () => undefined;
  const sink = withAsAppliedLog(
    { onState: none, onTelemetry: none, onEvent: none, onConfigAck: none, onCmdAck: none },
    telemetry,
  );
  return {
    app,
    published,
    sink,
    close: async () => {
      await app.close();
      await telemetry.close();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
