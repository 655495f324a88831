import { openDatabaseAt, type Db } from '../db/index.js';

/** The database handle on a SQLite file (or ':memory:'), shared with whoever has the same file open. */
export function openSqliteDb(file: string): Db {
  return openDatabaseAt({ dialect: 'sqlite', file });
}
