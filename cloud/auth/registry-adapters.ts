import type { Registry, User as RegUser, AuditEntry as RegAudit } from '../registry/registry.js';
import { log } from '../../lib/log.js';
import { AuthError } from './errors.js';
import { MemoryAuditLog } from './memory-stores.js';
import type { AuditEntry, AuditLog, FarmDirectory, FarmInfo, Session, SessionStore, StoredUser, User, UserStore } from './types.js';

const logger = log.child({ mod: 'auth-registry' });

/**
 * Accounts on the registry's tables. What the registry does not have yet is said where it
 * matters: no password update (setUserPassword), no free-form audit rows (appendAudit), no
 * sessions table (sessions stay in memory: a restart logs everyone out).
 */
function toUser(u: RegUser, hash: string, demo: ReadonlySet<string>, communeOf: (unitId: string | null) => string | undefined): StoredUser {
  const commune = communeOf(u.unitId);
  return {
    id: String(u.id), username: u.username, phone: u.phone ?? undefined, name: u.displayName ?? u.username, role: u.role,
    farmIds: u.farmId ? [u.farmId] : [], cooperativeId: u.cooperativeId ?? undefined,
    communes: commune ? [commune] : [], demo: demo.has(u.username), passwordHash: hash,
  };
}

export class RegistryUserStore implements UserStore {
  constructor(private readonly reg: Registry, private readonly demoUsernames: ReadonlySet<string> = new Set()) {}
  private async communeOf(): Promise<(id: string | null) => string | undefined> {
    const units = await this.reg.listUnits();
    return (id) => units.find((u) => u.id === id)?.name;
  }
  async findByLogin(login: string) {
    const r = await this.reg.findUserForLogin(login.trim());
    if (!r || r.user.disabled) return undefined;
    return toUser(r.user, r.passwordHash, this.demoUsernames, await this.communeOf());
  }
  async get(id: string) {
    const u = (await this.reg.listUsers()).find((x) => String(x.id) === id);
    return u && !u.disabled ? this.findByLogin(u.username) : undefined;
  }
  async list() {
    const c = await this.communeOf();
    return (await this.reg.listUsers()).map((u) => toUser(u, '', this.demoUsernames, c));
  }
  async create(user: StoredUser) {
    await this.reg.createUser({
      username: user.username, phone: user.phone ?? null, displayName: user.name, role: user.role,
      farmId: user.farmIds[0] ?? null, cooperativeId: user.cooperativeId || null, passwordHash: user.passwordHash,
    }, 'auth', Date.now());
  }
  async setPasswordHash(id: string, hash: string) {
    const r = this.reg as Registry & { setUserPassword?: (id: number, hash: string, actor: string) => Promise<void> };
    if (!r.setUserPassword) throw new AuthError('BAD_REQUEST', 'this server cannot change passwords yet (registry has no setUserPassword)');
    await r.setUserPassword(Number(id), hash, 'auth');
  }
}

/** Farms with their commune (the farm's unit) and gateways, from the registry. */
export class RegistryFarmDirectory implements FarmDirectory {
  constructor(private readonly reg: Registry) {}
  async listFarms(): Promise<FarmInfo[]> {
    const [farms, gateways, units] = await Promise.all([this.reg.listFarms(), this.reg.listGateways({ limit: 100_000 }), this.reg.listUnits()]);
    return farms.map((f) => ({
      id: f.id, name: f.name, commune: units.find((u) => u.id === f.unitId)?.name ?? '', cooperativeId: f.cooperativeId ?? '',
      ownerUserId: undefined, gatewayIds: gateways.filter((g) => g.farmId === f.id).map((g) => g.id),
    }));
  }
  async farmOfGateway(gatewayId: string) {
    const g = await this.reg.getGateway(gatewayId);
    if (!g?.farmId) return undefined;
    return (await this.listFarms()).find((f) => f.id === g.farmId);
  }
}

/**
 * The registry writes its own audit rows with configs, commands, users and gateways; rows only
 * this component makes (missions, password changes) go to appendAudit when the registry has it,
 * otherwise to memory (logged). Technicians see the rows of their cooperative's gateways.
 */
export class RegistryAuditLog implements AuditLog {
  private readonly extra = new MemoryAuditLog();
  constructor(private readonly reg: Registry, private readonly farms: FarmDirectory) {}
  async append(e: AuditEntry) {
    const r = this.reg as Registry & { appendAudit?: (e: { at: number; actor: string; action: string; entity: string; entityId: string; before: unknown; after: unknown }) => Promise<void> };
    // the registry already audits these writes inside their own transaction
    if (e.action === 'config.put' || e.action.startsWith('cmd.') || e.action === 'user.create' || e.action === 'gateway.provision') return;
    const [entity = 'other', ...rest] = e.target.split(':');
    if (r.appendAudit) await r.appendAudit({ at: e.ts, actor: e.actor, action: e.action, entity, entityId: rest.join(':'), before: e.old ?? null, after: e.new ?? null });
    else { logger.info({ action: e.action, target: e.target }, 'audit row kept in memory: registry has no appendAudit'); await this.extra.append(e); }
  }
  async list(f: { limit: number; farmIds?: string[]; cooperativeId?: string; target?: string }) {
    const [entity, ...id] = (f.target ?? '').split(':');
    const rows = await this.reg.listAudit({ limit: f.limit * 4, ...(f.target ? { entity, entityId: id.join(':') } : {}) });
    let gwOk: (e: RegAudit) => boolean = () => true;
    if (f.cooperativeId) {
      const mine = new Set((await this.farms.listFarms()).filter((x) => x.cooperativeId === f.cooperativeId).flatMap((x) => [...x.gatewayIds, x.id]));
      gwOk = (e) => mine.has(e.entityId);
    }
    const fromReg: AuditEntry[] = rows.filter(gwOk).map((e) => ({
      id: e.id, ts: e.at, actor: e.actor, role: 'system' as const, action: e.action, target: `${e.entity}:${e.entityId}`, old: e.before, new: e.after,
    }));
    const extra = await this.extra.list(f);
    return [...fromReg, ...extra].sort((a, b) => b.ts - a.ts).slice(0, f.limit);
  }
}

export type { User };

/** Sessions in the registry database: they survive a restart and are shared by cloud instances. */
export class RegistrySessionStore implements SessionStore {
  constructor(private readonly reg: Registry) {}
  async put(s: Session) { await this.reg.putSession({ ...s, userId: Number(s.userId) }); }
  async get(tokenHash: string) {
    const s = await this.reg.getSession(tokenHash);
    return s ? { ...s, userId: String(s.userId) } : undefined;
  }
  async delete(tokenHash: string) { await this.reg.deleteSession(tokenHash); }
  async deleteForUser(userId: string) { await this.reg.deleteSessionsForUser(Number(userId)); }
}
