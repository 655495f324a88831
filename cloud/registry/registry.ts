import type { CommandAck, ConfigAck, GatewayEvent, GatewayState } from '../../protocol/index.js';

/**
 * Registry port: administrative units, farms, gateways and their configs, commands and events,
 * users and the audit log. Adapters: SQLite (embedded default) and PostgreSQL, both built on one
 * SQL implementation (sql-registry.ts) over a small dialect layer; one shared contract suite
 * (test/support/registry-contract.ts) runs against both.
 *
 * Times are milliseconds since the Unix epoch. Every write is one transaction, audit row included.
 */

/** Who made a change, for the audit log: a username, or a system actor like `ingest`. */
export type Actor = string;

export interface UnitLevel {
  level: string;
  rank: number;
  nameVi: string;
  nameEn: string;
}
/** `active: false` = deactivated (kept for history; refused as a new scope); absent = active */
export interface Unit {
  id: string;
  parentId: string | null;
  level: string;
  name: string;
  active?: boolean;
}
export interface Cooperative {
  id: string;
  name: string;
  unitId: string | null;
  active?: boolean;
}

export interface Farm {
  id: string;
  name: string;
  owner: string | null;
  unitId: string | null;
  cooperativeId: string | null;
  areaHa: number | null;
  /** false = deactivated: its users no longer see it (admins still list it) */
  active?: boolean;
}

export interface Inventory {
  sensors: { sensor: string; metric: string; unit: string }[];
  valves: { valve: string; kind: 'valve' | 'intake' | 'pump' }[];
}

export interface Gateway {
  id: string;
  farmId: string | null;
  name: string | null;
  online: boolean;
  /** when `online` last flipped */
  onlineChangedAt: number | null;
  lastSeen: number | null;
  bootId: string | null;
  lastSeq: number | null;
  fw: string | null;
  inventory: Inventory | null;
  desiredConfigVersion: number | null;
  appliedConfigVersion: number | null;
  createdAt: number;
}

/** A gateway with its farm and the units above the farm (nearest first). */
export interface GatewayView extends Gateway {
  farm: { id: string; name: string; areaHa: number | null } | null;
  units: Unit[];
}

export type ConfigStatus = 'pending' | 'applied' | 'rejected' | 'superseded';
export interface GatewayConfigVersion {
  gatewayId: string;
  version: number;
  config: unknown;
  status: ConfigStatus;
  reasons: string[];
  createdBy: Actor;
  createdAt: number;
  ackedAt: number | null;
}

export type CommandStatus = 'pending' | 'done' | 'rejected' | 'expired' | 'duplicate';
export interface CommandRecord {
  id: string;
  gatewayId: string;
  kind: string;
  payload: unknown;
  status: CommandStatus;
  reason: string | null;
  createdBy: Actor;
  createdAt: number;
  expiresAt: number;
  ackedAt: number | null;
}

export interface StoredEvent extends GatewayEvent {
  id: number;
  gatewayId: string;
  receivedAt: number;
}

