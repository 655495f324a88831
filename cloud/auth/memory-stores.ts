import type { AuditEntry, AuditLog, FarmDirectory, FarmInfo, Session, SessionStore, StoredUser, UserStore } from './types.js';

/** In-memory stores: for tests and for a demo without a registry. */
export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, StoredUser>();
  async findByLogin(login: string) {
    const l = login.trim().toLowerCase();
    return [...this.users.values()].find((u) => u.username.toLowerCase() === l || (u.phone && normalizePhone(u.phone) === normalizePhone(l)));
  }
  async get(id: string) { return this.users.get(id); }
  async list() { return [...this.users.values()]; }
  async create(user: StoredUser) {
    if ([...this.users.values()].some((u) => u.username === user.username)) throw new Error(`username ${user.username} exists`);
    this.users.set(user.id, { ...user });
  }
  async setPasswordHash(id: string, hash: string) {
    const u = this.users.get(id);
    if (u) u.passwordHash = hash;
  }
}

/** 0912 345 678, +84 912 345 678 and 84912345678 are one number. */
export function normalizePhone(s: string): string {
  const digits = s.replace(/[^\d+]/g, '');
  if (digits.startsWith('+84')) return `0${digits.slice(3)}`;
  if (digits.startsWith('84') && digits.length >= 11) return `0${digits.slice(2)}`;
  return digits;
}

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  async put(s: Session) { this.sessions.set(s.tokenHash, s); }
  async get(h: string) { return this.sessions.get(h); }
  async delete(h: string) { this.sessions.delete(h); }
  async deleteForUser(userId: string) {
    for (const [k, s] of this.sessions) if (s.userId === userId) this.sessions.delete(k);
  }
}

export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  private next = 1;
  async append(e: AuditEntry) { this.entries.push({ ...e, id: this.next++ }); }
  async list(f: { limit: number; farmIds?: string[]; cooperativeId?: string; target?: string }) {
    return this.entries
      .filter((e) => (!f.farmIds || (e.farmId !== undefined && f.farmIds.includes(e.farmId)))
        && (!f.cooperativeId || e.cooperativeId === f.cooperativeId)
        && (!f.target || e.target === f.target))
      .slice(-f.limit)
      .reverse();
  }
}

export class MemoryFarmDirectory implements FarmDirectory {
  constructor(private readonly farms: FarmInfo[] = []) {}
  add(f: FarmInfo) { this.farms.push(f); }
  async listFarms() { return [...this.farms]; }
  async farmOfGateway(gw: string) { return this.farms.find((f) => f.gatewayIds.includes(gw)); }
}
