import { CompiledQuery } from 'kysely';
import type { AnyKysely } from './migration.js';

/**
 * The raw-SQL face of the handle (`?` placeholders, rows as plain objects), left for
 * cloud/db/database.test.ts alone (a database as release 0.1.0 left it, a closed handle refusing):
 * production code queries through Kysely (tables.ts, queries.ts), and test/architecture.test.ts
 * fails when it hands a SQL string to `query`/`run`.
 */
export type SqlValue = string | number | null;

export interface SqlRunner {
  /** rows for SELECT / RETURNING, [] otherwise */
  query<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** affected rows */
  run(sql: string, params?: SqlValue[]): Promise<number>;
}

/** `?` → `$n` for PostgreSQL; the registry's SQL never holds a `?` inside a string literal. */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function rawRunner(db: AnyKysely, dialect: 'sqlite' | 'postgres'): SqlRunner {
  const compile = (text: string, params: SqlValue[]) =>
    CompiledQuery.raw(dialect === 'postgres' ? toPgPlaceholders(text) : text, params);
  return {
    query: async <T>(text: string, params: SqlValue[] = []) => (await db.executeQuery<T>(compile(text, params))).rows,
    run: async (text: string, params: SqlValue[] = []) =>
      Number((await db.executeQuery(compile(text, params))).numAffectedRows ?? 0),
  };
}
