import type { SqlDb } from '../registry/sql.js';
import { MissionError } from './errors.js';

/**
 * The mission component's own versioned migrations on the registry database (SQLite or
 * PostgreSQL through the registry's SqlDb), kept apart from the registry's `reg_migrations` so
 * the two components release independently. Tables start with `msn_`; JSON is text in both
 * databases (as in the registry). Never edit a released migration: add the next one.
 */
export interface MissionMigration { version: number; name: string; sql: string }

export const MISSION_MIGRATIONS: MissionMigration[] = [
  {
    version: 1,
    name: 'fields and missions',
    sql: `
CREATE TABLE msn_fields (
  id TEXT PRIMARY KEY,
  farm_id TEXT NOT NULL,
  name TEXT NOT NULL,
  boundary TEXT NOT NULL,
  exclusions TEXT NOT NULL,
  home TEXT,
  area_ha DOUBLE PRECISION NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX msn_fields_farm ON msn_fields(farm_id);
CREATE TABLE msn_missions (
  id TEXT PRIMARY KEY,
  field_id TEXT,
  farm_id TEXT,
  name TEXT,
  state TEXT NOT NULL,
  drone_id TEXT,
  params TEXT NOT NULL,
  plan TEXT NOT NULL,
  lifecycle TEXT NOT NULL,
  verification TEXT,
  version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX msn_missions_state ON msn_missions(state);
CREATE INDEX msn_missions_field ON msn_missions(field_id);
CREATE INDEX msn_missions_farm ON msn_missions(farm_id);
CREATE INDEX msn_missions_created ON msn_missions(created_at);
`,
  },
];

/** Applies the missing mission migrations, each once, under the database's migration lock. Idempotent. */
export async function migrateMissions(db: SqlDb, migrations: MissionMigration[] = MISSION_MIGRATIONS, now = Date.now()): Promise<number[]> {
  return db.migrationLock(async (q) => {
    await q.exec('CREATE TABLE IF NOT EXISTS msn_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await q.query<{ version: number }>('SELECT version FROM msn_migrations')).map((r) => Number(r.version)));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const ahead = [...done].filter((v) => v > known);
    if (ahead.length) {
      throw new MissionError('MISSION_STORE', `the mission tables are at migration ${Math.max(...ahead)}, newer than this program knows (${known}): upgrade Ruộng Số`);
    }
    const applied: number[] = [];
    for (const m of migrations.filter((x) => !done.has(x.version)).sort((a, b) => a.version - b.version)) {
      try {
        await q.exec(m.sql);
      } catch (cause) {
        throw new MissionError('MISSION_STORE', `mission migration ${m.version} (${m.name}) failed: ${(cause as Error).message}`, { cause });
      }
      await q.run('INSERT INTO msn_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, now]);
      applied.push(m.version);
    }
    return applied;
  });
}
