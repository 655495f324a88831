import type { CloudConfig } from '../config.js';
import { openPgDb } from '../registry/pg-db.js';
import type { SqlDb } from '../registry/sql.js';
import { openSqliteDb } from '../registry/sqlite-db.js';
import { sqliteFile } from '../registry/sqlite-registry.js';

/**
 * The database of fields and missions: the registry's own (DATABASE_URL, else
 * `${DATA_DIR}/ruongso.sqlite`), through a connection (pool) of its own — the same choice as
 * createRegistry, so `msn_*` tables sit beside `reg_*` ones. Close it with the app.
 */
export function openMissionDb(cfg: Pick<CloudConfig, 'DATABASE_URL' | 'DATA_DIR'>, opts: { pgSchema?: string } = {}): SqlDb {
  const url = cfg.DATABASE_URL;
  if (url && /^postgres(ql)?:/.test(url)) return openPgDb(url, { schema: opts.pgSchema, max: 3 });
  if (url && url.startsWith('sqlite:')) return openSqliteDb(decodeURIComponent(new URL(url).pathname) || sqliteFile(cfg.DATA_DIR));
  return openSqliteDb(sqliteFile(cfg.DATA_DIR));
}
