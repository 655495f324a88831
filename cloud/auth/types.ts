import { z } from 'zod';

/**
 * Accounts, roles and scopes. Storage sits behind small interfaces (UserStore, SessionStore,
 * AuditLog, FarmDirectory) so the same routes run on the in-memory stores of the tests and on
 * the registry's SQL tables in production (see registry-adapters.ts).
 */
export const ROLES = ['farmer', 'technician', 'officer', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export interface User {
  id: string;
  username: string;
  phone?: string | undefined;
  name: string;
  role: Role;
  /** farmer: the farms they own */
  farmIds: string[];
  /** technician: their cooperative */
  cooperativeId?: string | undefined;
  /** officer: the communes they report on */
  communes: string[];
  /** seeded by the demo; shown with a DEMO badge and printed at start */
  demo: boolean;
  locale?: 'vi' | 'en' | undefined;
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
});
export type PublicUser = z.infer<typeof PublicUser>;

export function toPublicUser(u: User): PublicUser {
  return {
    id: u.id, username: u.username, name: u.name, role: u.role, farmIds: u.farmIds, communes: u.communes, demo: u.demo,
    ...(u.phone ? { phone: u.phone } : {}),
    ...(u.cooperativeId ? { cooperativeId: u.cooperativeId } : {}),
  };
}

export interface UserStore {
  /** by username or phone number */
  findByLogin(login: string): Promise<StoredUser | undefined>;
  get(id: string): Promise<StoredUser | undefined>;
  list(): Promise<StoredUser[]>;
  create(user: StoredUser): Promise<void>;
  setPasswordHash(id: string, hash: string): Promise<void>;
}

export interface Session {
  /** sha-256 of the token: a leaked session table does not leak tokens */
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
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
  commune: string;
  cooperativeId: string;
  ownerUserId?: string | undefined;
  gatewayIds: string[];
}

/** Read-only view of farms and which gateway belongs where (owned by the registry). */
export interface FarmDirectory {
  listFarms(): Promise<FarmInfo[]>;
  farmOfGateway(gatewayId: string): Promise<FarmInfo | undefined>;
}
