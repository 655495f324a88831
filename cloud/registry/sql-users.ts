import { RegistryError } from './errors.js';
import { normalizePhone } from './phone.js';
import type { Actor, AuditEntry, NewUser, Session, User, UserPatch } from './registry.js';
import { toJson, userOf } from './rows.js';
import type { SqlDb, SqlRunner } from './sql.js';

type Row = Record<string, unknown>;

/** One audit row, inside the transaction of the change it describes. */
export async function writeAudit(
  q: SqlRunner,
  a: { actor: Actor; action: string; entity: string; entityId: string; before?: unknown; after?: unknown; at?: number },
) {
  await q.run(
    'INSERT INTO reg_audit (at, actor, action, entity, entity_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [a.at ?? Date.now(), a.actor, a.action, a.entity, a.entityId, toJson(a.before), toJson(a.after)],
  );
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

/** Users with their scopes, and login sessions (token hashes only). */
export class SqlUsers {
  constructor(private readonly db: SqlDb) {}

  async #withScopes(q: SqlRunner, rows: Row[]): Promise<User[]> {
    if (!rows.length) return [];
    const users = rows.map(userOf);
    const scopes = await q.query<Row>(
      `SELECT user_id, kind, ref FROM reg_user_scopes WHERE user_id IN (${users.map(() => '?').join(', ')}) ORDER BY ref`,
      users.map((u) => u.id),
    );
    for (const u of users) {
      const mine = scopes.filter((s) => Number(s.user_id) === u.id);
      u.farmIds = uniq([u.farmId, ...mine.filter((s) => s.kind === 'farm').map((s) => String(s.ref))]);
      u.unitIds = uniq([u.unitId, ...mine.filter((s) => s.kind === 'unit').map((s) => String(s.ref))]);
    }
    return users;
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

  /** Every scope must exist: a missing one is INVALID naming the field, before anything is written. */
  async #checkScopes(
    q: SqlRunner,
    s: { farmIds?: string[]; unitIds?: string[]; cooperativeId?: string | null },
    held: { unitIds?: string[]; cooperativeId?: string | null } = {},
  ) {
    const missing = async (table: string, field: string, ids: string[], kept: string[] = []) => {
      for (const id of ids) {
        // a deactivated unit or cooperative is refused as a new scope; one the user holds already stays
        const active = table !== 'reg_farms' && !kept.includes(id) ? ' AND active = 1' : '';
        if (!(await q.query(`SELECT 1 FROM ${table} WHERE id = ?${active}`, [id])).length) {
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

  async #writeScopes(q: SqlRunner, id: number, farmIds: string[], unitIds: string[]) {
    await q.run('DELETE FROM reg_user_scopes WHERE user_id = ?', [id]);
    for (const f of farmIds)
      await q.run("INSERT INTO reg_user_scopes (user_id, kind, ref) VALUES (?, 'farm', ?)", [id, f]);
    for (const un of unitIds)
      await q.run("INSERT INTO reg_user_scopes (user_id, kind, ref) VALUES (?, 'unit', ?)", [id, un]);
  }

  async create(u: NewUser, actor: Actor, at: number): Promise<User> {
    const farmIds = uniq([u.farmId, ...(u.farmIds ?? [])]);
    const unitIds = uniq([u.unitId, ...(u.unitIds ?? [])]);
    const phone = this.#phone(u.phone);
    return this.db
      .tx(async (q) => {
        await this.#checkScopes(q, { farmIds, unitIds, cooperativeId: u.cooperativeId ?? null });
        if (phone && (await q.query('SELECT 1 FROM reg_users WHERE phone = ?', [phone])).length) {
          throw new RegistryError('CONFLICT', `phone ${phone} belongs to another user`, {
            context: { field: 'phone', value: phone },
          });
        }
        const rows = await q.query<Row>(
          `INSERT INTO reg_users (username, phone, display_name, role, farm_id, cooperative_id, unit_id, password_hash, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          [
            u.username,
            phone,
            u.displayName ?? null,
            u.role,
            farmIds[0] ?? null,
            u.cooperativeId ?? null,
            unitIds[0] ?? null,
            u.passwordHash,
            at,
          ],
        );
        const id = Number(rows[0]!.id);
        await this.#writeScopes(q, id, farmIds, unitIds);
        const [user] = await this.#withScopes(q, rows);
        await writeAudit(q, { actor, action: 'create', entity: 'user', entityId: String(id), after: user, at });
        return user!;
      })
      .catch(rethrowConstraint(`user ${u.username}: username or phone already taken`));
  }

  async update(id: number, p: UserPatch, actor: Actor, at: number): Promise<User> {
    const phone = p.phone === undefined ? undefined : this.#phone(p.phone);
    return this.db
      .tx(async (q) => {
        const [before] = await this.#withScopes(q, await q.query<Row>('SELECT * FROM reg_users WHERE id = ?', [id]));
        if (!before) throw new RegistryError('NOT_FOUND', `user ${id} does not exist`);
        const farmIds = p.farmIds ? uniq(p.farmIds) : before.farmIds;
        const unitIds = p.unitIds ? uniq(p.unitIds) : before.unitIds;
        const cooperativeId = p.cooperativeId === undefined ? before.cooperativeId : p.cooperativeId;
        await this.#checkScopes(
          q,
          { farmIds, unitIds, cooperativeId },
          { unitIds: before.unitIds, cooperativeId: before.cooperativeId },
        );
        if (phone && (await q.query('SELECT 1 FROM reg_users WHERE phone = ? AND id <> ?', [phone, id])).length) {
          throw new RegistryError('CONFLICT', `phone ${phone} belongs to another user`, {
            context: { field: 'phone', value: phone },
          });
        }
        const disabled = p.disabled ?? before.disabled;
        await q.run(
          `UPDATE reg_users SET phone = ?, display_name = ?, role = ?, farm_id = ?, cooperative_id = ?, unit_id = ?, disabled = ? WHERE id = ?`,
          [
            phone === undefined ? before.phone : phone,
            p.displayName === undefined ? before.displayName : p.displayName,
            p.role ?? before.role,
            farmIds[0] ?? null,
            cooperativeId,
            unitIds[0] ?? null,
            disabled ? 1 : 0,
            id,
          ],
        );
        await this.#writeScopes(q, id, farmIds, unitIds);
        // a deactivated user is out at once, on every device
        if (disabled) await q.run('DELETE FROM reg_sessions WHERE user_id = ?', [id]);
        const [after] = await this.#withScopes(q, await q.query<Row>('SELECT * FROM reg_users WHERE id = ?', [id]));
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
      })
      .catch(rethrowConstraint(`user ${id}: phone already taken`));
  }

  /**
   * Phones stored before numbers were normalized, rewritten in E.164 (at start, idempotent). One
   * whose E.164 form another user already has is left as it is, and reported.
   */
  async normalizeStoredPhones(): Promise<{ fixed: number; clashes: string[] }> {
    const rows = await this.db.query<Row>(
      "SELECT id, phone FROM reg_users WHERE phone IS NOT NULL AND phone NOT LIKE '+%' ORDER BY id",
    );
    const out = { fixed: 0, clashes: [] as string[] };
    for (const r of rows) {
      const p = normalizePhone(String(r.phone));
      if (!p) continue;
      if ((await this.db.query('SELECT 1 FROM reg_users WHERE phone = ?', [p])).length) {
        out.clashes.push(String(r.id));
        continue;
      }
      out.fixed += await this.db.run('UPDATE reg_users SET phone = ? WHERE id = ?', [p, Number(r.id)]);
    }
    return out;
  }

  async findForLogin(login: string): Promise<{ user: User; passwordHash: string } | null> {
    const phone = normalizePhone(login) ?? login;
    const r = await this.db.query<Row>(
      'SELECT * FROM reg_users WHERE username = ? OR phone = ? OR phone = ? ORDER BY id LIMIT 1',
      [login.toLowerCase(), phone, login],
    );
    if (!r.length) return null;
    const [user] = await this.#withScopes(this.db, r);
    return { user: user!, passwordHash: String(r[0]!.password_hash) };
  }

  async list(): Promise<User[]> {
    return this.#withScopes(this.db, await this.db.query<Row>('SELECT * FROM reg_users ORDER BY id'));
  }

  async get(id: number): Promise<User | null> {
    return (
      (await this.#withScopes(this.db, await this.db.query<Row>('SELECT * FROM reg_users WHERE id = ?', [id])))[0] ??
      null
    );
  }

  async setPassword(id: number, hash: string, actor: Actor): Promise<void> {
    await this.db.tx(async (q) => {
      if (!(await q.run('UPDATE reg_users SET password_hash = ? WHERE id = ?', [hash, id])))
        throw new RegistryError('NOT_FOUND', `user ${id} does not exist`);
      // a new password ends every session of the user
      await q.run('DELETE FROM reg_sessions WHERE user_id = ?', [id]);
      await writeAudit(q, { actor, action: 'password', entity: 'user', entityId: String(id) });
    });
  }

  async putSession(s: Session): Promise<void> {
    await this.db
      .run('INSERT INTO reg_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
        s.tokenHash,
        s.userId,
        s.createdAt,
        s.expiresAt,
      ])
      .catch(rethrowConstraint(`session for user ${s.userId}: the user does not exist or the token is reused`));
  }

  async getSession(tokenHash: string): Promise<Session | null> {
    const r = (await this.db.query<Row>('SELECT * FROM reg_sessions WHERE token_hash = ?', [tokenHash]))[0];
    return r
      ? {
          tokenHash: String(r.token_hash),
          userId: Number(r.user_id),
          createdAt: Number(r.created_at),
          expiresAt: Number(r.expires_at),
        }
      : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM reg_sessions WHERE token_hash = ?', [tokenHash]);
  }
  async deleteSessionsForUser(userId: number): Promise<void> {
    await this.db.run('DELETE FROM reg_sessions WHERE user_id = ?', [userId]);
  }
  pruneSessions(now: number): Promise<number> {
    return this.db.run('DELETE FROM reg_sessions WHERE expires_at <= ?', [now]);
  }
}

export type { AuditEntry };
