import type {
  AuditEntry,
  CommandRecord,
  CommandStatus,
  ConfigStatus,
  Farm,
  Gateway,
  GatewayConfigVersion,
  Inventory,
  Role,
  StoredEvent,
  Unit,
  User,
} from './registry.js';

/** Database rows → domain objects (snake_case columns, JSON kept as text, 0/1 booleans). */
type Row = Record<string, unknown>;

/** A column as text: drivers give TEXT as a string and ids as a number or bigint; anything else is JSON. */
const text = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean'
      ? String(v)
      : JSON.stringify(v);
const str = (v: unknown) => (v === null || v === undefined ? null : text(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
export const json = (v: unknown): unknown => (v === null || v === undefined ? null : JSON.parse(text(v)));
export const toJson = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** `active: false` only when deactivated, so active rows read as before */
export const inactive = (r: Row): { active?: false } =>
  r.active !== undefined && r.active !== null && Number(r.active) === 0 ? { active: false } : {};
export const unitOf = (r: Row): Unit => ({
  id: String(r.id),
  parentId: str(r.parent_id),
  level: String(r.level),
  name: String(r.name),
  ...inactive(r),
});

export const farmOf = (r: Row): Farm => ({
  id: String(r.id),
  name: String(r.name),
  owner: str(r.owner),
  unitId: str(r.unit_id),
  cooperativeId: str(r.cooperative_id),
  areaHa: num(r.area_ha),
  ...inactive(r),
});

export const gatewayOf = (r: Row): Gateway => ({
  id: String(r.id),
  farmId: str(r.farm_id),
  name: str(r.name),
  online: Number(r.online) === 1,
  onlineChangedAt: num(r.online_changed_at),
  lastSeen: num(r.last_seen),
  bootId: str(r.boot_id),
  lastSeq: num(r.last_seq),
  fw: str(r.fw),
  inventory: json(r.inventory) as Inventory | null,
  desiredConfigVersion: num(r.desired_config_version),
  appliedConfigVersion: num(r.applied_config_version),
  createdAt: Number(r.created_at),
});

export const configOf = (r: Row): GatewayConfigVersion => ({
  gatewayId: String(r.gateway_id),
  version: Number(r.version),
  config: json(r.config),
  status: String(r.status) as ConfigStatus,
  reasons: (json(r.reasons) as string[] | null) ?? [],
  createdBy: String(r.created_by),
  createdAt: Number(r.created_at),
  ackedAt: num(r.acked_at),
});

export const commandOf = (r: Row): CommandRecord => ({
  id: String(r.id),
  gatewayId: String(r.gateway_id),
  kind: String(r.kind),
  payload: json(r.payload),
  status: String(r.status) as CommandStatus,
  reason: str(r.reason),
  createdBy: String(r.created_by),
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  ackedAt: num(r.acked_at),
});

export const eventOf = (r: Row): StoredEvent =>
  ({
    ...(json(r.body) as object),
    id: Number(r.id),
    gatewayId: String(r.gateway_id),
    receivedAt: Number(r.received_at),
  }) as StoredEvent;

/** a user's row; farmIds / communes start with the row's farm_id / unit_id, the scopes are added by the caller */
export const userOf = (r: Row): User => ({
  id: text(r.id),
  username: String(r.username),
  ...(r.phone ? { phone: text(r.phone) } : {}),
  name: str(r.display_name) ?? String(r.username),
  role: String(r.role) as Role,
  farmIds: r.farm_id ? [text(r.farm_id)] : [],
  ...(r.cooperative_id ? { cooperativeId: text(r.cooperative_id) } : {}),
  communes: r.unit_id ? [text(r.unit_id)] : [],
  disabled: Number(r.disabled) === 1,
  createdAt: Number(r.created_at),
});

export const auditOf = (r: Row): AuditEntry => ({
  id: Number(r.id),
  at: Number(r.at),
  actor: String(r.actor),
  action: String(r.action),
  entity: String(r.entity),
  entityId: String(r.entity_id),
  before: json(r.before_json),
  after: json(r.after_json),
});
