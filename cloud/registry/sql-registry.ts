import { sql } from 'kysely';
import type { CommandAck, ConfigAck, GatewayEvent, GatewayState } from '../../protocol/index.js';
import type { Db } from '../db/database.js';
import { forUpdate, greatest } from '../db/dialects.js';
import { affected, prepared, transact, type Q } from '../db/queries.js';
import { RegistryError } from './errors.js';
import { migrate } from './migrations.js';
import type {
  Actor,
  AuditEntry,
  CommandRecord,
  Cooperative,
  Farm,
  GatewayConfigVersion,
  GatewayView,
  NewUser,
  Registry,
  RegistryHealth,
  SeqResult,
  Session,
  StateChange,
  StoredEvent,
  Unit,
  UnitLevel,
  User,
  UserPatch,
} from './registry.js';
import { EVENTS_KEPT_PER_GATEWAY } from './registry.js';
import { auditOf, commandOf, configOf, eventOf, farmOf, gatewayOf, inactive, toJson, unitOf } from './rows.js';
import { SqlUsers, rethrowConstraint, writeAudit } from './sql-users.js';

/** the active flag is written only when given: an edit without it keeps a deactivation */
const activeCol = (a: boolean | undefined): { active?: number } => (a === undefined ? {} : { active: a ? 1 : 0 });

/** `ON CONFLICT … DO UPDATE SET col = excluded.col` for every column of the row but the key */
function excluded<R extends object>(row: R, key: keyof R) {
  return Object.fromEntries(
    Object.keys(row)
      .filter((c) => c !== key)
      .map((c) => [c, sql.ref(`excluded.${c}`)]),
  ) as { [K in keyof R]?: ReturnType<typeof sql.ref<R[K]>> };
}

// the ingest's path, once per message: compiled once per dialect (see prepared)
/** the same boot again (the usual message): one statement, no transaction; 0 rows = another boot */
const advanceSeq = prepared(['id', 'boot', 'seq', 'at'], (db, a) =>
  db
    .updateTable('reg_gateways')
    .set({ last_seq: greatest(db, sql.ref('last_seq'), a.seq), last_seen: greatest(db, sql.ref('last_seen'), a.at) })
    .where('id', '=', a.id)
    .where('boot_id', '=', a.boot)
    .where('last_seq', 'is not', null),
);
const gatewaySeq = prepared(['id'], (db, a) =>
  forUpdate(db, db.selectFrom('reg_gateways').select(['boot_id', 'last_seq', 'last_seen']).where('id', '=', a.id)),
);
const insertGateway = prepared(['id', 'at'], (db, a) =>
  db
    .insertInto('reg_gateways')
    .values({ id: a.id, created_at: a.at })
    .onConflict((oc) => oc.column('id').doNothing()),
);
const updateSeq = prepared(['id', 'boot', 'seq', 'seen'], (db, a) =>
  db.updateTable('reg_gateways').set({ boot_id: a.boot, last_seq: a.seq, last_seen: a.seen }).where('id', '=', a.id),
);

/**
 * The registry on SQL, for both dialects, as typed Kysely queries on the process's database
 * handle (cloud/db); `trx` is the transaction of Registry.atomically.
 */
export class SqlRegistry implements Registry {
  readonly kind: 'sqlite' | 'postgres';
  #db: Db;
  #trx: Q | undefined;
  #describe: string;
  #users: SqlUsers;

  constructor(db: Db, describe: string, trx?: Q) {
    this.#db = db;
    this.#trx = trx;
    this.#users = new SqlUsers(() => this.#q);
    this.kind = db.dialect;
    this.#describe = describe;
  }

