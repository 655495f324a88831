import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { Registry as PromRegistry } from 'prom-client';
import { log as rootLog, type Logger } from '../lib/log.js';
import { systemClock, type Clock } from '../lib/time.js';
import { metricsRegistry } from './metrics.js';
import type { Registry } from './registry/registry.js';
import { makeErrorHandler } from './http/errors.js';
import { gatewayRoutes } from './routes/gateways/index.js';
import { healthRoutes, type HealthCheck } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { unitRoutes } from './routes/units/index.js';
import type { TelemetryStore } from './telemetry/store.js';
import type { GatewaySeqStats } from './ingest/seq-tracker.js';
import { webRoutes } from './web/page.js';
import { securityHeaders, type SecurityOptions } from './auth/security-headers.js';
import { authPlugin, registryAuthStores } from './auth/plugin.js';
import type { DemoLogin } from './auth/seed.js';
import { controlPlugin, farmerStart, registryControlStores } from './control/plugin.js';
import type { LiveBus } from './control/bus.js';
import { RegistryProvisioner } from './control/registry-stores.js';
import type { CloudMqtt } from './ingest/sink.js';
import { demoFields, missionsPlugin } from './missions/plugin.js';
import type { MissionFeed } from './missions/live.js';
import type { Db } from './db/index.js';
import { reportsPlugin } from './reports/plugin.js';
import type { ReportFacts } from './reports/facts.js';
import { DEMO_CATALOG, loadMissionCatalog } from './missions/catalog.js';
import { uiPlugin } from './ui/plugin.js';

/**
 * What the product's features run on besides the registry, the store and the clock: the
 * process's components, built, started and closed by server.ts.
 */
export interface Product {
  mode: 'demo' | 'production';
  /** production: the first admin's password; demo: every demo account's (default DEMO_PASSWORD) */
  adminPassword?: string | undefined;
  /** the instance's one broker connection (its ingest): control and missions publish on it */
  uplink: CloudMqtt;
  /** what the web app hears live (SSE) */
  bus: LiveBus;
  /** mission changes onto `bus`; the ingest's as-applied sink feeds it progress too */
  missionFeed: MissionFeed;
  /** the process's database: fields, missions, acknowledged alerts; absent = in memory */
  db?: Db;
  /** the facts the adoption reports count; absent = no reports */
  facts?: ReportFacts;
  /** Leaflet tile template for the web app; '' = plain background; default OpenStreetMap */
  tileUrl?: string;
  /** production: the cooperative's drones and products (MISSION_CATALOG_FILE); unset = none */
  missionCatalogFile?: string | undefined;
  /** called once with the demo logins (demo mode), e.g. to print them */
  onDemoLogins?: (logins: DemoLogin[], text: string) => void;
}

export interface AppOptions {
  registry: Registry;
  store: TelemetryStore;
  /** broker link health: the ingest's connection, or the embedded broker */
  brokerHealth: HealthCheck;
  /** Prometheus registry served at /metrics; default cloud/metrics.ts's metricsRegistry */
  metrics?: PromRegistry;
  clock?: Clock;
  /**
   * where the first server-rendered page lives; default '/', none with the product (the web app
   * serves '/'). Set another path (or false) when a plugin of `plugins` serves '/'.
   */
  page?: string | false;
  /**
   * the whole product: accounts, control, missions, reports and the web app, with every gateway
   * and unit route scoped to the user's role and farms. Absent = the bare API shell, open.
   */
  product?: Product;
  /** further route plugins (tests), registered after the product's and before the gateway routes */
  // each plugin has its own options type, checked where its entry is built; one list cannot name them all
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  plugins?: { plugin: FastifyPluginAsync<any>; options?: Record<string, unknown> }[];
  /** security headers: HSTS in production, the map tile host in the CSP (default OSM, not production) */
  security?: SecurityOptions;
  /** the ingest's seq tracker, for the seq figures of /api/v1/gateways */
  seq?: (gatewayId: string) => GatewaySeqStats | undefined;
  /** publishes a gateway's desired config retained (desired configs loaded from a district file) */
  publishConfig?: (gatewayId: string, config: unknown) => Promise<void>;
}

/**
 * The cloud's HTTP app as a plugin (fastify/demo style): zod type provider, OpenAPI at /docs/json
 * with the UI at /docs, one error handler, then every feature as one plugin — the one place that
 * lists them. server.ts builds the components they run on, starts and stops them.
 */