export const ROLES = ['farmer', 'technician', 'officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/**
 * A person with an account: the one user model of the registry, the accounts API and the routes
 * (cloud/auth/types.ts re-exports it). Stored in reg_users with its scopes in reg_user_scopes;
 * the in-memory stores of the tests keep the same shape.
 */
export interface User {
  /** the registry's row id as text: the id every API answer carries */
  id: string;
  username: string;
  /** E.164 */
  phone?: string | undefined;
  /** for people: the display name, else the username */
  name: string;
  role: Role;
  /** every farm in scope (a farmer's farms), the one stored on the user's row first */
  farmIds: string[];
  /** technician: their cooperative */
  cooperativeId?: string | undefined;
  /** officer: every administrative unit in scope (unit ids: communes, or a district), the row's first */
  communes: string[];
  /** seeded by the demo: shown with a DEMO badge (the accounts store knows which; the registry does not) */
  demo?: boolean | undefined;
  /** deactivated: cannot log in, every session ended */
  disabled?: boolean | undefined;
  locale?: 'vi' | 'en' | undefined;
  /** when the account was made (registry users) */
  createdAt?: number | undefined;
}
export interface NewUser {
  username: string;
  phone?: string | null;
  displayName?: string | null;
  role: Role;
  farmId?: string | null;
  cooperativeId?: string | null;
  unitId?: string | null;
  /** further farms / units in scope, beside farmId / unitId */
  farmIds?: string[];
  unitIds?: string[];
  /** from hashPassword() in password.ts, never the password itself */
  passwordHash: string;
}
/** What an edit may change; scopes given replace the old ones (farmIds / unitIds are the whole list). */
export interface UserPatch {
  phone?: string | null;
  displayName?: string | null;
  role?: Role;
  cooperativeId?: string | null;
  farmIds?: string[];
  unitIds?: string[];
  disabled?: boolean;
}

export interface Session {
  /** sha-256 of the token: a leaked session table does not leak tokens */
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: Actor;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** Result of a state (birth / last will) message. */
export interface StateChange {
  changed: boolean;
  online: boolean;
}
/**
 * Result of a telemetry message's (bootId, seq). Gaps and duplicates are counted once, by the
 * ingest's seq tracker (cloud/ingest/seq-tracker.ts); the registry keeps only bootId and the
 * highest seq seen (the seq_gaps / seq_dups columns are no longer written).
 */
export interface SeqResult {
  newBoot: boolean;
}

export interface RegistryHealth {
  ok: boolean;
  kind: 'sqlite' | 'postgres';
  detail?: string;
}

export interface Registry {
  readonly kind: 'sqlite' | 'postgres';
  /** runs pending migrations */
  init(): Promise<void>;
  health(): Promise<RegistryHealth>;
  close(): Promise<void>;

  // administrative units: a tree whose levels are data
  listUnitLevels(): Promise<UnitLevel[]>;
  upsertUnitLevel(level: UnitLevel, actor: Actor): Promise<void>;
  upsertUnit(unit: Unit, actor: Actor): Promise<void>;
  listUnits(): Promise<Unit[]>;
  upsertCooperative(coop: Cooperative, actor: Actor): Promise<void>;
  listCooperatives(): Promise<Cooperative[]>;

  upsertFarm(farm: Farm, actor: Actor): Promise<void>;
  /**
   * A farm's field (the missions' msn_fields table, same database) from the district file; the
   * boundary is checked by the caller (missions' fieldIssues). Audited as entity `field`.
   */
  upsertField(
    f: { id: string; farmId: string; name: string; boundary: unknown; areaHa: number },
    actor: Actor,
  ): Promise<void>;
  getFarm(id: string): Promise<Farm | null>;
  listFarms(): Promise<Farm[]>;

  /** registers or updates a gateway's name and farm (state columns are left alone) */
  upsertGateway(gw: { id: string; farmId: string | null; name: string | null }, actor: Actor): Promise<void>;
  getGateway(id: string): Promise<GatewayView | null>;
  listGateways(opts?: { limit?: number; offset?: number }): Promise<GatewayView[]>;
  setGatewayCredential(id: string, credentialHash: string, actor: Actor): Promise<void>;
  getGatewayCredentialHash(id: string): Promise<string | null>;

  // what the ingest learns (unknown gateways are registered unassigned on first contact)
  recordState(id: string, state: GatewayState, receivedAt: number): Promise<StateChange>;
  recordTelemetry(id: string, meta: { bootId: string; seq: number }, receivedAt: number): Promise<SeqResult>;
  recordEvent(id: string, event: GatewayEvent, receivedAt: number): Promise<{ stored: boolean }>;
  recordConfigAck(id: string, ack: ConfigAck, receivedAt: number): Promise<{ known: boolean }>;
  recordCommandAck(id: string, ack: CommandAck, receivedAt: number): Promise<{ known: boolean }>;

  /** stores a new desired config; its version is one above the last; older pending ones are superseded */
  putDesiredConfig(id: string, config: unknown, actor: Actor, at: number): Promise<GatewayConfigVersion>;
  listConfigs(id: string, limit?: number): Promise<GatewayConfigVersion[]>;

  createCommand(
    cmd: { id: string; gatewayId: string; kind: string; payload: unknown; expiresAt: number },
    actor: Actor,
    at: number,
  ): Promise<CommandRecord>;
  getCommand(id: string): Promise<CommandRecord | null>;
  listCommands(gatewayId: string, limit?: number): Promise<CommandRecord[]>;

  listEvents(gatewayId: string, limit?: number): Promise<StoredEvent[]>;

  createUser(user: NewUser, actor: Actor, at: number): Promise<User>;
  /** by username or phone number */
  findUserForLogin(login: string): Promise<{ user: User; passwordHash: string } | null>;
  listUsers(): Promise<User[]>;
  /** null for an id that does not exist (or is not a registry id) */
  getUser(id: string): Promise<User | null>;
  /** edits a user in one transaction (audited old → new); disabling ends every session of the user */
  updateUser(id: string, patch: UserPatch, actor: Actor, at: number): Promise<User>;
  /** audited as a password change, never with the hash */
  setUserPassword(id: string, passwordHash: string, actor: Actor): Promise<void>;

  // sessions: the token's hash only, never the token
  putSession(s: Session): Promise<void>;
  getSession(tokenHash: string): Promise<Session | null>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteSessionsForUser(userId: string): Promise<void>;
  /** removes expired sessions; returns how many */
  pruneSessions(now: number): Promise<number>;

  /** an audit row for a change made outside the registry (a mission approved, a login policy …) */
  appendAudit(e: Omit<AuditEntry, 'id'>): Promise<void>;

  listAudit(opts?: { entity?: string; entityId?: string; limit?: number }): Promise<AuditEntry[]>;

  /** runs fn on a registry whose writes form one transaction: all of them or none (onboarding) */
  atomically<T>(fn: (r: Registry) => Promise<T>): Promise<T>;
}

/** Events kept per gateway for the UI; older ones are pruned on insert. */
export const EVENTS_KEPT_PER_GATEWAY = 200;
