import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from '../registry/registry.js';
import { systemClock, type Clock } from '../../lib/time.js';
import { AuthService } from './service.js';
import {
  RegistryAuditLog,
  RegistryFarmDirectory,
  RegistrySessionStore,
  RegistryUserStore,
} from './registry-adapters.js';
import { seedUsers, formatDemoLogins, type DemoLogin } from './seed.js';
import { webAppPlugin } from './register.js';
import { sessionPlugin as authPlugin } from './session.js';
import { ControlService } from '../control/service.js';
import { MemoryLiveBus, type LiveBus } from '../control/bus.js';
import {
  RegistryCommandStore,
  RegistryConfigStore,
  RegistryEventStore,
  RegistryProvisioner,
} from '../control/registry-stores.js';
import { controlConsumer } from '../control/uplink-consumer.js';
import { SqlAlertAckStore } from '../control/alert-acks.js';
import type { CloudMqtt } from '../ingest/sink.js';
import {
  DEMO_CATALOG,
  MemoryFieldStore,
  MemoryMissionStore,
  demoRectangle,
  loadMissionCatalog,
} from '../routes/missions/catalog.js';
import fp from 'fastify-plugin';
import { missionPlatform } from '../routes/missions/platform.js';
import { MissionFeed, withMissionFeed } from '../missions/live.js';
import type { SqlDb } from '../registry/sql.js';
import type { TelemetryStore } from '../telemetry/store.js';
import { reportRoutes } from '../routes/reports/index.js';
import { ReportService } from '../reports/service.js';
import { userActivityPlugin } from '../reports/recording.js';
import type { ReportFacts } from '../reports/facts.js';

const DEMO_USERNAMES = new Set(['admin', 'nongdan', 'nongdan2', 'kythuat', 'canbo']);

export interface RegistryWebAppOptions {
  registry: Registry;
  mode: 'demo' | 'production';
  adminPassword?: string | undefined;
  /**
   * the cloud instance's one broker connection (its ingest): the control plane publishes on it
   * and is one of its consumers; read when the app starts
   */
  uplink: () => CloudMqtt;
  /** Leaflet tile template for the web app; '' = plain background */
  tileUrl?: string;
  /** production: the cooperative's drones and products (config MISSION_CATALOG_FILE); unset = none */
  missionCatalogFile?: string | undefined;
  /** broker URL shown with new gateway credentials */
  mqttPublicUrl?: string;
  /** live events (SSE); pass one to publish into it from elsewhere too */
  bus?: LiveBus;
  /**
   * where mission changes are published (on `bus`): pass one to feed it as-applied progress from
   * the ingest too (server.ts); default a feed on `bus`
   */
  missionFeed?: MissionFeed;
  clock?: Clock;
  /** called once with the demo logins (demo mode), e.g. to print them */
  onDemoLogins?: (logins: DemoLogin[], text: string) => void;
  secureCookie?: boolean;
  /** where fields and missions are kept (registry database); absent = in memory */
  missionDb?: () => SqlDb;
  /** the telemetry store, where drones' as-applied logs are read for verification */
  telemetry?: () => TelemetryStore;
  /** adoption reports for officers (and the activity they count); left out when absent */
  reports?: ReportFacts;
}

/**
 * Accounts, control, missions and the web app on the registry, as one plugin for
 * `CloudService({ plugins: [{ plugin: registryWebAppPlugin, options }] })`: seeds the users
 * (production refuses a default admin password) and hangs the control plane on the ingest's
 * connection: it publishes configs and commands there and hears acks, events, states and
 * telemetry as one of the ingest's consumers (each message decoded once).
 */
const registryWebApp: FastifyPluginAsync<RegistryWebAppOptions> = async (app, o) => {
  const clock = o.clock ?? systemClock;
  const farms = new RegistryFarmDirectory(o.registry);
  const users = new RegistryUserStore(o.registry, o.mode === 'demo' ? DEMO_USERNAMES : new Set());
  const auth = new AuthService({
    users,
    sessions: new RegistrySessionStore(o.registry),
    audit: new RegistryAuditLog(o.registry, farms),
    farms,
    clock,
  });
  const farmList = await farms.listFarms();
  const logins = await seedUsers(users, { mode: o.mode, adminPassword: o.adminPassword, farms: farmList });
  if (logins.length) o.onDemoLogins?.(logins, formatDemoLogins(logins));

  const uplink = o.uplink();
  const publish = uplink.publish;
  const missionDb = o.missionDb?.();
  if (missionDb) app.addHook('onClose', () => missionDb.close());
  const bus = o.bus ?? new MemoryLiveBus();
  const feed = o.missionFeed ?? new MissionFeed(bus, { clock });
  const control = new ControlService({
    configs: new RegistryConfigStore(o.registry),
    commands: new RegistryCommandStore(o.registry),
    events: new RegistryEventStore(o.registry),
    bus,
    publish,
    auth,
    clock,
    // acknowledged alerts in the process's database (alr_acks), beside fields and missions
    ...(missionDb ? { alertAcks: new SqlAlertAckStore(missionDb) } : {}),
  });
  const unhook = uplink.addConsumer(controlConsumer(control));
  app.addHook('onClose', async () => {
    unhook();
  });

  const fields = farmList.map((f, i) => ({
    id: `field-${f.id}`,
    farmId: f.id,
    name: `${f.name} — thửa 1`,
    boundary: demoRectangle(106.15 + i * 0.004, 9.55, 200, 100),
  }));
  const telemetry = o.telemetry?.();
  // demo drones only in the demo; production plans with the cooperative's own catalogue file
  const catalog = o.mode === 'demo' ? DEMO_CATALOG : loadMissionCatalog(o.missionCatalogFile);
  const stored = missionDb
    ? await missionPlatform({
        db: missionDb,
        publish,
        clock,
        catalog,
        seedFields: o.mode === 'demo' ? fields : [],
        ...(telemetry ? { telemetry } : {}),
      })
    : {
        fields: new MemoryFieldStore(o.mode === 'demo' ? fields : []),
        missions: new MemoryMissionStore(),
        ...catalog,
        clock,
        publish,
        ...(telemetry ? { telemetry } : {}),
      };
  // every plan and state change goes out live as a `mission` event (cloud/missions/live.ts)
  feed.attach(stored.missions);
  const missions = { ...stored, missions: withMissionFeed(stored.missions, feed) };
  await app.register(authPlugin, { service: auth });
  await app.register(webAppPlugin, {
    auth,
    control,
    provisioner: new RegistryProvisioner(o.registry),
    ...(o.mqttPublicUrl ? { mqttPublicUrl: o.mqttPublicUrl } : {}),
    authRoutes: { secureCookie: o.secureCookie ?? o.mode === 'production' },
    missions,
    ui: o.tileUrl === undefined ? {} : { tileUrl: o.tileUrl },
  });
  if (o.reports) {
    await app.register(userActivityPlugin, { facts: o.reports, clock });
    await app.register(reportRoutes, { reports: new ReportService(o.registry, o.reports, { clock }), clock });
  }
};

/**
 * Not encapsulated: the session of every request is resolved at the root, so the shell's own
 * routes (gateways, readings, units) can check roles and farms too.
 */
export const registryWebAppPlugin = fp(registryWebApp, { name: 'ruongso-web-app', fastify: '5.x' });
