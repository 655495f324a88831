import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { MsnMissionsTable } from '../db/tables.js';
import { MissionError } from './errors.js';
import type { MissionLifecycle } from './lifecycle.js';
import { migrateMissions } from './sql-migrations.js';
import type { MissionFilter, MissionRecord, MissionStore } from './store.js';

type Row = Selectable<MsnMissionsTable>;

function recordOf(r: Row): MissionRecord {
  const m: MissionRecord = {
    id: r.id,
    params: JSON.parse(r.params) as Record<string, unknown>,
    plan: JSON.parse(r.plan) as MissionRecord['plan'],
    lifecycle: JSON.parse(r.lifecycle) as MissionLifecycle,
    version: Number(r.version),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
  if (r.field_id !== null) m.fieldId = r.field_id;
  if (r.farm_id !== null) m.farmId = r.farm_id;
  if (r.name !== null) m.name = r.name;
  if (r.drone_id !== null) m.droneId = r.drone_id;
  if (r.verification !== null) m.verification = JSON.parse(r.verification) as MissionRecord['verification'];
  return m;
}

/** The columns of a record, all but `id` and `version`. */
function columnsOf(m: Omit<MissionRecord, 'version' | 'id'>): Omit<Insertable<MsnMissionsTable>, 'id' | 'version'> {
  return {
    field_id: m.fieldId ?? null,
    farm_id: m.farmId ?? null,
    name: m.name ?? null,
    state: m.lifecycle.state,
    drone_id: m.droneId ?? null,
    params: JSON.stringify(m.params),
    plan: JSON.stringify(m.plan),
    lifecycle: JSON.stringify(m.lifecycle),
    verification: m.verification ? JSON.stringify(m.verification) : null,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

/**
 * Missions in the process's database (`msn_missions`, SQLite or PostgreSQL). The state has a
 * column of its own for listing; the lifecycle with its history, the plan and the verification
 * report are JSON text. Updates are compare-and-set on `version`.
 */
export class SqlMissionStore implements MissionStore {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly db: Db) {}

  /** applies the migrations (idempotent); every method awaits it too */
  init(): Promise<void> {
    this.#ready ??= migrateMissions(this.db).catch((err: unknown) => {
      this.#ready = undefined;
      throw err;
    });
    return this.#ready.then(() => undefined);
  }

  async create(m: Omit<MissionRecord, 'version'>): Promise<MissionRecord> {
    await this.init();
    // ON CONFLICT DO NOTHING: one statement that is race-free on both databases
    const r = await this.db.kysely
      .insertInto('msn_missions')
      .values({ id: m.id, ...columnsOf(m), version: 1 })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0)
      throw new MissionError('MISSION_CONFLICT', `mission ${m.id} already exists`);
    return { ...structuredClone(m), version: 1 };
  }

  async get(id: string): Promise<MissionRecord | null> {
    await this.init();
    const r = await this.db.kysely.selectFrom('msn_missions').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? recordOf(r) : null;
  }

  async list(filter: MissionFilter = {}): Promise<MissionRecord[]> {
    await this.init();
    if (filter.farmIds && !filter.farmIds.length) return [];
    let q = this.db.kysely.selectFrom('msn_missions').selectAll();
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.fieldId) q = q.where('field_id', '=', filter.fieldId);
    if (filter.farmIds) q = q.where('farm_id', 'in', filter.farmIds);
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'asc')
      .limit(Math.max(1, Math.min(filter.limit ?? 100, 1000)))
      .execute();
    return rows.map(recordOf);
  }

  async update(
    id: string,
    expectedVersion: number,
    next: Omit<MissionRecord, 'version' | 'id'>,
  ): Promise<MissionRecord> {
    await this.init();
    const r = await this.db.kysely
      .updateTable('msn_missions')
      .set((eb) => ({ ...columnsOf(next), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const cur = await this.get(id);
      if (!cur) throw new MissionError('MISSION_NOT_FOUND', `mission ${id} does not exist`);
      throw new MissionError(
        'MISSION_CONFLICT',
        `mission ${id} changed meanwhile (version ${cur.version}, expected ${expectedVersion}): reload and retry`,
      );
    }
    return { ...structuredClone(next), id, version: expectedVersion + 1 };
  }
}
