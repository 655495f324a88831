import type { SqlDb, SqlValue } from '../registry/sql.js';
import { MissionError } from './errors.js';
import type { MissionLifecycle } from './lifecycle.js';
import { migrateMissions } from './sql-migrations.js';
import type { MissionFilter, MissionRecord, MissionStore } from './store.js';

interface Row {
  id: string; field_id: string | null; farm_id: string | null; name: string | null; state: string; drone_id: string | null;
  params: string; plan: string; lifecycle: string; verification: string | null; version: number; created_at: number; updated_at: number;
}

function recordOf(r: Row): MissionRecord {
  const m: MissionRecord = {
    id: r.id, params: JSON.parse(r.params), plan: JSON.parse(r.plan), lifecycle: JSON.parse(r.lifecycle) as MissionLifecycle,
    version: Number(r.version), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
  if (r.field_id !== null) m.fieldId = r.field_id;
  if (r.farm_id !== null) m.farmId = r.farm_id;
  if (r.name !== null) m.name = r.name;
  if (r.drone_id !== null) m.droneId = r.drone_id;
  if (r.verification !== null) m.verification = JSON.parse(r.verification);
  return m;
}

/** Column values of a record, in COLS order after `id`. */
function valuesOf(m: Omit<MissionRecord, 'version' | 'id'>): SqlValue[] {
  return [
    m.fieldId ?? null, m.farmId ?? null, m.name ?? null, m.lifecycle.state, m.droneId ?? null,
    JSON.stringify(m.params), JSON.stringify(m.plan), JSON.stringify(m.lifecycle),
    m.verification ? JSON.stringify(m.verification) : null, m.createdAt, m.updatedAt,
  ];
}

/**
 * Missions in the registry database (`msn_missions`, SQLite or PostgreSQL via SqlDb). The state
 * has a column of its own for listing; the lifecycle with its history, the plan and the
 * verification report are JSON text. Updates are compare-and-set on `version`.
 */
export class SqlMissionStore implements MissionStore {
  #ready: Promise<unknown> | undefined;

  constructor(private readonly db: SqlDb) {}

  /** applies the mission migrations (idempotent); every method awaits it too */
  init(): Promise<void> {
    this.#ready ??= migrateMissions(this.db).catch((err: unknown) => { this.#ready = undefined; throw err; });
    return this.#ready.then(() => undefined);
  }

  async create(m: Omit<MissionRecord, 'version'>): Promise<MissionRecord> {
    await this.init();
    // ON CONFLICT DO NOTHING: one statement that is race-free on both databases
    const n = await this.db.run(`INSERT INTO msn_missions (id, field_id, farm_id, name, state, drone_id, params, plan, lifecycle, verification, created_at, updated_at, version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO NOTHING`, [m.id, ...valuesOf(m)]);
    if (n === 0) throw new MissionError('MISSION_CONFLICT', `mission ${m.id} already exists`);
    return { ...structuredClone(m), version: 1 };
  }

  async get(id: string): Promise<MissionRecord | null> {
    await this.init();
    const r = (await this.db.query<Row>('SELECT * FROM msn_missions WHERE id = ?', [id]))[0];
    return r ? recordOf(r) : null;
  }

  async list(filter: MissionFilter = {}): Promise<MissionRecord[]> {
    await this.init();
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.state) { where.push('state = ?'); params.push(filter.state); }
    if (filter.fieldId) { where.push('field_id = ?'); params.push(filter.fieldId); }
    if (filter.farmIds) {
      if (!filter.farmIds.length) return [];
      where.push(`farm_id IN (${filter.farmIds.map(() => '?').join(', ')})`);
      params.push(...filter.farmIds);
    }
    params.push(Math.max(1, Math.min(filter.limit ?? 100, 1000)));
    const rows = await this.db.query<Row>(`SELECT * FROM msn_missions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id ASC LIMIT ?`, params);
    return rows.map(recordOf);
  }

  async update(id: string, expectedVersion: number, next: Omit<MissionRecord, 'version' | 'id'>): Promise<MissionRecord> {
    await this.init();
    const n = await this.db.run(`UPDATE msn_missions SET field_id = ?, farm_id = ?, name = ?, state = ?, drone_id = ?, params = ?, plan = ?,
      lifecycle = ?, verification = ?, created_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
    [...valuesOf(next), id, expectedVersion]);
    if (n === 0) {
      const cur = await this.get(id);
      if (!cur) throw new MissionError('MISSION_NOT_FOUND', `mission ${id} does not exist`);
      throw new MissionError('MISSION_CONFLICT', `mission ${id} changed meanwhile (version ${cur.version}, expected ${expectedVersion}): reload and retry`);
    }
    return { ...structuredClone(next), id, version: expectedVersion + 1 };
  }
}
