import type { Db } from '../db/database.js';

/**
 * The registry's queries run on the process's database handle (cloud/db) through its raw-SQL
 * face: `?` placeholders, rows as plain objects, transactions that run an async function.
 */
export type { SqlRunner, SqlValue } from '../db/raw.js';
export { toPgPlaceholders } from '../db/raw.js';

/** The handle: `query`/`run`/`tx` for raw SQL, `kysely` for typed queries, `migrate`, `ping`, `close`. */
export type SqlDb = Db;
