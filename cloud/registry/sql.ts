import type { Db } from '../db/database.js';

/**
 * The process's database handle (cloud/db), under the name the wiring and the missions' stores
 * import. The registry's queries are typed Kysely queries on `db.kysely`; the raw `?` face
 * (`query`/`run`) is left only for cloud/missions/field-store.ts.
 */
export type { SqlValue } from '../db/raw.js';
export type SqlDb = Db;
