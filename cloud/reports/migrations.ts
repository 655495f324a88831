import { runStatements, type FeatureMigration } from '../db/migration.js';

/**
 * The report facts' numbered migrations, run by the one migrator of cloud/db. Tables start with
 * `rpt_` and hold no foreign keys into `reg_*`. Never edit a released migration: add the next one.
 */
export const REPORT_MIGRATIONS: FeatureMigration[] = [
  {
    version: 1,
    name: 'gateway_states_valve_runs_missions_user_activity',
    up: (db, dialect) =>
      runStatements(
        db,
        dialect,
        `
CREATE TABLE rpt_gateway_states (
  gateway_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  online INTEGER NOT NULL,
  PRIMARY KEY (gateway_id, at)
);
CREATE TABLE rpt_valve_runs (
  gateway_id TEXT NOT NULL,
  zone TEXT,
  valve TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  PRIMARY KEY (gateway_id, valve, opened_at)
);
CREATE INDEX rpt_valve_runs_time ON rpt_valve_runs(opened_at);
CREATE TABLE rpt_missions (
  mission_id TEXT PRIMARY KEY,
  farm_id TEXT NOT NULL,
  flown_at BIGINT NOT NULL,
  area_ha DOUBLE PRECISION NOT NULL,
  litres DOUBLE PRECISION NOT NULL
);
CREATE TABLE rpt_user_activity (
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (user_id, day)
);
`,
      ),
  },
];
