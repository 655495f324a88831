import type { Generated } from 'kysely';

/**
 * Column types of every table, as the drivers return them (BIGINT as number on both databases,
 * JSON kept as text, booleans as 0/1 INTEGER). The registry, the missions store, the alert acks and
 * the report facts query through Kysely on these types.
 */
export interface MsnMissionsTable {
  id: string;
  field_id: string | null;
  farm_id: string | null;
  name: string | null;
  state: string;
  drone_id: string | null;
  params: string;
  plan: string;
  lifecycle: string;
  verification: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface MsnFieldsTable {
  id: string;
  farm_id: string;
  name: string;
  boundary: string;
  exclusions: string;
  home: string | null;
  area_ha: number;
  created_by: string;
  created_at: number;
}

export interface RptGatewayStatesTable {
  gateway_id: string;
  at: number;
  online: number;
}
export interface RptValveRunsTable {
  gateway_id: string;
  zone: string | null;
  valve: string;
  opened_at: number;
  closed_at: number | null;
}
export interface RptMissionsTable {
  mission_id: string;
  farm_id: string;
  flown_at: number;
  area_ha: number;
  litres: number;
}
export interface RptUserActivityTable {
  user_id: string;
  day: string;
}

export interface RegUnitLevelsTable {
  level: string;
  rank: number;
  name_vi: string;
  name_en: string;
}
/** `active`: 1, or 0 when deactivated (registry/0003) */
export interface RegUnitsTable {
  id: string;
  parent_id: string | null;
  level: string;
  name: string;
  active: Generated<number>;
}
export interface RegCooperativesTable {
  id: string;
  name: string;
  unit_id: string | null;
  active: Generated<number>;
}
export interface RegFarmsTable {
  id: string;
  name: string;
  owner: string | null;
  unit_id: string | null;
  cooperative_id: string | null;
  area_ha: number | null;
  active: Generated<number>;
}
export interface RegGatewaysTable {
  id: string;
  farm_id: string | null;
  name: string | null;
  credential_hash: string | null;
  online: Generated<number>;
  online_changed_at: number | null;
  state_ts: number | null;
  last_seen: number | null;
  boot_id: string | null;
  last_seq: number | null;
  seq_gaps: Generated<number>;
  seq_dups: Generated<number>;
  fw: string | null;
  inventory: string | null;
  desired_config_version: number | null;
  applied_config_version: number | null;
  created_at: number;
}
export interface RegGatewayConfigsTable {
  gateway_id: string;
  version: number;
  config: string;
  status: Generated<string>;
  reasons: string | null;
  created_by: string;
  created_at: number;
  acked_at: number | null;
}
export interface RegCommandsTable {
  id: string;
  gateway_id: string;
  kind: string;
  payload: string;
  status: Generated<string>;
  reason: string | null;
  created_by: string;
  created_at: number;
  expires_at: number;
  acked_at: number | null;
}
export interface RegGatewayEventsTable {
  id: Generated<number>;
  gateway_id: string;
  boot_id: string;
  seq: number | null;
  ts: number;
  kind: string;
  severity: string;
  reason: string;
  body: string;
  received_at: number;
}
export interface RegUsersTable {
  id: Generated<number>;
  username: string;
  phone: string | null;
  display_name: string | null;
  role: 'farmer' | 'technician' | 'officer' | 'admin';
  farm_id: string | null;
  cooperative_id: string | null;
  unit_id: string | null;
  password_hash: string;
  disabled: Generated<number>;
  created_at: number;
}
export interface RegAuditTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
}
export interface RegSessionsTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}
export interface RegUserScopesTable {
  user_id: number;
  kind: 'farm' | 'unit';
  ref: string;
}

export interface Tables {
  reg_unit_levels: RegUnitLevelsTable;
  reg_units: RegUnitsTable;
  reg_cooperatives: RegCooperativesTable;
  reg_farms: RegFarmsTable;
  reg_gateways: RegGatewaysTable;
  reg_gateway_configs: RegGatewayConfigsTable;
  reg_commands: RegCommandsTable;
  reg_gateway_events: RegGatewayEventsTable;
  reg_users: RegUsersTable;
  reg_audit: RegAuditTable;
  reg_sessions: RegSessionsTable;
  reg_user_scopes: RegUserScopesTable;
  msn_missions: MsnMissionsTable;
  msn_fields: MsnFieldsTable;
  rpt_gateway_states: RptGatewayStatesTable;
  rpt_valve_runs: RptValveRunsTable;
  rpt_missions: RptMissionsTable;
  rpt_user_activity: RptUserActivityTable;
}
