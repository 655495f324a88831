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
import { makeErrorHandler } from './routes/errors.js';
import { gatewayRoutes } from './routes/gateways/index.js';
import { healthRoutes, type HealthCheck } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { unitRoutes } from './routes/units/index.js';
import type { TelemetryStore } from './telemetry/store.js';
import type { GatewaySeqStats } from './ingest/seq-tracker.js';
import { webRoutes } from './web/page.js';
import { securityHeaders, type SecurityOptions } from './auth/security-headers.js';

export interface AppOptions {
  registry: Registry;
  store: TelemetryStore;
  /** broker link health: the ingest's connection, or the embedded broker */
  brokerHealth: HealthCheck;
  /** Prometheus registry served at /metrics; default cloud/metrics.ts's metricsRegistry */
  metrics?: PromRegistry;
  clock?: Clock;
  /**
   * where the first server-rendered page lives; default '/'. Set another path (or false) when
   * the full web app (cloud/ui) is registered through `plugins` and serves '/'.
   */
  page?: string | false;
  /** gateways and units need a session and are scoped by role and farm (set with the accounts plugin) */
  scoped?: boolean;
  /** further route plugins (accounts, control, …), registered before the gateway routes inside the app */
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
 * with the UI at /docs, one error handler, the routes per feature. server.ts only listens.
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
  // before the gateway routes: a non-encapsulated plugin (accounts) must add its session hook
  // to this context before the route contexts that rely on it are created
  for (const p of opts.plugins ?? []) await z.register(p.plugin, p.options ?? {});
  await z.register(gatewayRoutes, {
    registry: opts.registry,
    store: opts.store,
    clock,
    scoped: opts.scoped,
    seq: opts.seq,
  });
  await z.register(unitRoutes, { registry: opts.registry, scoped: opts.scoped, publishConfig: opts.publishConfig });
  if (opts.page !== false)
    await z.register(webRoutes, { registry: opts.registry, store: opts.store, clock, path: opts.page ?? '/' });
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
