import fp from 'fastify-plugin';
import { systemClock, type Clock } from '../../lib/time.js';
import type { Registry } from '../registry/registry.js';
import { reportRoutes } from './routes/index.js';
import type { ReportFacts } from './facts.js';
import { userActivityPlugin } from './recording.js';
import { ReportService } from './service.js';

export interface ReportsPluginOptions {
  registry: Registry;
  /** the facts the reports count (cloud/reports/facts.ts) */
  facts: ReportFacts;
  clock?: Clock;
}

/**
 * Adoption reports for officers: each logged-in user's activity day recorded on any request
 * (not encapsulated, so the hook sees every route), and the report routes.
 */
export const reportsPlugin = fp<ReportsPluginOptions>(
  async (app, o) => {
    const clock = o.clock ?? systemClock;
    await app.register(userActivityPlugin, { facts: o.facts, clock });
    await app.register(reportRoutes, { reports: new ReportService(o.registry, o.facts, { clock }), clock });
  },
  { name: 'ruongso-reports', fastify: '5.x', dependencies: ['ruongso-auth'] },
);
