import type { Selectable } from 'kysely';
import { transact, type Q } from '../db/queries.js';
import type { RegUsersTable } from '../db/tables.js';
import { RegistryError } from './errors.js';
import { normalizePhone } from './phone.js';
import type { Actor, AuditEntry, NewUser, Session, User, UserPatch } from './registry.js';
import { toJson, userOf } from './rows.js';

/** One audit row, inside the transaction of the change it describes. */
export async function writeAudit(
  q: Q,
  a: { actor: Actor; action: string; entity: string; entityId: string; before?: unknown; after?: unknown; at?: number },
) {
  await q
    .insertInto('reg_audit')
    .values({
      at: a.at ?? Date.now(),
      actor: a.actor,
      action: a.action,
      entity: a.entity,
      entity_id: a.entityId,
      before_json: toJson(a.before),
      after_json: toJson(a.after),
    })
    .execute();
}

/** Foreign-key and unique violations become a CONFLICT a person can act on. */
export function rethrowConstraint(message: string) {
  return (err: unknown): never => {
    if (err instanceof RegistryError) throw err;
    const e = err as { code?: string };
    // SQLite: SQLITE_CONSTRAINT_*; PostgreSQL: class 23 (integrity constraint violation)
    if (typeof e.code === 'string' && (e.code.startsWith('SQLITE_CONSTRAINT') || e.code.startsWith('23'))) {
      throw new RegistryError('CONFLICT', message, { cause: err });
    }
    throw err;
  };
}

const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];
type UserRow = Selectable<RegUsersTable>;
/** a user id of the registry (decimal row id), or null for any other text: it names nobody */
const rowId = (id: string): number | null => (/^\d{1,15}$/.test(id) ? Number(id) : null);

/** Users with their scopes, and login sessions (token hashes only). */
export class SqlUsers {
  /** `q()`: the registry's handle, or the transaction of Registry.atomically */
  constructor(private readonly q: () => Q) {}

