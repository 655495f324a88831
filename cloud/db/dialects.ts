import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresDialect,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type DatabaseConnection,
  type Dialect,
  type Expression,
  type Kysely,
  type RawBuilder,
} from 'kysely';
import pg from 'pg';

/**
 * SQLite transactions start IMMEDIATE: the telemetry store writes to the same file from its own
 * connection, and a deferred transaction that reads first and writes later can fail with
 * SQLITE_BUSY instead of waiting out busy_timeout.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }
}

/** better-sqlite3 with the pragmas the project relies on (WAL, busy wait, foreign keys). */
export function sqliteDialect(file: string): Dialect {
  const open = async () => {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // Kysely prepares every statement it runs; the registry runs the same few thousands of times a
    // minute, and preparing is most of their cost: keep them (bounded, the SQL text is the key)
    const cache = new Map<string, Database.Statement>();
    return {
      close: () => {
        cache.clear();
        db.close();
      },
      prepare: (text: string) => {
        let stmt = cache.get(text);
        if (!stmt) {
          stmt = db.prepare(text);
          if (cache.size >= 500) cache.clear();
          cache.set(text, stmt);
        }
        return stmt;
      },
    };
  };
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver({ database: open }),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}

// BIGINT (int8) holds ms timestamps and counters, all below 2^53: numbers, not strings
const types = {
  getTypeParser: (oid: number, format?: string): ((v: string) => unknown) =>
    oid === 20 ? (v: string) => Number(v) : (pg.types.getTypeParser(oid, format as 'text') as (v: string) => unknown),
} as unknown as pg.CustomTypesConfig;

/**
 * node-postgres pool whose connections start with `search_path` = the schema (created if
 * missing), so unqualified table names land in it.
 */
export function postgresDialect(url: string, schema: string, max = 10): Dialect {
  const pool = async () => {
    const p = new pg.Pool({
      connectionString: url,
      max,
      types,
      connectionTimeoutMillis: 5000,
      options: `-c search_path=${schema}`,
    });
    // a broken idle connection must not crash the process; the next query reports it
    p.on('error', () => undefined);
    try {
      await p.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (err) {
      // two processes creating it at once: the loser sees a unique violation, the schema is there
      if ((err as { code?: string }).code !== '23505') {
        await p.end().catch(() => undefined);
        throw err;
      }
    }
    return p;
  };
  return new PostgresDialect({ pool });
}

/** The one dialect difference the typed queries meet: PostgreSQL locks a row read to update it. */
export const isPostgres = (db: { getExecutor(): { adapter: unknown } }): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * `SELECT … FOR UPDATE` on PostgreSQL, a plain SELECT on SQLite (which has no row locks: its
 * transactions start IMMEDIATE and hold the write lock, see ImmediateSqliteDriver).
 */
export function forUpdate<S extends { forUpdate(): S }>(db: { getExecutor(): { adapter: unknown } }, s: S): S {
  return isPostgres(db) ? s.forUpdate() : s;
}

/** The larger of two numbers, NULL-safe: `max(a, b)` in SQLite, `GREATEST(a, b)` in PostgreSQL. */
export function greatest(
  db: { getExecutor(): { adapter: unknown } },
  a: Expression<number | null>,
  b: Expression<number> | number,
): RawBuilder<number> {
  // SQLite's scalar max() is NULL when either is; GREATEST ignores NULLs: COALESCE makes them agree
  return sql<number>`${sql.raw(isPostgres(db) ? 'GREATEST' : 'max')}(COALESCE(${a}, ${b}), ${b})`;
}
