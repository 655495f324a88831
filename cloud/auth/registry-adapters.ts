import type { Registry, Unit, User, AuditEntry as RegAudit } from '../registry/registry.js';
import { RegistryError } from '../registry/errors.js';
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

/** Registry refusals of a user write, in the words of the accounts API (code + the field at fault). */
function accountError(err: unknown): never {
  if (err instanceof RegistryError) {
    const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
    const field = str(err.context?.field);
    const value = str(err.context?.value);
    const params = { ...(field ? { field } : {}), ...(value ? { value } : {}) };
    if (err.code === 'INVALID') throw new AuthError('USER_INVALID', err.message, params, { cause: err });
    if (err.code === 'CONFLICT') throw new AuthError('USER_TAKEN', err.message, params, { cause: err });
    if (err.code === 'NOT_FOUND') throw new AuthError('USER_NOT_FOUND', err.message, params, { cause: err });
  }
  throw err;
}

/** The registry's user is the accounts' user (one model): only the demo flag and the hash are added. */
const stored = (u: User, passwordHash: string, demo: ReadonlySet<string>): StoredUser => ({
  ...u,
  demo: demo.has(u.username),
  passwordHash,
});

/** Accounts on the registry's tables (reg_users, reg_user_scopes). */
export class RegistryUserStore implements UserStore {
  constructor(
    private readonly reg: Registry,
    private readonly demoUsernames: ReadonlySet<string> = new Set(),
  ) {}

  /** unit ids as given; a name that is not an id is taken when exactly one unit has it */
  private async unitIds(refs: string[]): Promise<string[]> {
    if (!refs.length) return [];
    const units = await this.reg.listUnits();
    return refs.map((r) => {
      if (units.some((u) => u.id === r)) return r;
      const named = units.filter((u) => u.name === r);
      if (named.length === 1) return named[0]!.id;
      throw new AuthError('USER_INVALID', `communes: no single administrative unit is ${r}`, {
        field: 'communes',
        value: r,
      });
    });
  }
  async findByLogin(login: string) {
    const r = await this.reg.findUserForLogin(login.trim());
    if (!r || r.user.disabled) return undefined;
    return stored(r.user, r.passwordHash, this.demoUsernames);
  }
  async get(id: string) {
    const u = await this.find(id);
    return u && !u.disabled ? u : undefined;
  }
  async find(id: string) {
    const u = await this.reg.getUser(id);
    if (!u) return undefined;
    const r = await this.reg.findUserForLogin(u.username);
    return stored(u, r?.passwordHash ?? '', this.demoUsernames);
  }
  async list() {
    return (await this.reg.listUsers()).map((u) => stored(u, '', this.demoUsernames));
  }
  async create(user: NewAccount, actor = 'auth') {
    const unitIds = await this.unitIds(user.communes);
    const u = await this.reg
      .createUser(
        {
          username: user.username,
          phone: user.phone ?? null,
          displayName: user.name,
          role: user.role,
          farmIds: user.farmIds,
          unitIds,
          cooperativeId: user.cooperativeId || null,
          passwordHash: user.passwordHash,
        },
        actor,
        Date.now(),
      )
      .catch(accountError);
    return stored(u, user.passwordHash, this.demoUsernames);
  }
  async update(id: string, e: AccountEdit, actor = 'auth') {
    const u = await this.reg
      .updateUser(
        id,
        {
          ...(e.phone !== undefined ? { phone: e.phone } : {}),
          ...(e.name !== undefined ? { displayName: e.name } : {}),
          ...(e.role ? { role: e.role } : {}),
          ...(e.farmIds ? { farmIds: e.farmIds } : {}),
          ...(e.communes ? { unitIds: await this.unitIds(e.communes) } : {}),
          ...(e.cooperativeId !== undefined ? { cooperativeId: e.cooperativeId } : {}),
          ...(e.disabled !== undefined ? { disabled: e.disabled } : {}),
        },
        actor,
        Date.now(),
      )
      .catch(accountError);
    return stored(u, '', this.demoUsernames);
  }
  async setPasswordHash(id: string, hash: string) {
    await this.reg.setUserPassword(id, hash, 'auth');
  }
}

