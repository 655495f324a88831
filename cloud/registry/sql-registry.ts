import type { CommandAck, ConfigAck, GatewayEvent, GatewayState } from '../../protocol/index.js';
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
import type { SqlDb, SqlRunner, SqlValue } from './sql.js';

type Row = Record<string, unknown>;

/** The registry on SQL, for both dialects; the adapters only open the database. */
/** the active flag is written only when given: an edit without it keeps a deactivation */
const activeCol = (a: boolean | undefined): Row => (a === undefined ? {} : { active: a ? 1 : 0 });

export class SqlRegistry implements Registry {
  readonly kind: 'sqlite' | 'postgres';
  #db: SqlDb;
  #describe: string;
  #users: SqlUsers;

  constructor(db: SqlDb, describe: string) {
    this.#db = db;
    this.#users = new SqlUsers(db);
    this.kind = db.dialect;
    this.#describe = describe;
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
    return this.#db.close();
  }

  async #upsert<T extends object>(
    table: string,
    entity: string,
    key: string,
    row: Row,
    domain: T,
    before: (q: SqlRunner) => Promise<unknown>,
    actor: Actor,
  ) {
    const cols = Object.keys(row);
    const sql = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
      ON CONFLICT (${key}) DO UPDATE SET ${cols
        .filter((c) => c !== key)
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')}`;
    await this.#db.tx(async (q) => {
      const old = await before(q);
      await q.run(sql, Object.values(row) as (string | number | null)[]);
      await writeAudit(q, {
        actor,
        action: old ? 'update' : 'create',
        entity,
        entityId: String(row[key]),
        before: old,
        after: domain,
      });
    });
  }

  async listUnitLevels(): Promise<UnitLevel[]> {
    const rows = await this.#db.query<Row>('SELECT * FROM reg_unit_levels ORDER BY rank');
    return rows.map((r) => ({
      level: String(r.level),
      rank: Number(r.rank),
      nameVi: String(r.name_vi),
      nameEn: String(r.name_en),
    }));
  }

  upsertUnitLevel(l: UnitLevel, actor: Actor): Promise<void> {
    return this.#upsert(
      'reg_unit_levels',
      'unit_level',
      'level',
      { level: l.level, rank: l.rank, name_vi: l.nameVi, name_en: l.nameEn },
      l,
      async (q) => (await q.query('SELECT * FROM reg_unit_levels WHERE level = ?', [l.level]))[0],
      actor,
    );
  }

  async upsertUnit(u: Unit, actor: Actor): Promise<void> {
    if (u.parentId === u.id) throw new RegistryError('INVALID', `unit ${u.id} cannot be its own parent`);
    await this.#upsert(
      'reg_units',
      'unit',
      'id',
      { id: u.id, parent_id: u.parentId, level: u.level, name: u.name, ...activeCol(u.active) },
      u,
      async (q) => (await q.query<Row>('SELECT * FROM reg_units WHERE id = ?', [u.id])).map(unitOf)[0],
      actor,
    ).catch(rethrowConstraint(`unit ${u.id}: parent or level does not exist`));
  }

  async listUnits(): Promise<Unit[]> {
    return (await this.#db.query<Row>('SELECT * FROM reg_units ORDER BY id')).map(unitOf);
  }

  async upsertCooperative(c: Cooperative, actor: Actor): Promise<void> {
    await this.#upsert(
      'reg_cooperatives',
      'cooperative',
      'id',
      { id: c.id, name: c.name, unit_id: c.unitId, ...activeCol(c.active) },
      c,
      async (q) => (await q.query('SELECT * FROM reg_cooperatives WHERE id = ?', [c.id]))[0],
      actor,
    ).catch(rethrowConstraint(`cooperative ${c.id}: unit does not exist`));
  }

  async listCooperatives(): Promise<Cooperative[]> {
    return (await this.#db.query<Row>('SELECT * FROM reg_cooperatives ORDER BY id')).map((r) => ({
      id: String(r.id),
      name: String(r.name),
      unitId: (r.unit_id as string | null) ?? null,
      ...inactive(r),
    }));
  }

  async upsertFarm(f: Farm, actor: Actor): Promise<void> {
    await this.#upsert(
      'reg_farms',
      'farm',
      'id',
      {
        id: f.id,
        name: f.name,
        owner: f.owner,
        unit_id: f.unitId,
        cooperative_id: f.cooperativeId,
        area_ha: f.areaHa,
        ...activeCol(f.active),
      },
      f,
      async (q) => (await q.query<Row>('SELECT * FROM reg_farms WHERE id = ?', [f.id])).map(farmOf)[0],
      actor,
    ).catch(rethrowConstraint(`farm ${f.id}: its unit or cooperative does not exist`));
  }

  async upsertField(
    f: { id: string; farmId: string; name: string; boundary: unknown; areaHa: number },
    actor: Actor,
  ): Promise<void> {
    await this.#upsert(
      'msn_fields',
      'field',
      'id',
      {
        id: f.id,
        farm_id: f.farmId,
        name: f.name,
        boundary: JSON.stringify(f.boundary),
        exclusions: '[]',
        area_ha: f.areaHa,
        created_by: actor,
        created_at: Date.now(),
      },
      f,
      async (q) => (await q.query<Row>('SELECT id, farm_id, name, area_ha FROM msn_fields WHERE id = ?', [f.id]))[0],
      actor,
    );
  }

  async getFarm(id: string): Promise<Farm | null> {
    return (await this.#db.query<Row>('SELECT * FROM reg_farms WHERE id = ?', [id])).map(farmOf)[0] ?? null;
  }

  async listFarms(): Promise<Farm[]> {
    return (await this.#db.query<Row>('SELECT * FROM reg_farms ORDER BY id')).map(farmOf);
  }

  async upsertGateway(gw: { id: string; farmId: string | null; name: string | null }, actor: Actor): Promise<void> {
    await this.#db
      .tx(async (q) => {
        const old = (await q.query<Row>('SELECT id, farm_id, name FROM reg_gateways WHERE id = ?', [gw.id]))[0];
        await q.run(
          `INSERT INTO reg_gateways (id, farm_id, name, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET farm_id = excluded.farm_id, name = excluded.name`,
          [gw.id, gw.farmId, gw.name, Date.now()],
        );
        await writeAudit(q, {
          actor,
          action: old ? 'update' : 'create',
          entity: 'gateway',
          entityId: gw.id,
          before: old ? { farmId: old.farm_id ?? null, name: old.name ?? null } : undefined,
          after: { farmId: gw.farmId, name: gw.name },
        });
      })
      .catch(rethrowConstraint(`gateway ${gw.id}: farm ${gw.farmId} does not exist`));
  }

  async #views(where: string, params: (string | number)[], tail = ''): Promise<GatewayView[]> {
    const rows = await this.#db.query<Row>(
      `SELECT g.*, f.name AS f_name, f.area_ha AS f_area, f.unit_id AS f_unit
      FROM reg_gateways g LEFT JOIN reg_farms f ON f.id = g.farm_id ${where} ORDER BY g.id ${tail}`,
      params,
    );
    if (!rows.length) return [];
    const units = new Map((await this.listUnits()).map((u) => [u.id, u]));
    return rows.map((r) => {
      const chain: Unit[] = [];
      for (
        let u = units.get(String(r.f_unit));
        u && chain.length < 16;
        u = u.parentId ? units.get(u.parentId) : undefined
      )
        chain.push(u);
      const farm = r.farm_id
        ? {
            id: `${r.farm_id as string | number}`,
            name: r.f_name as string,
            areaHa: r.f_area === null ? null : Number(r.f_area),
          }
        : null;
      return { ...gatewayOf(r), farm, units: chain };
    });
  }

  async getGateway(id: string): Promise<GatewayView | null> {
    return (await this.#views('WHERE g.id = ?', [id]))[0] ?? null;
  }

  listGateways(opts: { limit?: number; offset?: number } = {}): Promise<GatewayView[]> {
    return this.#views('', [opts.limit ?? 1000, opts.offset ?? 0], 'LIMIT ? OFFSET ?');
  }

  async setGatewayCredential(id: string, hash: string, actor: Actor): Promise<void> {
    await this.#db.tx(async (q) => {
      const n = await q.run('UPDATE reg_gateways SET credential_hash = ? WHERE id = ?', [hash, id]);
      if (!n) throw new RegistryError('NOT_FOUND', `gateway ${id} is not registered`);
      // the audit row says a credential was issued, never what it is
      await writeAudit(q, { actor, action: 'credential', entity: 'gateway', entityId: id });
    });
  }

  async getGatewayCredentialHash(id: string): Promise<string | null> {
    const r = (await this.#db.query<Row>('SELECT credential_hash FROM reg_gateways WHERE id = ?', [id]))[0];
    return typeof r?.credential_hash === 'string' ? r.credential_hash : null;
  }

  // ---- what the ingest learns
  async #ensureGateway(q: SqlRunner, id: string, at: number) {
    await q.run('INSERT INTO reg_gateways (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [id, at]);
  }

  #lockRow(): string {
    return this.kind === 'postgres' ? ' FOR UPDATE' : '';
  }

  recordState(id: string, s: GatewayState, at: number): Promise<StateChange> {
    return this.#db.tx(async (q) => {
      await this.#ensureGateway(q, id, at);
      const cur = (
        await q.query<Row>(`SELECT online, state_ts, boot_id FROM reg_gateways WHERE id = ?${this.#lockRow()}`, [id])
      )[0]!;
      const wasOnline = Number(cur.online) === 1;
      // a birth replayed after a newer one changes nothing; a last will has no ts and always counts
      if (s.ts !== undefined && cur.state_ts !== null && Number(cur.state_ts) > s.ts)
        return { changed: false, online: wasOnline };
      const changed = wasOnline !== s.online;
      const boot = s.bootId ?? null;
      await q.run(
        `UPDATE reg_gateways SET online = ?, state_ts = COALESCE(CAST(? AS BIGINT), state_ts),
        online_changed_at = CASE WHEN CAST(? AS INTEGER) = 1 THEN CAST(? AS BIGINT) ELSE online_changed_at END,
        last_seen = CASE WHEN last_seen IS NULL OR last_seen < CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE last_seen END,
        last_seq = CASE WHEN CAST(? AS TEXT) IS NOT NULL AND (boot_id IS NULL OR boot_id <> CAST(? AS TEXT)) THEN NULL ELSE last_seq END,
        boot_id = COALESCE(CAST(? AS TEXT), boot_id),
        fw = COALESCE(CAST(? AS TEXT), fw), inventory = COALESCE(CAST(? AS TEXT), inventory),
        applied_config_version = COALESCE(CAST(? AS INTEGER), applied_config_version) WHERE id = ?`,
        [
          s.online ? 1 : 0,
          s.ts ?? null,
          changed ? 1 : 0,
          at,
          at,
          at,
          boot,
          boot,
          boot,
          s.fw ?? null,
          toJson(s.inventory),
          s.configVersion ?? null,
          id,
        ],
      );
      return { changed, online: s.online };
    });
  }

  recordTelemetry(id: string, meta: { bootId: string; seq: number }, at: number): Promise<SeqResult> {
    return this.#db.tx(async (q) => {
      await this.#ensureGateway(q, id, at);
      const cur = (
        await q.query<Row>(`SELECT boot_id, last_seq FROM reg_gateways WHERE id = ?${this.#lockRow()}`, [id])
      )[0]!;
      const newBoot = cur.boot_id !== meta.bootId || cur.last_seq === null;
      const last = newBoot ? null : Number(cur.last_seq);
      // gaps and duplicates are the seq tracker's (cloud/ingest/seq-tracker.ts): counting them
      // here too gave a second, wrong figure (a backlog drain counted as gaps, then duplicates)
      await q.run(
        `UPDATE reg_gateways SET boot_id = ?, last_seq = ?,
        last_seen = CASE WHEN last_seen IS NULL OR last_seen < CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE last_seen END WHERE id = ?`,
        [meta.bootId, last === null ? meta.seq : Math.max(last, meta.seq), at, at, id],
      );
      return { newBoot };
    });
  }

  recordEvent(id: string, e: GatewayEvent, at: number): Promise<{ stored: boolean }> {
    return this.#db.tx(async (q) => {
      await this.#ensureGateway(q, id, at);
      const n = await q.run(
        `INSERT INTO reg_gateway_events (gateway_id, boot_id, seq, ts, kind, severity, reason, body, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (gateway_id, boot_id, ts, kind) DO NOTHING`,
        [id, e.bootId, e.seq ?? null, e.ts, e.kind, e.severity ?? 'info', e.reason, JSON.stringify(e), at],
      );
      if (n) {
        await q.run(
          `DELETE FROM reg_gateway_events WHERE gateway_id = ? AND id <= (SELECT id FROM reg_gateway_events
          WHERE gateway_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
          [id, id, EVENTS_KEPT_PER_GATEWAY],
        );
      }
      return { stored: n > 0 };
    });
  }

  async listEvents(gatewayId: string, limit = 50): Promise<StoredEvent[]> {
    return (
      await this.#db.query<Row>('SELECT * FROM reg_gateway_events WHERE gateway_id = ? ORDER BY id DESC LIMIT ?', [
        gatewayId,
        limit,
      ])
    ).map(eventOf);
  }

  recordConfigAck(id: string, ack: ConfigAck, at: number): Promise<{ known: boolean }> {
    return this.#db.tx(async (q) => {
      await this.#ensureGateway(q, id, at);
      const n = await q.run(
        'UPDATE reg_gateway_configs SET status = ?, reasons = ?, acked_at = ? WHERE gateway_id = ? AND version = ?',
        [ack.status, toJson(ack.reasons ?? []), ack.ts, id, ack.version],
      );
      if (ack.status === 'applied') {
        // the version in force on the gateway, even when the cloud no longer knows it
        await q.run('UPDATE reg_gateways SET applied_config_version = ? WHERE id = ?', [ack.version, id]);
      }
      return { known: n > 0 };
    });
  }

  recordCommandAck(id: string, ack: CommandAck, at: number): Promise<{ known: boolean }> {
    return this.#db.tx(async (q) => {
      const n = await q.run(
        'UPDATE reg_commands SET status = ?, reason = ?, acked_at = ? WHERE id = ? AND gateway_id = ?',
        [ack.outcome, ack.reason ?? null, ack.ts ?? at, ack.id, id],
      );
      return { known: n > 0 };
    });
  }

  putDesiredConfig(id: string, config: unknown, actor: Actor, at: number): Promise<GatewayConfigVersion> {
    return this.#db.tx(async (q) => {
      const gw = (
        await q.query<Row>(
          `SELECT desired_config_version, applied_config_version FROM reg_gateways WHERE id = ?${this.#lockRow()}`,
          [id],
        )
      )[0];
      if (!gw) throw new RegistryError('NOT_FOUND', `gateway ${id} is not registered`);
      const max = (
        await q.query<Row>('SELECT MAX(version) AS v FROM reg_gateway_configs WHERE gateway_id = ?', [id])
      )[0];
      // above the version the gateway reports running (its file's initialConfig included), or it would skip ours
      const version =
        Math.max(Number(max?.v ?? 0), Number(gw.desired_config_version ?? 0), Number(gw.applied_config_version ?? 0)) +
        1;
      const before =
        gw.desired_config_version === null
          ? undefined
          : (
              await q.query<Row>('SELECT * FROM reg_gateway_configs WHERE gateway_id = ? AND version = ?', [
                id,
                Number(gw.desired_config_version),
              ])
            ).map(configOf)[0]?.config;
      await q.run("UPDATE reg_gateway_configs SET status = 'superseded' WHERE gateway_id = ? AND status = 'pending'", [
        id,
      ]);
      await q.run(
        'INSERT INTO reg_gateway_configs (gateway_id, version, config, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
        [id, version, JSON.stringify(config), actor, at],
      );
      await q.run('UPDATE reg_gateways SET desired_config_version = ? WHERE id = ?', [version, id]);
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
      await this.#db.query<Row>(
        'SELECT * FROM reg_gateway_configs WHERE gateway_id = ? ORDER BY version DESC LIMIT ?',
        [id, limit],
      )
    ).map(configOf);
  }

  createCommand(
    cmd: { id: string; gatewayId: string; kind: string; payload: unknown; expiresAt: number },
    actor: Actor,
    at: number,
  ): Promise<CommandRecord> {
    return this.#db.tx(async (q) => {
      const gw = await q.query('SELECT id FROM reg_gateways WHERE id = ?', [cmd.gatewayId]);
      if (!gw.length) throw new RegistryError('NOT_FOUND', `gateway ${cmd.gatewayId} is not registered`);
      const n = await q.run(
        `INSERT INTO reg_commands (id, gateway_id, kind, payload, created_by, created_at, expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        [cmd.id, cmd.gatewayId, cmd.kind, JSON.stringify(cmd.payload), actor, at, cmd.expiresAt],
      );
      if (!n) throw new RegistryError('CONFLICT', `command id ${cmd.id} is already used`);
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
    return (await this.#db.query<Row>('SELECT * FROM reg_commands WHERE id = ?', [id])).map(commandOf)[0] ?? null;
  }

  async listCommands(gatewayId: string, limit = 50): Promise<CommandRecord[]> {
    return (
      await this.#db.query<Row>(
        'SELECT * FROM reg_commands WHERE gateway_id = ? ORDER BY created_at DESC, id LIMIT ?',
        [gatewayId, limit],
      )
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
  getUser(id: number): Promise<User | null> {
    return this.#users.get(id);
  }
  updateUser(id: number, patch: UserPatch, actor: Actor, at: number): Promise<User> {
    return this.#users.update(id, patch, actor, at);
  }
  setUserPassword(id: number, hash: string, actor: Actor): Promise<void> {
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
  deleteSessionsForUser(userId: number): Promise<void> {
    return this.#users.deleteSessionsForUser(userId);
  }
  pruneSessions(now: number): Promise<number> {
    return this.#users.pruneSessions(now);
  }

  atomically<T>(fn: (r: Registry) => Promise<T>): Promise<T> {
    return this.#db.tx((q, trx) => {
      // the same registry over the transaction's connection: its own tx() calls join this one
      const inTx = Object.assign(Object.create(this.#db) as SqlDb, {
        query: <R>(text: string, params?: SqlValue[]) => q.query<R>(text, params),
        run: (text: string, params?: SqlValue[]) => q.run(text, params),
        tx: <R>(f: (q2: SqlRunner, t2: typeof trx) => Promise<R>) => f(q, trx),
        ping: async () => {},
        close: async () => {},
      });
      return fn(new SqlRegistry(inTx, this.#describe));
    });
  }

  async appendAudit(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.#db.tx((q) => writeAudit(q, e));
  }

  async listAudit(opts: { entity?: string; entityId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (opts.entity) {
      where.push('entity = ?');
      params.push(opts.entity);
    }
    if (opts.entityId) {
      where.push('entity_id = ?');
      params.push(opts.entityId);
    }
    params.push(opts.limit ?? 100);
    return (
      await this.#db.query<Row>(
        `SELECT * FROM reg_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        params,
      )
    ).map(auditOf);
  }
}
