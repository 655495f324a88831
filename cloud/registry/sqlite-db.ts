import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SqlDb, SqlRunner, SqlValue } from './sql.js';

/**
 * better-sqlite3 behind the async SqlDb. Statements are synchronous, so a transaction that awaits
 * would let another caller's statement slip into it: a promise-chain lock keeps every statement
 * outside a transaction waiting until the transaction is over.
 */
export function openSqliteDb(file: string): SqlDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // the telemetry store writes to the same file from its own connection
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');

  const cache = new Map<string, Database.Statement>();
  const prep = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, s);
    }
    return s;
  };
  const direct: SqlRunner = {
    query: async <T>(sql: string, params: SqlValue[] = []) => {
      const s = prep(sql);
      return (s.reader ? s.all(...params) : (s.run(...params), [])) as T[];
    },
    run: async (sql, params = []) => prep(sql).run(...params).changes,
  };

  let chain: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const tx = <T>(fn: (q: SqlRunner) => Promise<T>) => locked(async () => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn(direct);
      db.exec('COMMIT');
      return out;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  });
  const exec = async (sql: string) => { db.exec(sql); };

  return {
    dialect: 'sqlite',
    query: (sql, params) => locked(() => direct.query(sql, params)),
    run: (sql, params) => locked(() => direct.run(sql, params)),
    tx,
    exec: (sql) => locked(() => exec(sql)),
    migrationLock: (fn) => tx((q) => fn({ ...q, exec })),
    ping: async () => { db.prepare('SELECT 1').get(); },
    close: async () => { await locked(async () => { if (db.open) db.close(); }); },
  };
}
