import type { CloudConfig } from '../config.js';
import { openTarget, type Db, type OpenOptions } from './database.js';
import { FEATURES } from './features.js';
import { databaseTarget, type DbTarget } from './target.js';

export { Db } from './database.js';
export { DbError } from './errors.js';
export { MIGRATION_TABLE } from './migrator.js';
export type { FeatureMigration, FeatureMigrations } from './migration.js';
export type { Tables } from './tables.js';
export { databaseTarget, defaultSqliteFile, describeTarget, type DbTarget } from './target.js';

/**
 * The process's database, chosen from DATABASE_URL (see databaseTarget). Every component that
 * opens it from the same config shares one connection (pool); close what you opened.
 */
export function openDatabase(cfg: Pick<CloudConfig, 'DATABASE_URL' | 'DATA_DIR'>, opts: OpenOptions = {}): Db {
  return openTarget(databaseTarget(cfg, opts), FEATURES, opts);
}

/** The same for a target already known (a SQLite file, a PostgreSQL URL and schema). */
export function openDatabaseAt(target: DbTarget, opts: Pick<OpenOptions, 'max' | 'own'> = {}): Db {
  return openTarget(target, FEATURES, opts);
}
