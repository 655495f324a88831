import fp from 'fastify-plugin';
import type { CloudConfig } from '../config.js';
import { log } from '../../lib/log.js';
import { openDatabase } from '../db/index.js';
import type { Registry } from '../registry/registry.js';
import { ReportFacts } from './facts.js';
import { dayOf } from './months.js';

const logger = log.child({ mod: 'reports' });

/** The report facts on the process's database (DATABASE_URL, see cloud/db), shared with the registry. */
export function createReportFacts(
  cfg: Pick<CloudConfig, 'DATABASE_URL' | 'DATA_DIR'>,
  opts: { pgSchema?: string } = {},
): ReportFacts {
  return new ReportFacts(openDatabase(cfg, { pgSchema: opts.pgSchema }));
}

/**
 * The registry with report facts recorded on the way: a state change that flips `online` and a
 * newly stored valve event also land in the facts. Everything else passes through untouched.
 * A failed fact write is logged, never failing the ingest.
 */
export function recordingRegistry(registry: Registry, facts: ReportFacts): Registry {
  const safe = (p: Promise<void>, what: object) =>
    p.catch((err: unknown) => logger.warn({ err, ...what }, 'report fact not recorded'));
  return new Proxy(registry, {
    get(target, prop, receiver) {
      if (prop === 'recordState') {
        return async (...args: Parameters<Registry['recordState']>) => {
          const r = await target.recordState(...args);
          if (r.changed) await safe(facts.recordState(args[0], r.online, args[2]), { gatewayId: args[0] });
          return r;
        };
      }
      if (prop === 'recordEvent') {
        return async (...args: Parameters<Registry['recordEvent']>) => {
          const r = await target.recordEvent(...args);
          const e = args[1];
          if (r.stored && (e.kind === 'valve_opened' || e.kind === 'valve_closed'))
            await safe(facts.recordValve(args[0], e), { gatewayId: args[0] });
          return r;
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * Records one activity day per logged-in user on any authenticated request (not only logins:
 * a session lasts a week). Registered once on the root app after the auth plugin.
 */
export const userActivityPlugin = fp<{ facts: ReportFacts; clock?: { now(): number } }>(
  async (app, opts) => {
    const seen = new Set<string>();
    app.addHook('onResponse', async (req) => {
      const user = (req as { user?: { id: string } | null }).user;
      if (!user) return;
      const now = opts.clock?.now() ?? Date.now();
      const key = `${user.id}/${dayOf(now)}`;
      if (seen.has(key)) return;
      if (seen.size > 100_000) seen.clear();
      seen.add(key);
      await opts.facts
        .recordUserActive(user.id, now)
        .catch((err: unknown) => logger.warn({ err }, 'user activity not recorded'));
    });
  },
  { name: 'ruongso-user-activity', fastify: '5.x' },
);
