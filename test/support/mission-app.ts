import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import {
  MemoryAuditLog,
  MemoryFarmDirectory,
  MemorySessionStore,
  MemoryUserStore,
} from '../../cloud/auth/memory-stores.js';
import { seedUsers } from '../../cloud/auth/seed.js';
import { DEMO_FARMS, demoFields, registerFeatures } from './memory-app.js';
import { MemoryCommandStore, MemoryConfigStore, MemoryEventStore } from '../../cloud/control/stores.js';
import type { MissionPlatformDeps } from '../../cloud/missions/platform.js';
import { DEMO_CATALOG } from '../../cloud/missions/catalog.js';
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
  await seedUsers(users, { mode: 'demo', farms: DEMO_FARMS });
  const published: MissionApp['published'] = [];
  const db = openSqliteDb(':memory:');
  const telemetry = new SqliteTelemetryStore({ file: path.join(dir, 't.sqlite') });
  await telemetry.init();
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, { openapi: { info: { title: 't', version: '1' } }, transform: jsonSchemaTransform });
  await registerFeatures(app, {
    auth: {
      users,
      sessions: new MemorySessionStore(),
      audit: new MemoryAuditLog(),
      farms: new MemoryFarmDirectory(DEMO_FARMS),
      clock,
      routes: { loginMax: 1000 },
    },
    control: {
      stores: { configs: new MemoryConfigStore(), commands: new MemoryCommandStore(), events: new MemoryEventStore() },
      clock,
    },
    missions: {
      db,
      telemetry,
      clock,
      seedFields: demoFields(DEMO_FARMS),
      catalog: DEMO_CATALOG,
      ...o,
      publish: async (topic, payload, opts) => {
        published.push({ topic, payload, qos: opts.qos });
      },
    },
  });
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
