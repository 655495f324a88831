import path from 'node:path';

/** Where the one database of a process lives, as read from DATABASE_URL. */
export type DbTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; schema: string };

/** Schema names go into SQL text, so they are checked, never quoted from user input. */
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** The SQLite file the registry, missions, reports and the SQLite telemetry store share. */
export const defaultSqliteFile = (dataDir: string): string => path.join(dataDir, 'ruongso.sqlite');

/**
 * The one place DATABASE_URL is read. `postgres://…` (or `postgresql://`) → PostgreSQL, schema
 * from `opts.pgSchema`, else `?schema=`, else public; `sqlite:///abs/path` or `sqlite:rel/path`
 * → that file; unset → `${DATA_DIR}/ruongso.sqlite`.
 */
export function databaseTarget(
  cfg: { DATABASE_URL?: string | undefined; DATA_DIR: string },
  opts: { pgSchema?: string | undefined } = {},
): DbTarget {
  const url = cfg.DATABASE_URL;
  if (url && /^postgres(ql)?:/.test(url)) {
    const u = new URL(url);
    const schema = opts.pgSchema ?? u.searchParams.get('schema') ?? 'public';
    u.searchParams.delete('schema');
    if (!SCHEMA.test(schema)) throw new TypeError(`schema "${schema}" must be lower-case letters, digits and _`);
    return { dialect: 'postgres', url: u.toString(), schema };
  }
  if (url?.startsWith('sqlite:')) {
    const file = decodeURIComponent(url.startsWith('sqlite://') ? new URL(url).pathname : url.slice('sqlite:'.length));
    return { dialect: 'sqlite', file: file || defaultSqliteFile(cfg.DATA_DIR) };
  }
  if (url) throw new TypeError('DATABASE_URL must start with postgres://, postgresql:// or sqlite:');
  return { dialect: 'sqlite', file: defaultSqliteFile(cfg.DATA_DIR) };
}

/** For logs and health: no password. */
export function describeTarget(t: DbTarget): string {
  if (t.dialect === 'sqlite') return `SQLite ${t.file}`;
  const u = new URL(t.url);
  return `PostgreSQL ${u.host}${u.pathname}${t.schema === 'public' ? '' : ` schema ${t.schema}`}`;
}

/** Two opens of the same key share one handle; ':memory:' is never shared. */
export function targetKey(t: DbTarget): string | undefined {
  if (t.dialect === 'postgres') return `pg ${t.url} ${t.schema}`;
  return t.file === ':memory:' ? undefined : `sqlite ${path.resolve(t.file)}`;
}
