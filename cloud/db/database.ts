import { Kysely, sql } from 'kysely';
import { postgresDialect, sqliteDialect } from './dialects.js';
import { DbError } from './errors.js';
import type { FeatureMigrations } from './migration.js';
import { migrateAll } from './migrator.js';
import type { Tables } from './tables.js';
import { describeTarget, targetKey, type DbTarget } from './target.js';

interface Core {
  kysely: Kysely<Tables>;
  target: DbTarget;
  features: FeatureMigrations[];
  refs: number;
  migrated?: Promise<string[]>;
  key: string | undefined;
}

/** One open database per target in this process (see openDatabase). */
const open = new Map<string, Core>();

/**
 * The process's handle on its database: a Kysely instance (typed tables in tables.ts) and the one
 * migrator; every query is a typed Kysely query (test/architecture.test.ts fails on SQL strings
 * handed to a raw runner). Several
 * components may hold a handle on the same database: each close() releases one hold, the last
 * one closes the connection (pool).
 */
export class Db {
  readonly dialect: 'sqlite' | 'postgres';
  readonly describe: string;
  #core: Core;
  #closed = false;

  constructor(core: Core) {
    this.#core = core;
    this.dialect = core.target.dialect;
    this.describe = describeTarget(core.target);
  }

  get kysely(): Kysely<Tables> {
    if (this.#closed) throw new DbError('DB_CLOSED', `${this.describe} is closed`);
    return this.#core.kysely;
  }

  /**
   * Applies every feature's missing migrations, once per handle and process (callers after the
   * first wait for it and get []). Returns the migration names applied by this call.
   */
  async migrate(): Promise<string[]> {
    const c = this.#core;
    if (c.migrated) {
      await c.migrated;
      return [];
    }
    const schema = c.target.dialect === 'postgres' ? c.target.schema : undefined;
    c.migrated = migrateAll(c.kysely, this.dialect, schema, c.features);
    c.migrated.catch(() => {
      c.migrated = undefined;
    });
    return c.migrated;
  }

  /** through the kysely getter: a closed handle refuses, even while others still hold the connection */
  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.kysely);
  }

  /** another hold on the same connection (pool) */
  share(): Db {
    if (this.#closed) throw new DbError('DB_CLOSED', `${this.describe} is closed`);
    this.#core.refs++;
    return new Db(this.#core);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const c = this.#core;
    if (--c.refs > 0) return;
    if (c.key && open.get(c.key) === c) open.delete(c.key);
    await c.kysely.destroy();
  }
}

export interface OpenOptions {
  /** PostgreSQL schema (tests, several instances in one database); default `?schema=`, else public */
  pgSchema?: string | undefined;
  /** PostgreSQL pool size, default 10 */
  max?: number;
  /** a handle of its own, not shared with the process's other opens (tests of concurrent instances) */
  own?: boolean;
}

/** Opens (or shares the already open) handle on a target. */
export function openTarget(
  target: DbTarget,
  features: FeatureMigrations[],
  opts: Pick<OpenOptions, 'max' | 'own'> = {},
): Db {
  const key = opts.own ? undefined : targetKey(target);
  const existing = key ? open.get(key) : undefined;
  if (existing) {
    existing.refs++;
    return new Db(existing);
  }
  const dialect =
    target.dialect === 'sqlite' ? sqliteDialect(target.file) : postgresDialect(target.url, target.schema, opts.max);
  const core: Core = { kysely: new Kysely<Tables>({ dialect }), target, features, refs: 1, key };
  if (key) open.set(key, core);
  return new Db(core);
}
