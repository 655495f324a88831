import { openPgDb } from './pg-db.js';
import { SqlRegistry } from './sql-registry.js';

/** The registry in PostgreSQL (DATABASE_URL; schema from `?schema=` or the option, default public). */
export function createPgRegistry(url: string, opts: { schema?: string } = {}): SqlRegistry {
  const db = openPgDb(url, opts);
  return new SqlRegistry(db, db.describe);
}
