/**
 * Column types of the tables queried through Kysely, as the drivers return them (BIGINT as
 * number on both databases, JSON kept as text). The registry's `reg_*` tables are still queried
 * as raw SQL through the compatible SqlRunner face (see raw.ts) and are not listed yet.
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

export interface RptGatewayStatesTable { gateway_id: string; at: number; online: number }
export interface RptValveRunsTable { gateway_id: string; zone: string | null; valve: string; opened_at: number; closed_at: number | null }
export interface RptMissionsTable { mission_id: string; farm_id: string; flown_at: number; area_ha: number; litres: number }
export interface RptUserActivityTable { user_id: string; day: string }

export interface Tables {
  msn_missions: MsnMissionsTable;
  msn_fields: MsnFieldsTable;
  rpt_gateway_states: RptGatewayStatesTable;
  rpt_valve_runs: RptValveRunsTable;
  rpt_missions: RptMissionsTable;
  rpt_user_activity: RptUserActivityTable;
}
