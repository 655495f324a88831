import type { CloudConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import type { Registry } from './registry.js';
import { SqlRegistry } from './sql-registry.js';

/** The registry on the process's database (DATABASE_URL, see cloud/db). */
export function createRegistry(
  cfg: Pick<CloudConfig, 'DATABASE_URL' | 'DATA_DIR'>,
  opts: { pgSchema?: string } = {},
): Registry {
  const db = openDatabase(cfg, { pgSchema: opts.pgSchema });
  return new SqlRegistry(db, db.describe);
}
