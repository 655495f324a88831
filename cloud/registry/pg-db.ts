import { databaseTarget, openDatabaseAt, type Db } from '../db/index.js';

/**
 * The database handle on PostgreSQL. `schema` (default: `?schema=` in the URL, else public) is
 * created if missing and is the connections' search_path.
 */
export function openPgDb(url: string, opts: { schema?: string; max?: number } = {}): Db {
  return openDatabaseAt(databaseTarget({ DATABASE_URL: url, DATA_DIR: '.' }, { pgSchema: opts.schema }), {
    max: opts.max,
  });
}