  /** the typed handle: the transaction of atomically(), else the database's (refused once closed) */
  get #q(): Q {
    return this.#trx ?? this.#db.kysely;
  }

  async init(): Promise<void> {
    try {
      await migrate(this.#db);
      await this.#users.normalizeStoredPhones();
    } catch (cause) {
      if (cause instanceof RegistryError) throw cause;
      throw new RegistryError(
        'REGISTRY_UNAVAILABLE',
        `cannot open the registry (${this.#describe}): ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  async health(): Promise<RegistryHealth> {
    try {
      await this.#db.ping();
      return { ok: true, kind: this.kind };
    } catch (err) {
      return { ok: false, kind: this.kind, detail: (err as Error).message };
    }
  }

  close(): Promise<void> {
    // the registry of atomically() borrows the transaction: closing it closes nothing
    return this.#trx ? Promise.resolve() : this.#db.close();
  }

  /** before → write → audit row, in one transaction */
  #audited(
    entity: string,
    entityId: string,
    after: unknown,
    before: (q: Q) => Promise<unknown>,
    write: (q: Q) => Promise<unknown>,
    actor: Actor,
  ): Promise<void> {
    return transact(this.#q, async (q) => {
      const old = await before(q);
      await write(q);
      await writeAudit(q, { actor, action: old ? 'update' : 'create', entity, entityId, before: old, after });
    });
  }

  async listUnitLevels(): Promise<UnitLevel[]> {
    const rows = await this.#q.selectFrom('reg_unit_levels').selectAll().orderBy('rank').execute();
    return rows.map((r) => ({ level: r.level, rank: Number(r.rank), nameVi: r.name_vi, nameEn: r.name_en }));
  }

  upsertUnitLevel(l: UnitLevel, actor: Actor): Promise<void> {
    const row = { level: l.level, rank: l.rank, name_vi: l.nameVi, name_en: l.nameEn };
    return this.#audited(
      'unit_level',
      l.level,
      l,
      (q) => q.selectFrom('reg_unit_levels').selectAll().where('level', '=', l.level).executeTakeFirst(),
      (q) =>
        q
          .insertInto('reg_unit_levels')
          .values(row)
          .onConflict((oc) => oc.column('level').doUpdateSet(excluded(row, 'level')))
          .execute(),
      actor,
    );
  }

  async upsertUnit(u: Unit, actor: Actor): Promise<void> {
    if (u.parentId === u.id) throw new RegistryError('INVALID', `unit ${u.id} cannot be its own parent`);
    const row = { id: u.id, parent_id: u.parentId, level: u.level, name: u.name, ...activeCol(u.active) };
    await this.#audited(
      'unit',
      u.id,
      u,
      async (q) => (await q.selectFrom('reg_units').selectAll().where('id', '=', u.id).execute()).map(unitOf)[0],
      (q) =>
        q
          .insertInto('reg_units')
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(excluded(row, 'id')))
          .execute(),
      actor,
    ).catch(rethrowConstraint(`unit ${u.id}: parent or level does not exist`));
  }

  async listUnits(): Promise<Unit[]> {
    return (await this.#q.selectFrom('reg_units').selectAll().orderBy('id').execute()).map(unitOf);
  }

  async upsertCooperative(c: Cooperative, actor: Actor): Promise<void> {
    const row = { id: c.id, name: c.name, unit_id: c.unitId, ...activeCol(c.active) };
    await this.#audited(
      'cooperative',
      c.id,
      c,
      (q) => q.selectFrom('reg_cooperatives').selectAll().where('id', '=', c.id).executeTakeFirst(),
      (q) =>
        q
          .insertInto('reg_cooperatives')
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(excluded(row, 'id')))
          .execute(),
      actor,
    ).catch(rethrowConstraint(`cooperative ${c.id}: unit does not exist`));
  }

  async listCooperatives(): Promise<Cooperative[]> {
    return (await this.#q.selectFrom('reg_cooperatives').selectAll().orderBy('id').execute()).map((r) => ({
      id: r.id,
      name: r.name,
      unitId: r.unit_id ?? null,
      ...inactive(r),
    }));
  }

  async upsertFarm(f: Farm, actor: Actor): Promise<void> {
    const row = {
      id: f.id,
      name: f.name,
      owner: f.owner,
      unit_id: f.unitId,
      cooperative_id: f.cooperativeId,
      area_ha: f.areaHa,
      ...activeCol(f.active),
    };
    await this.#audited(
      'farm',
      f.id,
      f,
      async (q) => (await q.selectFrom('reg_farms').selectAll().where('id', '=', f.id).execute()).map(farmOf)[0],
      (q) =>
        q
          .insertInto('reg_farms')
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(excluded(row, 'id')))
          .execute(),
      actor,
    ).catch(rethrowConstraint(`farm ${f.id}: its unit or cooperative does not exist`));
  }

  async upsertField(
    f: { id: string; farmId: string; name: string; boundary: unknown; areaHa: number },
    actor: Actor,
  ): Promise<void> {
    const row = {
      id: f.id,
      farm_id: f.farmId,
      name: f.name,
      boundary: JSON.stringify(f.boundary),
      exclusions: '[]',
      area_ha: f.areaHa,
      created_by: actor,
      created_at: Date.now(),
    };
    await this.#audited(
      'field',
      f.id,
      f,
      (q) =>
        q
          .selectFrom('msn_fields')
          .select(['id', 'farm_id', 'name', 'area_ha'])
          .where('id', '=', f.id)
          .executeTakeFirst(),
      (q) =>
        q
          .insertInto('msn_fields')
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(excluded(row, 'id')))
          .execute(),
      actor,
    );
  }

  async getFarm(id: string): Promise<Farm | null> {
    const r = await this.#q.selectFrom('reg_farms').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? farmOf(r) : null;
  }

  async listFarms(): Promise<Farm[]> {
    return (await this.#q.selectFrom('reg_farms').selectAll().orderBy('id').execute()).map(farmOf);
  }

  async upsertGateway(gw: { id: string; farmId: string | null; name: string | null }, actor: Actor): Promise<void> {
    await transact(this.#q, async (q) => {
      const old = await q
        .selectFrom('reg_gateways')
        .select(['farm_id', 'name'])
        .where('id', '=', gw.id)
        .executeTakeFirst();
      await q
        .insertInto('reg_gateways')
        .values({ id: gw.id, farm_id: gw.farmId, name: gw.name, created_at: Date.now() })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({ farm_id: eb.ref('excluded.farm_id'), name: eb.ref('excluded.name') })),
        )
        .execute();
      await writeAudit(q, {
        actor,
        action: old ? 'update' : 'create',
        entity: 'gateway',
        entityId: gw.id,
        before: old ? { farmId: old.farm_id ?? null, name: old.name ?? null } : undefined,
        after: { farmId: gw.farmId, name: gw.name },
      });
    }).catch(rethrowConstraint(`gateway ${gw.id}: farm ${gw.farmId} does not exist`));
  }

  async #views(opts: { id?: string; limit?: number; offset?: number }): Promise<GatewayView[]> {
    let s = this.#q
      .selectFrom('reg_gateways as g')
      .leftJoin('reg_farms as f', 'f.id', 'g.farm_id')
      .selectAll('g')
      .select(['f.name as f_name', 'f.area_ha as f_area', 'f.unit_id as f_unit'])
      .orderBy('g.id');
    if (opts.id !== undefined) s = s.where('g.id', '=', opts.id);
    else s = s.limit(opts.limit ?? 1000).offset(opts.offset ?? 0);
    const rows = await s.execute();
    if (!rows.length) return [];
    const units = new Map((await this.listUnits()).map((u) => [u.id, u]));
    return rows.map((r) => {
      const chain: Unit[] = [];
      for (
        let u = r.f_unit ? units.get(r.f_unit) : undefined;
        u && chain.length < 16;
        u = u.parentId ? units.get(u.parentId) : undefined
      )
        chain.push(u);
      const farm = r.farm_id
        ? { id: r.farm_id, name: r.f_name ?? '', areaHa: r.f_area === null ? null : Number(r.f_area) }
        : null;
      return { ...gatewayOf(r), farm, units: chain };
    });
  }

  async getGateway(id: string): Promise<GatewayView | null> {
    return (await this.#views({ id }))[0] ?? null;
  }

  listGateways(opts: { limit?: number; offset?: number } = {}): Promise<GatewayView[]> {
    return this.#views(opts);
  }

  async setGatewayCredential(id: string, hash: string, actor: Actor): Promise<void> {
    await transact(this.#q, async (q) => {
      const r = await q
        .updateTable('reg_gateways')
        .set({ credential_hash: hash })
        .where('id', '=', id)
        .executeTakeFirst();
      if (!Number(r.numUpdatedRows)) throw new RegistryError('NOT_FOUND', `gateway ${id} is not registered`);
      // the audit row says a credential was issued, never what it is
      await writeAudit(q, { actor, action: 'credential', entity: 'gateway', entityId: id });
    });
  }

  async getGatewayCredentialHash(id: string): Promise<string | null> {
    const r = await this.#q
      .selectFrom('reg_gateways')
      .select('credential_hash')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.credential_hash ?? null;
  }

  // ---- what the ingest learns
  /** the gateway's row, registered unassigned on first contact, locked for this transaction */
  async #contact<R>(q: Q, id: string, at: number, read: (q: Q) => Promise<R | undefined>): Promise<R> {
    const cur = await read(q);
    if (cur) return cur;
    await insertGateway(q, { id, at });
    return (await read(q))!;
  }

  recordState(id: string, s: GatewayState, at: number): Promise<StateChange> {
    return transact(this.#q, async (q) => {
      const cur = await this.#contact(q, id, at, (t) =>
        forUpdate(
          t,
          t.selectFrom('reg_gateways').select(['online', 'state_ts', 'boot_id', 'last_seen']).where('id', '=', id),
        ).executeTakeFirst(),
      );
      const wasOnline = Number(cur.online) === 1;
      // a birth replayed after a newer one changes nothing; a last will has no ts and always counts
      if (s.ts !== undefined && cur.state_ts !== null && Number(cur.state_ts) > s.ts)
        return { changed: false, online: wasOnline };
      const changed = wasOnline !== s.online;
      const boot = s.bootId ?? null;
      const inventory = toJson(s.inventory);
      await q
        .updateTable('reg_gateways')
        .set({
          online: s.online ? 1 : 0,
          last_seen: cur.last_seen === null || Number(cur.last_seen) < at ? at : cur.last_seen,
          ...(s.ts !== undefined ? { state_ts: s.ts } : {}),
          ...(changed ? { online_changed_at: at } : {}),
          // another boot starts its seqs over
          ...(boot !== null ? { boot_id: boot, ...(cur.boot_id !== boot ? { last_seq: null } : {}) } : {}),
          ...((s.fw ?? null) !== null ? { fw: s.fw } : {}),
          ...(inventory !== null ? { inventory } : {}),
          ...((s.configVersion ?? null) !== null ? { applied_config_version: s.configVersion } : {}),
        })
        .where('id', '=', id)
        .execute();
      return { changed, online: s.online };
    });
  }

  async recordTelemetry(id: string, meta: { bootId: string; seq: number }, at: number): Promise<SeqResult> {
    // gaps and duplicates are the seq tracker's (cloud/ingest/seq-tracker.ts): counting them
    // here too gave a second, wrong figure (a backlog drain counted as gaps, then duplicates)
    if (affected(await advanceSeq(this.#q, { id, boot: meta.bootId, seq: meta.seq, at }))) return { newBoot: false };
    // first contact, another boot, or no seq yet: read and write under the row's lock
    return transact(this.#q, async (q) => {
      const cur = await this.#contact(q, id, at, async (t) => (await gatewaySeq(t, { id })).rows[0]);
      const newBoot = cur.boot_id !== meta.bootId || cur.last_seq === null;
      await updateSeq(q, {
        id,
        boot: meta.bootId,
        seq: newBoot ? meta.seq : Math.max(Number(cur.last_seq), meta.seq),
        seen: cur.last_seen === null || Number(cur.last_seen) < at ? at : cur.last_seen,
      });
      return { newBoot };
    });
  }

  recordEvent(id: string, e: GatewayEvent, at: number): Promise<{ stored: boolean }> {
    return transact(this.#q, async (q) => {
      await insertGateway(q, { id, at });
      const r = await q
        .insertInto('reg_gateway_events')
        .values({
          gateway_id: id,
          boot_id: e.bootId,
          seq: e.seq ?? null,
          ts: e.ts,
          kind: e.kind,
          severity: e.severity ?? 'info',
          reason: e.reason,
          body: JSON.stringify(e),
          received_at: at,
        })
        .onConflict((oc) => oc.columns(['gateway_id', 'boot_id', 'ts', 'kind']).doNothing())
        .executeTakeFirst();
      const stored = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      if (stored) {
        await q
          .deleteFrom('reg_gateway_events')
          .where('gateway_id', '=', id)
          .where('id', '<=', (eb) =>
            eb
              .selectFrom('reg_gateway_events')
              .select('id')
              .where('gateway_id', '=', id)
              .orderBy('id', 'desc')
              .limit(1)
              .offset(EVENTS_KEPT_PER_GATEWAY),
          )
          .execute();
      }
      return { stored };
    });
  }

  async listEvents(gatewayId: string, limit = 50): Promise<StoredEvent[]> {
    return (
      await this.#q
        .selectFrom('reg_gateway_events')
        .selectAll()
        .where('gateway_id', '=', gatewayId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    ).map(eventOf);
  }

  recordConfigAck(id: string, ack: ConfigAck, at: number): Promise<{ known: boolean }> {
    return transact(this.#q, async (q) => {
      await insertGateway(q, { id, at });
      const r = await q
        .updateTable('reg_gateway_configs')
        .set({ status: ack.status, reasons: toJson(ack.reasons ?? []), acked_at: ack.ts })
        .where('gateway_id', '=', id)
        .where('version', '=', ack.version)
        .executeTakeFirst();
      if (ack.status === 'applied') {
        // the version in force on the gateway, even when the cloud no longer knows it
        await q.updateTable('reg_gateways').set({ applied_config_version: ack.version }).where('id', '=', id).execute();
      }
      return { known: Number(r.numUpdatedRows) > 0 };
    });
  }

  async recordCommandAck(id: string, ack: CommandAck, at: number): Promise<{ known: boolean }> {
    const r = await this.#q
      .updateTable('reg_commands')
      .set({ status: ack.outcome, reason: ack.reason ?? null, acked_at: ack.ts ?? at })
      .where('id', '=', ack.id)
      .where('gateway_id', '=', id)
      .executeTakeFirst();
    return { known: Number(r.numUpdatedRows) > 0 };
  }

  putDesiredConfig(id: string, config: unknown, actor: Actor, at: number): Promise<GatewayConfigVersion> {
    return transact(this.#q, async (q) => {
      const gw = await forUpdate(
        q,
        q.selectFrom('reg_gateways').select(['desired_config_version', 'applied_config_version']).where('id', '=', id),
      ).executeTakeFirst();
      if (!gw) throw new RegistryError('NOT_FOUND', `gateway ${id} is not registered`);
      const max = await q
        .selectFrom('reg_gateway_configs')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('gateway_id', '=', id)
        .executeTakeFirst();
      // above the version the gateway reports running (its file's initialConfig included), or it would skip ours
      const version =
        Math.max(Number(max?.v ?? 0), Number(gw.desired_config_version ?? 0), Number(gw.applied_config_version ?? 0)) +
        1;
      const desired = gw.desired_config_version;
      const before =
        desired === null
          ? undefined
          : (
              await q
                .selectFrom('reg_gateway_configs')
                .selectAll()
                .where('gateway_id', '=', id)
                .where('version', '=', Number(desired))
                .execute()
            ).map(configOf)[0]?.config;
      await q
        .updateTable('reg_gateway_configs')
        .set({ status: 'superseded' })
        .where('gateway_id', '=', id)
        .where('status', '=', 'pending')
        .execute();
      await q
        .insertInto('reg_gateway_configs')
        .values({ gateway_id: id, version, config: JSON.stringify(config), created_by: actor, created_at: at })
        .execute();
      await q.updateTable('reg_gateways').set({ desired_config_version: version }).where('id', '=', id).execute();
      await writeAudit(q, { actor, action: 'config', entity: 'gateway', entityId: id, before, after: config, at });
      return {
        gatewayId: id,
        version,
        config,
        status: 'pending',
        reasons: [],
        createdBy: actor,
        createdAt: at,
        ackedAt: null,
      };
    });
  }

  async listConfigs(id: string, limit = 20): Promise<GatewayConfigVersion[]> {
    return (
      await this.#q
        .selectFrom('reg_gateway_configs')
        .selectAll()
        .where('gateway_id', '=', id)
        .orderBy('version', 'desc')
        .limit(limit)
        .execute()
    ).map(configOf);
  }

  createCommand(
    cmd: { id: string; gatewayId: string; kind: string; payload: unknown; expiresAt: number },
    actor: Actor,
    at: number,
  ): Promise<CommandRecord> {
    return transact(this.#q, async (q) => {
      const gw = await q.selectFrom('reg_gateways').select('id').where('id', '=', cmd.gatewayId).executeTakeFirst();
      if (!gw) throw new RegistryError('NOT_FOUND', `gateway ${cmd.gatewayId} is not registered`);
      const r = await q
        .insertInto('reg_commands')
        .values({
          id: cmd.id,
          gateway_id: cmd.gatewayId,
          kind: cmd.kind,
          payload: JSON.stringify(cmd.payload),
          created_by: actor,
          created_at: at,
          expires_at: cmd.expiresAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (!Number(r.numInsertedOrUpdatedRows ?? 0))
        throw new RegistryError('CONFLICT', `command id ${cmd.id} is already used`);
      await writeAudit(q, {
        actor,
        action: 'command',
        entity: 'gateway',
        entityId: cmd.gatewayId,
        after: cmd.payload,
        at,
      });
      return { ...cmd, status: 'pending', reason: null, createdBy: actor, createdAt: at, ackedAt: null };
    });
  }

  async getCommand(id: string): Promise<CommandRecord | null> {
    const r = await this.#q.selectFrom('reg_commands').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? commandOf(r) : null;
  }

  async listCommands(gatewayId: string, limit = 50): Promise<CommandRecord[]> {
    return (
      await this.#q
        .selectFrom('reg_commands')
        .selectAll()
        .where('gateway_id', '=', gatewayId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute()
    ).map(commandOf);
  }

  // ---- users and sessions live in sql-users.ts
  createUser(u: NewUser, actor: Actor, at: number): Promise<User> {
    return this.#users.create(u, actor, at);
  }
  findUserForLogin(login: string) {
    return this.#users.findForLogin(login);
  }
  listUsers(): Promise<User[]> {
    return this.#users.list();
  }
  getUser(id: string): Promise<User | null> {
    return this.#users.get(id);
  }
  updateUser(id: string, patch: UserPatch, actor: Actor, at: number): Promise<User> {
    return this.#users.update(id, patch, actor, at);
  }
  setUserPassword(id: string, hash: string, actor: Actor): Promise<void> {
    return this.#users.setPassword(id, hash, actor);
  }
  putSession(x: Session): Promise<void> {
    return this.#users.putSession(x);
  }
  getSession(tokenHash: string): Promise<Session | null> {
    return this.#users.getSession(tokenHash);
  }
  deleteSession(tokenHash: string): Promise<void> {
    return this.#users.deleteSession(tokenHash);
  }
  deleteSessionsForUser(userId: string): Promise<void> {
    return this.#users.deleteSessionsForUser(userId);
  }
  pruneSessions(now: number): Promise<number> {
    return this.#users.pruneSessions(now);
  }

  atomically<T>(fn: (r: Registry) => Promise<T>): Promise<T> {
    // the same registry over the transaction: its own writes join it (transact)
    return transact(this.#q, (trx) => fn(new SqlRegistry(this.#db, this.#describe, trx)));
  }

  async appendAudit(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await writeAudit(this.#q, e);
  }

  async listAudit(opts: { entity?: string; entityId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    let s = this.#q.selectFrom('reg_audit').selectAll();
    if (opts.entity) s = s.where('entity', '=', opts.entity);
    if (opts.entityId) s = s.where('entity_id', '=', opts.entityId);
    return (
      await s
        .orderBy('id', 'desc')
        .limit(opts.limit ?? 100)
        .execute()
    ).map(auditOf);
  }
}
