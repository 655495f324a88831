import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry as PromRegistry } from 'prom-client';
import { z } from 'zod';

/** GET /metrics: Prometheus text (ingest counters, store latency, process metrics). */
export const metricsRoutes: FastifyPluginAsyncZod<{ registry: PromRegistry }> = async (app, opts) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (text exposition format)',
        response: { 200: z.string() },
      },
    },
    async (_req, reply) => {
      reply.type(opts.registry.contentType);
      return opts.registry.metrics();
    },
  );
};
