import { openSqliteDb } from './sqlite-db.js';
import { SqlRegistry } from './sql-registry.js';

/**
 * The registry on a SQLite file (or ':memory:'), for tests and tools that name the file; the
 * cloud opens its database from DATABASE_URL (create-registry.ts), whose default file is
 * defaultSqliteFile() in cloud/db/target.ts.
 */
export function createSqliteRegistry(file: string): SqlRegistry {
  const db = openSqliteDb(file);
  return new SqlRegistry(db, db.describe);
}