/** Farms with their commune (walking up from the farm's unit) and gateways, from the registry. */
export class RegistryFarmDirectory implements FarmDirectory {
  constructor(private readonly reg: Registry) {}
  async listFarms(): Promise<FarmInfo[]> {
    const [farms, gateways, units] = await Promise.all([
      this.reg.listFarms(),
      this.reg.listGateways({ limit: 100_000 }),
      this.reg.listUnits(),
    ]);
    const byId = new Map(units.map((u) => [u.id, u]));
    // a deactivated farm is gone for its users (scopes, live streams, missions); admins list it in /farms
    return farms
      .filter((f) => f.active !== false)
      .map((f) => {
        const chain: Unit[] = [];
        for (
          let u = f.unitId ? byId.get(f.unitId) : undefined;
          u && chain.length < 16;
          u = u.parentId ? byId.get(u.parentId) : undefined
        )
          chain.push(u);
        const commune = chain.find((u) => u.level === 'commune') ?? chain[0];
        return {
          id: f.id,
          name: f.name,
          commune: commune?.name ?? '',
          ...(commune ? { communeId: commune.id } : {}),
          unitIds: chain.map((u) => u.id),
          cooperativeId: f.cooperativeId ?? '',
          ownerUserId: undefined,
          gatewayIds: gateways.filter((g) => g.farmId === f.id).map((g) => g.id),
        };
      });
  }
  async farmOfGateway(gatewayId: string) {
    const g = await this.reg.getGateway(gatewayId);
    if (!g?.farmId) return undefined;
    return (await this.listFarms()).find((f) => f.id === g.farmId);
  }
}

/**
 * The registry writes its own audit rows with configs, commands, users and gateways; rows only
 * this component makes (missions, password changes) go to appendAudit. Technicians see the rows
 * of their cooperative's gateways.
 */
export class RegistryAuditLog implements AuditLog {
  constructor(
    private readonly reg: Registry,
    private readonly farms: FarmDirectory,
  ) {}
  async append(e: AuditEntry) {
    // the registry already audits these writes inside their own transaction
    if (
      e.action === 'config.put' ||
      e.action.startsWith('cmd.') ||
      e.action.startsWith('user.create') ||
      e.action === 'user.update' ||
      e.action === 'user.deactivate' ||
      e.action === 'gateway.provision'
    )
      return;
    const [entity = 'other', ...rest] = e.target.split(':');
    await this.reg.appendAudit({
      at: e.ts,
      actor: e.actor,
      action: e.action,
      entity,
      entityId: rest.join(':'),
      before: e.old ?? null,
      after: e.new ?? null,
    });
  }
  async list(f: { limit: number; farmIds?: string[]; cooperativeId?: string; target?: string }) {
    const [entity, ...id] = (f.target ?? '').split(':');
    const rows = await this.reg.listAudit({
      limit: f.limit * 4,
      ...(f.target ? { entity, entityId: id.join(':') } : {}),
    });
    let gwOk: (e: RegAudit) => boolean = () => true;
    if (f.cooperativeId) {
      const mine = new Set(
        (await this.farms.listFarms())
          .filter((x) => x.cooperativeId === f.cooperativeId)
          .flatMap((x) => [...x.gatewayIds, x.id]),
      );
      gwOk = (e) => mine.has(e.entityId);
    }
    const fromReg: AuditEntry[] = rows.filter(gwOk).map((e) => ({
      id: e.id,
      ts: e.at,
      actor: e.actor,
      role: 'system' as const,
      action: e.action,
      target: `${e.entity}:${e.entityId}`,
      old: e.before,
      new: e.after,
    }));
    return fromReg.sort((a, b) => b.ts - a.ts).slice(0, f.limit);
  }
}

export type { User };

/** Sessions in the registry database: they survive a restart and are shared by cloud instances. */
export class RegistrySessionStore implements SessionStore {
  constructor(private readonly reg: Registry) {}
  put(s: Session) {
    return this.reg.putSession(s);
  }
  async get(tokenHash: string) {
    return (await this.reg.getSession(tokenHash)) ?? undefined;
  }
  delete(tokenHash: string) {
    return this.reg.deleteSession(tokenHash);
  }
  deleteForUser(userId: string) {
    return this.reg.deleteSessionsForUser(userId);
  }
}
