import { sql, type Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

// migrations and raw SQL see the database before (or beside) the typed tables: Kysely's own advice is Kysely<any>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/**
 * One numbered migration of one feature. Run once, in version order within its feature; never
 * edited once released (add the next one). `up` gets the dialect for the few types that differ.
 */
export interface FeatureMigration {
  version: number;
  /** snake_case, part of the migration's recorded name */
  name: string;
  up(db: AnyKysely, dialect: Dialect): Promise<void>;
}

/** A feature's migrations and the table its earlier, hand-written runner recorded versions in. */
export interface FeatureMigrations {
  feature: string;
  /** `reg_migrations` etc.: versions listed there are taken as applied (see adoptLegacy) */
  legacyTable?: string;
  migrations: FeatureMigration[];
}

/** Recorded name: `registry/0002_sessions_scopes`; sorts by feature, then version. */
export const migrationName = (feature: string, m: Pick<FeatureMigration, 'version' | 'name'>): string =>
  `${feature}/${String(m.version).padStart(4, '0')}_${m.name}`;

/**
 * Runs released DDL verbatim, one statement at a time (better-sqlite3 prepares one statement per
 * call). Statements end with `;` at the end of a line; `{{id}}` is the dialect's auto-increment
 * primary key. Released migrations keep their SQL text so that a database made by an earlier
 * version and one made today have the same schema.
 */
export async function runStatements(db: AnyKysely, dialect: Dialect, text: string): Promise<void> {
  const id = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const statements = text
    .replaceAll('{{id}}', id)
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.split('\n').some((line) => line.trim() && !line.trim().startsWith('--')));
  for (const s of statements) await sql.raw(s).execute(db);
}
