import { Migrator, sql, type Migration } from 'kysely';
import { DbError } from './errors.js';
import { migrationName, type AnyKysely, type Dialect, type FeatureMigrations } from './migration.js';

/** Where the one migrator records what ran (in the PostgreSQL schema of the handle). */
export const MIGRATION_TABLE = 'db_migrations';
const LOCK_TABLE = 'db_migrations_lock';
// serialises the legacy adoption between instances that start together on one PostgreSQL database
const ADOPT_LOCK = 7262;

interface Ctx {
  db: AnyKysely;
  dialect: Dialect;
  schema: string | undefined;
  features: FeatureMigrations[];
}

function provide(ctx: Ctx): Record<string, Migration> {
  const out: Record<string, Migration> = {};
  for (const f of ctx.features) {
    for (const m of f.migrations) {
      out[migrationName(f.feature, m)] = {
        // SQLite has no transactional DDL in Kysely's migrator: each migration gets its own
        // transaction there, so a failed one leaves nothing half made (PostgreSQL runs all in one)
        up: (db) =>
          ctx.dialect === 'sqlite' ? db.transaction().execute((trx) => m.up(trx, ctx.dialect)) : m.up(db, ctx.dialect),
      };
    }
  }
  return out;
}

async function tableExists(db: AnyKysely, dialect: Dialect, table: string): Promise<boolean> {
  if (dialect === 'sqlite') {
    const r = await sql<{
      n: number;
    }>`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db);
    return Number(r.rows[0]?.n) > 0;
  }
  const r = await sql<{ t: string | null }>`SELECT to_regclass(${table})::text AS t`.execute(db);
  return r.rows[0]?.t != null;
}

/**
 * A database made before this migrator kept one table of versions per feature (`reg_migrations`,
 * `msn_migrations`, `rpt_migrations`). Their versions are recorded as applied here, once, so the
 * migrator runs only what is new. A version, or a recorded name, this program does not know
 * means the database was migrated by a newer release: refused, nothing changed.
 */
async function adoptLegacy(ctx: Ctx, known: Set<string>): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (ctx.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${ADOPT_LOCK})`.execute(trx);
    const adopted: string[] = [];
    for (const f of ctx.features) {
      if (!f.legacyTable || !(await tableExists(trx, ctx.dialect, f.legacyTable))) continue;
      const rows = await sql<{ version: number }>`SELECT version FROM ${sql.table(f.legacyTable)}`.execute(trx);
      for (const { version } of rows.rows) {
        const m = f.migrations.find((x) => x.version === Number(version));
        if (!m) throw newer(f.feature, `${f.legacyTable} version ${version}`);
        adopted.push(migrationName(f.feature, m));
      }
    }
    const hasTable = await tableExists(trx, ctx.dialect, MIGRATION_TABLE);
    if (hasTable) {
      const done = await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATION_TABLE)}`.execute(trx);
      const unknown = done.rows.map((r) => r.name).find((n) => !known.has(n));
      if (unknown) throw newer(unknown.split('/')[0], unknown);
    }
    if (!adopted.length) return;
    // the same columns Kysely's Migrator creates, so it finds the table ready
    await sql`CREATE TABLE IF NOT EXISTS ${sql.table(MIGRATION_TABLE)} (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`.execute(
      trx,
    );
    const at = new Date(0).toISOString();
    for (const name of adopted) {
      await sql`INSERT INTO ${sql.table(MIGRATION_TABLE)} (name, timestamp) VALUES (${name}, ${at}) ON CONFLICT (name) DO NOTHING`.execute(
        trx,
      );
    }
  });
}

const newer = (feature: string | undefined, what: string) =>
  new DbError(
    'DB_MIGRATION_NEWER',
    `the database holds migration ${what}, newer than this program knows: upgrade Ruộng Số or use another database`,
    { context: { feature, migration: what } },
  );

/** Applies every feature's missing migrations; returns the names applied now. */
export async function migrateAll(
  db: AnyKysely,
  dialect: Dialect,
  schema: string | undefined,
  features: FeatureMigrations[],
): Promise<string[]> {
  const ctx: Ctx = { db, dialect, schema, features };
  const migrations = provide(ctx);
  await adoptLegacy(ctx, new Set(Object.keys(migrations)));
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: LOCK_TABLE,
    // a PostgreSQL database may hold one schema per instance or test: look only in ours
    ...(schema ? { migrationTableSchema: schema } : {}),
    // features are numbered on their own: a feature's next migration may sort before another's last
    allowUnorderedMigrations: true,
  });
  let { error, results = [] } = await migrator.migrateToLatest();
  // Kysely's Migrator looks for its tables by listing every schema's tables: a schema another
  // instance (or test) drops meanwhile fails that listing with 3F000 before anything of ours ran
  for (let retry = 0; error && retry < 3 && isOtherSchemaGone(error, schema, results); retry++) {
    ({ error, results = [] } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const msg = error instanceof Error ? error.message : JSON.stringify(error);
    throw new DbError('DB_MIGRATION', `migration ${failed ?? '(setup)'} failed: ${msg}`, {
      cause: error,
      context: { feature: failed?.split('/')[0], migration: failed },
    });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The setup's table listing failed because some other schema vanished while it ran. */
export function isOtherSchemaGone(
  error: unknown,
  schema: string | undefined,
  results: readonly { status: string }[],
): boolean {
  if (results.some((r) => r.status === 'Error')) return false;
  const e = error as { code?: unknown; message?: unknown };
  if (e?.code !== '3F000' || typeof e.message !== 'string') return false;
  const gone = /schema "([^"]+)" does not exist/.exec(e.message)?.[1];
  return gone !== undefined && gone !== schema;
}
