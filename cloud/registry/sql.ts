/**
 * The little SQL both registry adapters share: `?` placeholders (turned into $1… for
 * PostgreSQL), rows as plain objects, and transactions that run an async function.
 */
export type SqlValue = string | number | null;

export interface SqlRunner {
  /** rows for SELECT / RETURNING, [] otherwise */
  query<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** affected rows */
  run(sql: string, params?: SqlValue[]): Promise<number>;
}

export interface SqlDb extends SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /** one transaction: all of fn's writes or none */
  tx<T>(fn: (q: SqlRunner) => Promise<T>): Promise<T>;
  /** several statements, no parameters (migrations) */
  exec(sql: string): Promise<void>;
  /** serialises migrations between instances that share a database */
  migrationLock<T>(fn: (q: SqlRunner & { exec(sql: string): Promise<void> }) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `?` → `$n`; our SQL never holds a `?` inside a string literal. */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
