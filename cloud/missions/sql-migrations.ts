import { DbError } from '../db/errors.js';
import { runStatements, type FeatureMigration } from '../db/migration.js';
import type { Db } from '../db/index.js';
import { MissionError } from './errors.js';

/**
 * The mission component's numbered migrations on the process's database, run by the one
 * migrator of cloud/db. Tables start with `msn_`; JSON is text in both databases (as in the
 * registry). Never edit a released migration: add the next one.
 */
export const MISSION_MIGRATIONS: FeatureMigration[] = [
  {
    version: 1,
    name: 'fields_missions',
    up: (db, dialect) =>
      runStatements(
        db,
        dialect,
        `
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
      ),
  },
];

/** Applies what is missing (all features share the migrator); returns the mission versions applied by this call. */
export async function migrateMissions(db: Db): Promise<number[]> {
  try {
    const names = await db.migrate();
    return names
      .filter((n) => n.startsWith('missions/'))
      .map((n) => Number(n.slice('missions/'.length, 'missions/'.length + 4)));
  } catch (cause) {
    if (cause instanceof DbError) throw new MissionError('MISSION_STORE', cause.message, { cause });
    throw cause;
  }
}
