import pg from 'pg';
import type { SqlDb, SqlRunner, SqlValue } from './sql.js';
import { toPgPlaceholders } from './sql.js';

// BIGINT (int8) holds ms timestamps and counters: all below 2^53, so numbers, not strings
const types = {
  getTypeParser: ((oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')))
} as unknown as pg.CustomTypesConfig;

/** Schema names go into SQL text, so they are checked, never quoted from user input. */
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL behind SqlDb. `schema` (default: `?schema=` in the URL, else public) is created if
 * missing and put first on every connection's search_path.
 */
export function openPgDb(url: string, opts: { schema?: string; max?: number } = {}): SqlDb {
  const u = new URL(url);
  const schema = opts.schema ?? u.searchParams.get('schema') ?? 'public';
  u.searchParams.delete('schema');
  if (!SCHEMA.test(schema)) throw new TypeError(`schema "${schema}" must be lower-case letters, digits and _`);
  const pool = new pg.Pool({ connectionString: u.toString(), max: opts.max ?? 5, types, connectionTimeoutMillis: 5000 });
  // a broken idle connection must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  let schemaReady: Promise<void> | undefined;
  const ensureSchema = () => (schemaReady ??= pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => undefined, (err) => { schemaReady = undefined; throw err; }));
  pool.on('connect', (client) => { client.query(`SET search_path TO ${schema}`).catch(() => undefined); });

  const runnerOf = (c: pg.Pool | pg.PoolClient): SqlRunner => ({
    query: async <T>(sql: string, params: SqlValue[] = []) => (await c.query(toPgPlaceholders(sql), params)).rows as T[],
    run: async (sql, params = []) => (await c.query(toPgPlaceholders(sql), params)).rowCount ?? 0,
  });
  const direct = runnerOf(pool);
  const withClient = async <T>(fn: (c: pg.PoolClient) => Promise<T>) => {
    await ensureSchema();
    const c = await pool.connect();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  };
  const tx = <T>(fn: (q: SqlRunner) => Promise<T>, lockKey?: number) => withClient(async (c) => {
    await c.query('BEGIN');
    try {
      if (lockKey !== undefined) await c.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
      const out = await fn(runnerOf(c));
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });

  return {
    dialect: 'postgres',
    query: async (sql, params) => { await ensureSchema(); return direct.query(sql, params); },
    run: async (sql, params) => { await ensureSchema(); return direct.run(sql, params); },
    tx: (fn) => tx(fn),
    exec: async (sql) => { await ensureSchema(); await pool.query(sql); },
    // one instance migrates at a time; the others wait and then find nothing to do
    migrationLock: (fn) => withClient(async (c) => {
      await c.query('BEGIN');
      try {
        await c.query('SELECT pg_advisory_xact_lock(7261)');
        const out = await fn({ ...runnerOf(c), exec: async (sql: string) => { await c.query(sql); } });
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }),
    ping: async () => { await direct.query('SELECT 1'); },
    close: () => pool.end(),
  };
}
