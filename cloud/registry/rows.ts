import type { Selectable } from 'kysely';
import type {
  RegAuditTable,
  RegCommandsTable,
  RegFarmsTable,
  RegGatewayConfigsTable,
  RegGatewayEventsTable,
  RegGatewaysTable,
  RegUnitsTable,
  RegUsersTable,
} from '../db/tables.js';
import type {
  AuditEntry,
  CommandRecord,
  CommandStatus,
  ConfigStatus,
  Farm,
  Gateway,
  GatewayConfigVersion,
  Inventory,
  StoredEvent,
  Unit,
  User,
} from './registry.js';

/**
 * Database rows (typed in cloud/db/tables.ts: snake_case columns, JSON kept as text, 0/1
 * booleans, BIGINT as number on both databases) → domain objects.
 */
export const json = (v: string | null): unknown => (v === null ? null : JSON.parse(v));
export const toJson = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** `active: false` only when deactivated, so active rows read as before */
export const inactive = (r: { active?: number | null }): { active?: false } =>
  r.active !== undefined && r.active !== null && Number(r.active) === 0 ? { active: false } : {};

export const unitOf = (r: Selectable<RegUnitsTable>): Unit => ({
  id: r.id,
  parentId: r.parent_id,
  level: r.level,
  name: r.name,
  ...inactive(r),
});

export const farmOf = (r: Selectable<RegFarmsTable>): Farm => ({
  id: r.id,
  name: r.name,
  owner: r.owner,
  unitId: r.unit_id,
  cooperativeId: r.cooperative_id,
  areaHa: r.area_ha === null ? null : Number(r.area_ha),
  ...inactive(r),
});

export const gatewayOf = (r: Selectable<RegGatewaysTable>): Gateway => ({
  id: r.id,
  farmId: r.farm_id,
  name: r.name,
  online: Number(r.online) === 1,
  onlineChangedAt: r.online_changed_at,
  lastSeen: r.last_seen,
  bootId: r.boot_id,
  lastSeq: r.last_seq,
  fw: r.fw,
  inventory: json(r.inventory) as Inventory | null,
  desiredConfigVersion: r.desired_config_version,
  appliedConfigVersion: r.applied_config_version,
  createdAt: r.created_at,
});

export const configOf = (r: Selectable<RegGatewayConfigsTable>): GatewayConfigVersion => ({
  gatewayId: r.gateway_id,
  version: r.version,
  config: json(r.config),
  status: r.status as ConfigStatus,
  reasons: (json(r.reasons) as string[] | null) ?? [],
  createdBy: r.created_by,
  createdAt: r.created_at,
  ackedAt: r.acked_at,
});

export const commandOf = (r: Selectable<RegCommandsTable>): CommandRecord => ({
  id: r.id,
  gatewayId: r.gateway_id,
  kind: r.kind,
  payload: json(r.payload),
  status: r.status as CommandStatus,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  ackedAt: r.acked_at,
});

export const eventOf = (r: Selectable<RegGatewayEventsTable>): StoredEvent =>
  ({
    ...(json(r.body) as object),
    id: r.id,
    gatewayId: r.gateway_id,
    receivedAt: r.received_at,
  }) as StoredEvent;

/** a user's row; farmIds / communes start with the row's farm_id / unit_id, the scopes are added by the caller */
export const userOf = (r: Selectable<RegUsersTable>): User => ({
  id: String(r.id),
  username: r.username,
  ...(r.phone ? { phone: r.phone } : {}),
  name: r.display_name ?? r.username,
  role: r.role,
  farmIds: r.farm_id ? [r.farm_id] : [],
  ...(r.cooperative_id ? { cooperativeId: r.cooperative_id } : {}),
  communes: r.unit_id ? [r.unit_id] : [],
  disabled: Number(r.disabled) === 1,
  createdAt: r.created_at,
});

export const auditOf = (r: Selectable<RegAuditTable>): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  before: json(r.before_json),
  after: json(r.after_json),
});
