import { MissionError } from './errors.js';
import type { MissionLifecycle } from './lifecycle.js';
import type { Plan } from './types.js';
import type { VerificationReport } from './verify.js';

/** A mission as the registry keeps it. JSON members are stored as JSON/JSONB columns. */
export interface MissionRecord {
  id: string;
  fieldId?: string;
  /** the farm the mission sprays: who may see and act on it */
  farmId?: string;
  name?: string;
  /** the request that produced the plan: re-planning uses it */
  params: Record<string, unknown>;
  plan: Plan;
  lifecycle: MissionLifecycle;
  droneId?: string;
  verification?: VerificationReport;
  /** optimistic concurrency: bumped by every update */
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface MissionFilter {
  state?: MissionLifecycle['state'];
  fieldId?: string;
  farmIds?: string[];
  limit?: number;
}

/**
 * Mission persistence port. Adapters (SQLite, PostgreSQL) implement it and must pass the
 * shared suite `missionStoreSuite` (test/support/mission-store-suite.ts).
 */
export interface MissionStore {
  create(m: Omit<MissionRecord, 'version'>): Promise<MissionRecord>;
  get(id: string): Promise<MissionRecord | null>;
  list(filter?: MissionFilter): Promise<MissionRecord[]>;
  /** replaces the record if its stored version is `expectedVersion`; MISSION_CONFLICT otherwise */
  update(id: string, expectedVersion: number, next: Omit<MissionRecord, 'version' | 'id'>): Promise<MissionRecord>;
}

/** In-memory store: the reference implementation, for tests and the demo. */
export class MemoryMissionStore implements MissionStore {
  private readonly rows = new Map<string, MissionRecord>();

  async create(m: Omit<MissionRecord, 'version'>): Promise<MissionRecord> {
    if (this.rows.has(m.id)) throw new MissionError('MISSION_CONFLICT', `mission ${m.id} already exists`);
    const rec = structuredClone({ ...m, version: 1 });
    this.rows.set(m.id, rec);
    return structuredClone(rec);
  }

  async get(id: string): Promise<MissionRecord | null> {
    const r = this.rows.get(id);
    return r ? structuredClone(r) : null;
  }

  async list(filter: MissionFilter = {}): Promise<MissionRecord[]> {
    return [...this.rows.values()]
      .filter(
        (r) =>
          (!filter.state || r.lifecycle.state === filter.state) &&
          (!filter.fieldId || r.fieldId === filter.fieldId) &&
          (!filter.farmIds || (r.farmId !== undefined && filter.farmIds.includes(r.farmId))),
      )
      .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id))
      .slice(0, filter.limit ?? 100)
      .map((r) => structuredClone(r));
  }

  async update(
    id: string,
    expectedVersion: number,
    next: Omit<MissionRecord, 'version' | 'id'>,
  ): Promise<MissionRecord> {
    const cur = this.rows.get(id);
    if (!cur) throw new MissionError('MISSION_NOT_FOUND', `mission ${id} does not exist`);
    if (cur.version !== expectedVersion) {
      throw new MissionError(
        'MISSION_CONFLICT',
        `mission ${id} changed meanwhile (version ${cur.version}, expected ${expectedVersion}): reload and retry`,
      );
    }
    const rec = structuredClone({ ...next, id, version: cur.version + 1 });
    this.rows.set(id, rec);
    return structuredClone(rec);
  }
}