  async #withScopes(q: Q, rows: UserRow[]): Promise<User[]> {
    if (!rows.length) return [];
    const users = rows.map(userOf);
    const scopes = await q
      .selectFrom('reg_user_scopes')
      .select(['user_id', 'kind', 'ref'])
      .where(
        'user_id',
        'in',
        rows.map((r) => Number(r.id)),
      )
      .orderBy('ref')
      .execute();
    for (const u of users) {
      const mine = scopes.filter((s) => String(s.user_id) === u.id);
      u.farmIds = uniq([...u.farmIds, ...mine.filter((s) => s.kind === 'farm').map((s) => s.ref)]);
      u.communes = uniq([...u.communes, ...mine.filter((s) => s.kind === 'unit').map((s) => s.ref)]);
    }
    return users;
  }

  async #byId(q: Q, id: string): Promise<UserRow[]> {
    const n = rowId(id);
    return n === null ? [] : q.selectFrom('reg_users').selectAll().where('id', '=', n).execute();
  }

  /** The phone in E.164; a number that does not parse is refused (INVALID, context.field = phone). */
  #phone(phone: string | null | undefined): string | null {
    if (phone === null || phone === undefined || phone === '') return null;
    const p = normalizePhone(phone);
    if (!p)
      throw new RegistryError('INVALID', `phone ${phone} is not a valid phone number`, {
        context: { field: 'phone', value: phone },
      });
    return p;
  }

  async #phoneTaken(q: Q, phone: string, other?: string): Promise<void> {
    let s = q.selectFrom('reg_users').select('id').where('phone', '=', phone);
    if (other !== undefined) s = s.where('id', '<>', Number(other));
    if (await s.executeTakeFirst())
      throw new RegistryError('CONFLICT', `phone ${phone} belongs to another user`, {
        context: { field: 'phone', value: phone },
      });
  }

  /** Every scope must exist: a missing one is INVALID naming the field, before anything is written. */
  async #checkScopes(
    q: Q,
    s: { farmIds?: string[]; unitIds?: string[]; cooperativeId?: string | null },
    held: { unitIds?: string[]; cooperativeId?: string | null } = {},
  ) {
    const missing = async (
      table: 'reg_farms' | 'reg_units' | 'reg_cooperatives',
      field: string,
      ids: string[],
      kept: string[] = [],
    ) => {
      for (const id of ids) {
        let row = q.selectFrom(table).select('id').where('id', '=', id);
        // a deactivated unit or cooperative is refused as a new scope; one the user holds already stays
        if (table !== 'reg_farms' && !kept.includes(id)) row = row.where('active', '=', 1);
        if (!(await row.executeTakeFirst())) {
          throw new RegistryError('INVALID', `${field}: ${id} does not exist or is deactivated`, {
            context: { field, value: id },
          });
        }
      }
    };
    await missing('reg_farms', 'farmIds', s.farmIds ?? []);
    await missing('reg_units', 'unitIds', s.unitIds ?? [], held.unitIds);
    if (s.cooperativeId)
      await missing(
        'reg_cooperatives',
        'cooperativeId',
        [s.cooperativeId],
        held.cooperativeId ? [held.cooperativeId] : [],
      );
  }

  async #writeScopes(q: Q, id: number, farmIds: string[], unitIds: string[]) {
    await q.deleteFrom('reg_user_scopes').where('user_id', '=', id).execute();
    const rows = [
      ...farmIds.map((ref) => ({ user_id: id, kind: 'farm' as const, ref })),
      ...unitIds.map((ref) => ({ user_id: id, kind: 'unit' as const, ref })),
    ];
    if (rows.length) await q.insertInto('reg_user_scopes').values(rows).execute();
  }

  async create(u: NewUser, actor: Actor, at: number): Promise<User> {
    const farmIds = uniq([u.farmId, ...(u.farmIds ?? [])]);
    const unitIds = uniq([u.unitId, ...(u.unitIds ?? [])]);
    const phone = this.#phone(u.phone);
    return transact(this.q(), async (q) => {
      await this.#checkScopes(q, { farmIds, unitIds, cooperativeId: u.cooperativeId ?? null });
      if (phone) await this.#phoneTaken(q, phone);
      const row = await q
        .insertInto('reg_users')
        .values({
          username: u.username,
          phone,
          display_name: u.displayName ?? null,
          role: u.role,
          farm_id: farmIds[0] ?? null,
          cooperative_id: u.cooperativeId ?? null,
          unit_id: unitIds[0] ?? null,
          password_hash: u.passwordHash,
          created_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      await this.#writeScopes(q, id, farmIds, unitIds);
      const [user] = await this.#withScopes(q, [row]);
      await writeAudit(q, { actor, action: 'create', entity: 'user', entityId: String(id), after: user, at });
      return user!;
    }).catch(rethrowConstraint(`user ${u.username}: username or phone already taken`));
  }

  async update(id: string, p: UserPatch, actor: Actor, at: number): Promise<User> {
    const phone = p.phone === undefined ? undefined : this.#phone(p.phone);
    return transact(this.q(), async (q) => {
      const [before] = await this.#withScopes(q, await this.#byId(q, id));
      if (!before) throw new RegistryError('NOT_FOUND', `user ${id} does not exist`);
      const n = Number(before.id);
      const farmIds = p.farmIds ? uniq(p.farmIds) : before.farmIds;
      const unitIds = p.unitIds ? uniq(p.unitIds) : before.communes;
      const cooperativeId = p.cooperativeId === undefined ? (before.cooperativeId ?? null) : p.cooperativeId;
      await this.#checkScopes(
        q,
        { farmIds, unitIds, cooperativeId },
        { unitIds: before.communes, cooperativeId: before.cooperativeId ?? null },
      );
      if (phone) await this.#phoneTaken(q, phone, id);
      const disabled = p.disabled ?? before.disabled === true;
      await q
        .updateTable('reg_users')
        .set({
          // what the patch leaves out stays as stored
          ...(phone !== undefined ? { phone } : {}),
          ...(p.displayName !== undefined ? { display_name: p.displayName } : {}),
          ...(p.role ? { role: p.role } : {}),
          farm_id: farmIds[0] ?? null,
          cooperative_id: cooperativeId,
          unit_id: unitIds[0] ?? null,
          disabled: disabled ? 1 : 0,
        })
        .where('id', '=', n)
        .execute();
      await this.#writeScopes(q, n, farmIds, unitIds);
      // a deactivated user is out at once, on every device
      if (disabled) await q.deleteFrom('reg_sessions').where('user_id', '=', n).execute();
      const [after] = await this.#withScopes(q, await this.#byId(q, id));
      await writeAudit(q, {
        actor,
        action: disabled && !before.disabled ? 'deactivate' : 'update',
        entity: 'user',
        entityId: String(id),
        before,
        after,
        at,
      });
      return after!;
    }).catch(rethrowConstraint(`user ${id}: phone already taken`));
  }

  /**
   * Phones stored before numbers were normalized, rewritten in E.164 (at start, idempotent). One
   * whose E.164 form another user already has is left as it is, and reported.
   */
  async normalizeStoredPhones(): Promise<{ fixed: number; clashes: string[] }> {
    const q = this.q();
    const rows = await q
      .selectFrom('reg_users')
      .select(['id', 'phone'])
      .where('phone', 'is not', null)
      .where('phone', 'not like', '+%')
      .orderBy('id')
      .execute();
    const out = { fixed: 0, clashes: [] as string[] };
    for (const r of rows) {
      const p = normalizePhone(String(r.phone));
      if (!p) continue;
      if (await q.selectFrom('reg_users').select('id').where('phone', '=', p).executeTakeFirst()) {
        out.clashes.push(String(r.id));
        continue;
      }
      const done = await q.updateTable('reg_users').set({ phone: p }).where('id', '=', Number(r.id)).executeTakeFirst();
      out.fixed += Number(done.numUpdatedRows);
    }
    return out;
  }

  async findForLogin(login: string): Promise<{ user: User; passwordHash: string } | null> {
    const q = this.q();
    const phone = normalizePhone(login) ?? login;
    const r = await q
      .selectFrom('reg_users')
      .selectAll()
      .where((eb) =>
        eb.or([eb('username', '=', login.toLowerCase()), eb('phone', '=', phone), eb('phone', '=', login)]),
      )
      .orderBy('id')
      .limit(1)
      .execute();
    if (!r.length) return null;
    const [user] = await this.#withScopes(q, r);
    return { user: user!, passwordHash: r[0]!.password_hash };
  }

  async list(): Promise<User[]> {
    const q = this.q();
    return this.#withScopes(q, await q.selectFrom('reg_users').selectAll().orderBy('id').execute());
  }

  async get(id: string): Promise<User | null> {
    const q = this.q();
    return (await this.#withScopes(q, await this.#byId(q, id)))[0] ?? null;
  }

  async setPassword(id: string, hash: string, actor: Actor): Promise<void> {
    const n = rowId(id);
    if (n === null) throw new RegistryError('NOT_FOUND', `user ${id} does not exist`);
    await transact(this.q(), async (q) => {
      const r = await q.updateTable('reg_users').set({ password_hash: hash }).where('id', '=', n).executeTakeFirst();
      if (!Number(r.numUpdatedRows)) throw new RegistryError('NOT_FOUND', `user ${id} does not exist`);
      // a new password ends every session of the user
      await q.deleteFrom('reg_sessions').where('user_id', '=', n).execute();
      await writeAudit(q, { actor, action: 'password', entity: 'user', entityId: String(id) });
    });
  }

  async putSession(s: Session): Promise<void> {
    const userId = rowId(s.userId);
    if (userId === null) throw new RegistryError('CONFLICT', `session for user ${s.userId}: the user does not exist`);
    await this.q()
      .insertInto('reg_sessions')
      .values({ token_hash: s.tokenHash, user_id: userId, created_at: s.createdAt, expires_at: s.expiresAt })
      .execute()
      .catch(rethrowConstraint(`session for user ${s.userId}: the user does not exist or the token is reused`));
  }

  async getSession(tokenHash: string): Promise<Session | null> {
    const r = await this.q()
      .selectFrom('reg_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return r
      ? {
          tokenHash: r.token_hash,
          userId: String(r.user_id),
          createdAt: Number(r.created_at),
          expiresAt: Number(r.expires_at),
        }
      : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.q().deleteFrom('reg_sessions').where('token_hash', '=', tokenHash).execute();
  }
  async deleteSessionsForUser(userId: string): Promise<void> {
    const n = rowId(userId);
    if (n !== null) await this.q().deleteFrom('reg_sessions').where('user_id', '=', n).execute();
  }
  async pruneSessions(now: number): Promise<number> {
    const r = await this.q().deleteFrom('reg_sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

export type { AuditEntry };
