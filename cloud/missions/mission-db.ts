import type { CloudConfig } from '../config.js';
import { openDatabase, type Db } from '../db/index.js';

/**
 * The database of fields and missions: the process's one database (DATABASE_URL, see cloud/db),
 * shared with the registry, so `msn_*` tables sit beside `reg_*` ones. Close it with the app.
 */
export function openMissionDb(
  cfg: Pick<CloudConfig, 'DATABASE_URL' | 'DATA_DIR'>,
  opts: { pgSchema?: string } = {},
): Db {
  return openDatabase(cfg, { pgSchema: opts.pgSchema });
}
