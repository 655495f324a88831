import { z } from 'zod';

/**
 * Accounts, roles and scopes. Storage sits behind small interfaces (UserStore, SessionStore,
 * AuditLog, FarmDirectory) so the same routes run on the in-memory stores of the tests and on
 * the registry's SQL tables in production (see registry-adapters.ts).
 */
import { ROLES, type Session, type User } from '../registry/registry.js';

// one list of roles: the registry's (its CHECK constraint holds the same four)
export { ROLES };
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

// one user model: the registry's (ids as text, every farm and unit in scope); the stores below
// (memory for tests, the registry's tables in production) hand it out as it is
export type { Session, User };

/** A user to create: the store gives the id (the one every API answer then carries). */
export type NewAccount = Omit<StoredUser, 'id' | 'disabled'>;
/** An edit; scopes given replace the old lists. */
export interface AccountEdit {
  phone?: string | null;
  name?: string;
  role?: Role;
  farmIds?: string[];
  cooperativeId?: string | null;
  communes?: string[];
  disabled?: boolean;
}

export interface StoredUser extends User {
  passwordHash: string;
}

/** What the client sees of a user (never the hash). */
export const PublicUser = z.object({
  id: z.string(),
  username: z.string(),
  phone: z.string().optional(),
  name: z.string(),
  role: Role,
  farmIds: z.array(z.string()),
  cooperativeId: z.string().optional(),
  communes: z.array(z.string()),
  demo: z.boolean(),
  active: z.boolean(),
});
export type PublicUser = z.infer<typeof PublicUser>;

export function toPublicUser(u: User): PublicUser {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    role: u.role,
    farmIds: u.farmIds,
    communes: u.communes,
    demo: u.demo === true,
    active: !u.disabled,
    ...(u.phone ? { phone: u.phone } : {}),
    ...(u.cooperativeId ? { cooperativeId: u.cooperativeId } : {}),
  };
}

export interface UserStore {
  /** by username or phone number (any spelling of it); deactivated users are not found */
  findByLogin(login: string): Promise<StoredUser | undefined>;
  /** an active user */
  get(id: string): Promise<StoredUser | undefined>;
  /** everyone, deactivated users included */
  list(): Promise<StoredUser[]>;
  /** the stored user, with the id the store gave it */
  create(user: NewAccount, actor?: string): Promise<StoredUser>;
  /** a user, deactivated or not; undefined when the id does not exist */
  find(id: string): Promise<StoredUser | undefined>;
  update(id: string, edit: AccountEdit, actor?: string): Promise<StoredUser>;
  setPasswordHash(id: string, hash: string): Promise<void>;
}

export interface SessionStore {
  put(s: Session): Promise<void>;
  get(tokenHash: string): Promise<Session | undefined>;
  delete(tokenHash: string): Promise<void>;
  deleteForUser(userId: string): Promise<void>;
}

export interface AuditEntry {
  id?: number;
  ts: number;
  actor: string;
  role: Role | 'system';
  action: string;
  /** e.g. "gateway:gw-dai-an-1" */
  target: string;
  farmId?: string | undefined;
  cooperativeId?: string | undefined;
  old?: unknown;
  new?: unknown;
}

export interface AuditLog {
  append(e: AuditEntry): Promise<void>;
  /** newest first */
  list(filter: { limit: number; farmIds?: string[]; cooperativeId?: string; target?: string }): Promise<AuditEntry[]>;
}

export interface FarmInfo {
  id: string;
  name: string;
  /** the commune's name, for people */
  commune: string;
  /** the commune's unit id (registry farms) */
  communeId?: string | undefined;
  /** the administrative units the farm lies in, nearest first (hamlet, commune, district …) */
  unitIds?: string[] | undefined;
  cooperativeId: string;
  ownerUserId?: string | undefined;
  gatewayIds: string[];
}

/** Read-only view of farms and which gateway belongs where (owned by the registry). */
export interface FarmDirectory {
  listFarms(): Promise<FarmInfo[]>;
  farmOfGateway(gatewayId: string): Promise<FarmInfo | undefined>;
}
