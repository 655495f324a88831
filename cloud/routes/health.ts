import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface ComponentHealth {
  ok: boolean;
  kind?: string;
  detail?: string;
}
export type HealthCheck = () => Promise<ComponentHealth> | ComponentHealth;

export interface HealthOptions {
  broker: HealthCheck;
  telemetry: HealthCheck;
  registry: HealthCheck;
  /** a check that takes longer counts as down */
  timeoutMs?: number;
}

const Component = z.object({ ok: z.boolean(), kind: z.string().optional(), detail: z.string().optional() });
const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  broker: Component,
  telemetry: Component,
  registry: Component,
});

async function check(fn: HealthCheck, timeoutMs: number): Promise<ComponentHealth> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(fn),
      new Promise<ComponentHealth>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      }),
    ]);
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** GET /healthz: 200 when broker, telemetry store and registry all answer, 503 otherwise. */
export const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, opts) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Health of the broker link, the telemetry store and the registry',
        response: { 200: Health, 503: Health },
      },
    },
    async (_req, reply) => {
      const t = opts.timeoutMs ?? 2000;
      const [broker, telemetry, registry] = await Promise.all([
        check(opts.broker, t),
        check(opts.telemetry, t),
        check(opts.registry, t),
      ]);
      const ok = broker.ok && telemetry.ok && registry.ok;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', broker, telemetry, registry });
    },
  );
};