export async function app(fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  const clock = opts.clock ?? systemClock;
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  fastify.setErrorHandler(makeErrorHandler(fastify.log as Logger));
  fastify.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: 'NOT_FOUND', message: `no such page or API route: ${req.method} ${req.url.split('?')[0]}` }),
  );

  await securityHeaders(fastify, opts.security ?? {});
  await fastify.register(swagger, {
    openapi: {
      info: {
        title: 'Ruộng Số API',
        version: '1',
        description:
          'Gateways, telemetry and control of Ruộng Số. Times are milliseconds since 1970 UTC unless named ISO.',
      },
      tags: [
        { name: 'health' },
        { name: 'auth' },
        { name: 'users' },
        { name: 'units' },
        { name: 'cooperatives' },
        { name: 'farms' },
        { name: 'gateways' },
        { name: 'audit' },
        { name: 'reports' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  // Swagger UI has inline scripts: its own CSP with their hashes, and still no framing
  await fastify.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (h) => h.replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });

  const z = fastify.withTypeProvider<ZodTypeProvider>();
  await z.register(healthRoutes, {
    registry: () => opts.registry.health(),
    telemetry: () => opts.store.health(),
    broker: opts.brokerHealth,
  });
  await z.register(metricsRoutes, { registry: opts.metrics ?? metricsRegistry });
  // before the gateway routes: the accounts plugin must add its session hook to this context
  // before the route contexts that rely on it are created
  const p = opts.product;
  if (p) await product(z, opts.registry, opts.store, clock, p);
  for (const x of opts.plugins ?? []) await z.register(x.plugin, x.options ?? {});
  const scoped = !!p;
  await z.register(gatewayRoutes, { registry: opts.registry, store: opts.store, clock, scoped, seq: opts.seq });
  await z.register(unitRoutes, { registry: opts.registry, scoped, publishConfig: opts.publishConfig });
  const page = opts.page ?? (p ? false : '/');
  if (page !== false) await z.register(webRoutes, { registry: opts.registry, store: opts.store, clock, path: page });
}

/**
 * The product's features, one plugin each, in the order they depend on one another: accounts
 * (sessions at the root, which every later route relies on), control, missions, the web app,
 * reports (its activity hook counts every logged-in request). No feature registers another.
 */
async function product(
  fastify: FastifyInstance,
  registry: Registry,
  store: TelemetryStore,
  clock: Clock,
  p: Product,
): Promise<void> {
  const demo = p.mode === 'demo';
  await fastify.register(authPlugin, {
    ...registryAuthStores(registry, p.mode),
    clock,
    seed: { mode: p.mode, adminPassword: p.adminPassword, onDemoLogins: p.onDemoLogins },
    // a farmer's first page comes with the login: farms and the first gateway's view
    routes: { secureCookie: p.mode === 'production', start: farmerStart(fastify) },
  });
  await fastify.register(controlPlugin, {
    stores: registryControlStores(registry, p.db),
    bus: p.bus,
    uplink: p.uplink,
    clock,
    provisioner: new RegistryProvisioner(registry),
  });
  await fastify.register(missionsPlugin, {
    // demo drones only in the demo; production plans with the cooperative's own catalogue file
    catalog: demo ? DEMO_CATALOG : loadMissionCatalog(p.missionCatalogFile),
    ...(p.db ? { db: p.db } : {}),
    seedFields: demo ? demoFields(await fastify.auth.farms.listFarms()) : [],
    feed: p.missionFeed,
    publish: p.uplink.publish,
    telemetry: store,
    clock,
  });
  await fastify.register(uiPlugin, p.tileUrl === undefined ? {} : { tileUrl: p.tileUrl });
  if (p.facts) await fastify.register(reportsPlugin, { registry, facts: p.facts, clock });
}

export interface BuildOptions {
  log?: Logger;
  trustProxy?: boolean;
}

/** A Fastify instance with the app registered and ready (for server.ts and for app.inject() in tests). */
export async function buildApp(opts: AppOptions, build: BuildOptions = {}): Promise<FastifyInstance> {
  const fastify = Fastify({
    loggerInstance: (build.log ?? rootLog).child({ mod: 'http' }),
    // one line per request is noise at info level; errors are logged by the error handler
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: build.trustProxy ?? false,
  }) as unknown as FastifyInstance;
  await fastify.register(app, opts);
  await fastify.ready();
  return fastify;
}
