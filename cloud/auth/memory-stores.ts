import { normalizePhone } from '../registry/phone.js';
import { AuthError } from './errors.js';
import type {
  AccountEdit,
  AuditEntry,
  AuditLog,
  FarmDirectory,
  FarmInfo,
  NewAccount,
  Session,
  SessionStore,
  StoredUser,
  UserStore,
} from './types.js';

/** In-memory stores: for tests and for a demo without a registry. */
export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, StoredUser>();
  private next = 1;
  async findByLogin(login: string) {
    const l = login.trim().toLowerCase();
    const phone = normalizePhone(login);
    return [...this.users.values()].find(
      (u) => !u.disabled && (u.username.toLowerCase() === l || (!!phone && u.phone === phone)),
    );
  }
  async get(id: string) {
    const u = this.users.get(id);
    return u && !u.disabled ? u : undefined;
  }
  async find(id: string) {
    return this.users.get(id);
  }
  async list() {
    return [...this.users.values()];
  }
  async create(user: NewAccount) {
    const phone = this.#phone(user.phone);
    if ([...this.users.values()].some((u) => u.username === user.username))
      throw new AuthError('USER_TAKEN', `username ${user.username} is taken`, { field: 'username' });
    if (phone && [...this.users.values()].some((u) => u.phone === phone))
      throw new AuthError('USER_TAKEN', `phone ${phone} is taken`, { field: 'phone' });
    const stored: StoredUser = { ...user, id: String(this.next++), ...(phone ? { phone } : {}), disabled: false };
    this.users.set(stored.id, stored);
    return { ...stored };
  }
  async update(id: string, e: AccountEdit) {
    const u = this.users.get(id);
    if (!u) throw new AuthError('USER_NOT_FOUND', `user ${id} does not exist`);
    const phone = e.phone === undefined ? u.phone : (this.#phone(e.phone) ?? undefined);
    if (phone && [...this.users.values()].some((x) => x.id !== id && x.phone === phone))
      throw new AuthError('USER_TAKEN', `phone ${phone} is taken`, { field: 'phone' });
    const { cooperativeId, phone: _p, ...rest } = e;
    Object.assign(u, rest, {
      phone,
      ...(cooperativeId !== undefined ? { cooperativeId: cooperativeId ?? undefined } : {}),
    });
    return { ...u };
  }
  async setPasswordHash(id: string, hash: string) {
    const u = this.users.get(id);
    if (u) u.passwordHash = hash;
  }
  #phone(p: string | null | undefined): string | undefined {
    if (!p) return undefined;
    const n = normalizePhone(p);
    if (!n) throw new AuthError('USER_INVALID', `phone ${p} is not a valid phone number`, { field: 'phone' });
    return n;
  }
}

export { normalizePhone };

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  async put(s: Session) {
    this.sessions.set(s.tokenHash, s);
  }
  async get(h: string) {
    return this.sessions.get(h);
  }
  async delete(h: string) {
    this.sessions.delete(h);
  }
  async deleteForUser(userId: string) {
    for (const [k, s] of this.sessions) if (s.userId === userId) this.sessions.delete(k);
  }
}

export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  private next = 1;
  async append(e: AuditEntry) {
    this.entries.push({ ...e, id: this.next++ });
  }
  async list(f: { limit: number; farmIds?: string[]; cooperativeId?: string; target?: string }) {
    return this.entries
      .filter(
        (e) =>
          (!f.farmIds || (e.farmId !== undefined && f.farmIds.includes(e.farmId))) &&
          (!f.cooperativeId || e.cooperativeId === f.cooperativeId) &&
          (!f.target || e.target === f.target),
      )
      .slice(-f.limit)
      .reverse();
  }
}

export class MemoryFarmDirectory implements FarmDirectory {
  constructor(private readonly farms: FarmInfo[] = []) {}
  add(f: FarmInfo) {
    this.farms.push(f);
  }
  async listFarms() {
    return [...this.farms];
  }
  async farmOfGateway(gw: string) {
    return this.farms.find((f) => f.gatewayIds.includes(gw));
  }
}
