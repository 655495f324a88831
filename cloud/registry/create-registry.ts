import type { CloudConfig } from '../config.js';
import { createPgRegistry } from './pg-registry.js';
import type { Registry } from './registry.js';
import { createSqliteRegistry, sqliteFile } from './sqlite-registry.js';

/** DATABASE_URL=postgres://… → PostgreSQL; sqlite:///path → that file; unset → ${DATA_DIR}/ruongso.sqlite. */
export function createRegistry(cfg: Pick<CloudConfig, 'DATABASE_URL' | 'DATA_DIR'>, opts: { pgSchema?: string } = {}): Registry {
  const url = cfg.DATABASE_URL;
  if (url && /^postgres(ql)?:/.test(url)) return createPgRegistry(url, { schema: opts.pgSchema });
  if (url && url.startsWith('sqlite:')) return createSqliteRegistry(decodeURIComponent(new URL(url).pathname) || sqliteFile(cfg.DATA_DIR));
  return createSqliteRegistry(sqliteFile(cfg.DATA_DIR));
}
