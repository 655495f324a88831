import path from 'node:path';
import { openSqliteDb } from './sqlite-db.js';
import { SqlRegistry } from './sql-registry.js';

/** The file the registry shares with the SQLite telemetry store. */
export const sqliteFile = (dataDir: string) => path.join(dataDir, 'ruongso.sqlite');

/** Embedded default: the registry in `${DATA_DIR}/ruongso.sqlite` (or ':memory:'). */
export function createSqliteRegistry(file: string): SqlRegistry {
  return new SqlRegistry(openSqliteDb(file), `SQLite ${file}`);
}
