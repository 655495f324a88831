import { DbError } from '../db/errors.js';
import { runStatements, type FeatureMigration } from '../db/migration.js';
import type { Db } from '../db/index.js';
import { RegistryError } from './errors.js';
import { ACTIVE_FLAGS } from './migration-0003-active.js';

/**
 * The registry's numbered migrations, run by the one migrator of cloud/db. Never edit a released
 * migration: add the next one (new ones may use Kysely's schema builder). Tables start with
 * `reg_` (the SQLite file also holds the telemetry store's `telemetry_*` tables). JSON is kept as
 * text in both databases. `{{id}}` is an auto-increment primary key in the dialect at hand.
 */
export const REGISTRY_MIGRATIONS: FeatureMigration[] = [
  {
    version: 1,
    name: 'units_farms_gateways_configs_commands_events_users_audit',
    up: (db, dialect) =>
      runStatements(
        db,
        dialect,
        `
CREATE TABLE reg_unit_levels (
  level TEXT PRIMARY KEY,
  rank INTEGER NOT NULL,
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL
);
INSERT INTO reg_unit_levels (level, rank, name_vi, name_en) VALUES
  ('province', 1, 'Tỉnh', 'Province'),
  ('district', 2, 'Huyện', 'District'),
  ('commune', 3, 'Xã', 'Commune'),
  ('hamlet', 4, 'Ấp', 'Hamlet');
CREATE TABLE reg_units (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES reg_units(id),
  level TEXT NOT NULL REFERENCES reg_unit_levels(level),
  name TEXT NOT NULL
);
CREATE INDEX reg_units_parent ON reg_units(parent_id);
CREATE TABLE reg_cooperatives (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  unit_id TEXT REFERENCES reg_units(id)
);
CREATE TABLE reg_farms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  owner TEXT,
  unit_id TEXT REFERENCES reg_units(id),
  cooperative_id TEXT REFERENCES reg_cooperatives(id),
  area_ha DOUBLE PRECISION
);
CREATE TABLE reg_gateways (
  id TEXT PRIMARY KEY,
  farm_id TEXT REFERENCES reg_farms(id),
  name TEXT,
  credential_hash TEXT,
  online INTEGER NOT NULL DEFAULT 0,
  online_changed_at BIGINT,
  state_ts BIGINT,
  last_seen BIGINT,
  boot_id TEXT,
  last_seq BIGINT,
  seq_gaps BIGINT NOT NULL DEFAULT 0,
  seq_dups BIGINT NOT NULL DEFAULT 0,
  fw TEXT,
  inventory TEXT,
  desired_config_version INTEGER,
  applied_config_version INTEGER,
  created_at BIGINT NOT NULL
);
CREATE INDEX reg_gateways_farm ON reg_gateways(farm_id);
CREATE TABLE reg_gateway_configs (
  gateway_id TEXT NOT NULL REFERENCES reg_gateways(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  config TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  reasons TEXT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  acked_at BIGINT,
  PRIMARY KEY (gateway_id, version)
);
CREATE TABLE reg_commands (
  id TEXT PRIMARY KEY,
  gateway_id TEXT NOT NULL REFERENCES reg_gateways(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  reason TEXT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  acked_at BIGINT
);
CREATE INDEX reg_commands_gateway ON reg_commands(gateway_id, created_at);
CREATE TABLE reg_gateway_events (
  id {{id}},
  gateway_id TEXT NOT NULL REFERENCES reg_gateways(id) ON DELETE CASCADE,
  boot_id TEXT NOT NULL,
  seq BIGINT,
  ts BIGINT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  reason TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
-- a QoS 1 redelivery of the same event is stored once
CREATE UNIQUE INDEX reg_gateway_events_identity ON reg_gateway_events(gateway_id, boot_id, ts, kind);
CREATE INDEX reg_gateway_events_recent ON reg_gateway_events(gateway_id, id);
CREATE TABLE reg_users (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  phone TEXT UNIQUE,
  display_name TEXT,
  role TEXT NOT NULL CHECK (role IN ('farmer', 'technician', 'officer', 'admin')),
  farm_id TEXT REFERENCES reg_farms(id),
  cooperative_id TEXT REFERENCES reg_cooperatives(id),
  unit_id TEXT REFERENCES reg_units(id),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE TABLE reg_audit (
  id {{id}},
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT
);
CREATE INDEX reg_audit_entity ON reg_audit(entity, entity_id, id);
`,
      ),
  },
  {
    version: 2,
    name: 'sessions_user_scopes',
    up: (db, dialect) =>
      runStatements(
        db,
        dialect,
        `
CREATE TABLE reg_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES reg_users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX reg_sessions_user ON reg_sessions(user_id);
-- a farmer may own several farms, an officer report on several communes
CREATE TABLE reg_user_scopes (
  user_id BIGINT NOT NULL REFERENCES reg_users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('farm', 'unit')),
  ref TEXT NOT NULL,
  PRIMARY KEY (user_id, kind, ref)
);
`,
      ),
  },
  ACTIVE_FLAGS,
];

/**
 * Applies what is missing in the database (every feature's migrations: they share one
 * migrator); returns the registry versions applied by this call.
 */
export async function migrate(db: Db): Promise<number[]> {
  try {
    const names = await db.migrate();
    return names
      .filter((n) => n.startsWith('registry/'))
      .map((n) => Number(n.slice('registry/'.length, 'registry/'.length + 4)));
  } catch (cause) {
    if (cause instanceof DbError) throw new RegistryError('REGISTRY_MIGRATION', cause.message, { cause });
    throw cause;
  }
}
