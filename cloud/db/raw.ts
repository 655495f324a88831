import { CompiledQuery } from 'kysely';
import type { AnyKysely } from './migration.js';

/**
 * The raw-SQL face of the handle (`?` placeholders, rows as plain objects), left for the one store
 * that still writes SQL by hand (cloud/missions/field-store.ts) and for tests; everything else
 * queries through Kysely (tables.ts, queries.ts). Remove it when field-store.ts moves.
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
