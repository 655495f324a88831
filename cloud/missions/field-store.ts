import { randomUUID } from 'node:crypto';
import type { Polygon } from 'geojson';
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { MsnFieldsTable } from '../db/tables.js';
import { MissionError } from './errors.js';
import { DEFAULT_FIELD_LIMITS, makeField, type Exclusion, type Field, type FieldLimits } from './field.js';
import { parseFieldFile, type FieldFormat } from './field-import.js';
import type { LonLat } from './geo/local-frame.js';
import { migrateMissions } from './sql-migrations.js';

/** A field as the registry keeps it: a validated boundary of one farm, with what not to spray. */
export interface FieldRecord {
  id: string;
  farmId: string;
  name: string;
  boundary: Polygon;
  exclusions?: Exclusion[];
  home?: LonLat;
  areaHa?: number;
  createdBy?: string;
  createdAt?: number;
}

export interface FieldFilter {
  farmIds?: string[];
}

/** Field persistence port: memory (demo, tests) and SQL (SQLite / PostgreSQL). */
export interface FieldStore {
  list(filter?: FieldFilter): Promise<FieldRecord[]>;
  get(id: string): Promise<FieldRecord | undefined>;
  create(f: FieldRecord): Promise<FieldRecord>;
}

/** The planner's Field of a stored record (validated again: limits may have changed). */
export function fieldOf(f: FieldRecord, limits: FieldLimits = DEFAULT_FIELD_LIMITS): Field {
  return makeField(
    {
      boundary: f.boundary,
      name: f.name,
      ...(f.exclusions ? { exclusions: f.exclusions } : {}),
      ...(f.home ? { home: f.home } : {}),
    },
    limits,
  );
}

/**
 * A new field record from an upload: GeoJSON (object or text) or KML text, validated by
 * parseFieldFile/makeField — a bad file throws MissionError with the first issue's code and
 * every issue in `context.issues`.
 */
export function importField(
  input: { data: string | Record<string, unknown>; format?: FieldFormat; filename?: string },
  meta: { farmId: string; name?: string; by: string; at: number; id?: string },
  limits: FieldLimits = DEFAULT_FIELD_LIMITS,
): FieldRecord {
  const text = typeof input.data === 'string' ? input.data : JSON.stringify(input.data);
  const field = parseFieldFile(text, {
    limits,
    ...(input.format ? { format: input.format } : {}),
    ...(input.filename ? { filename: input.filename } : {}),
  });
  const rec: FieldRecord = {
    id: meta.id ?? randomUUID(),
    farmId: meta.farmId,
    name: meta.name ?? field.name ?? 'field',
    boundary: field.boundary,
    exclusions: field.exclusions,
    areaHa: Math.round(field.areaM2) / 10_000,
    createdBy: meta.by,
    createdAt: meta.at,
  };
  if (field.home) rec.home = field.home;
  return rec;
}

export class MemoryFieldStore implements FieldStore {
  private readonly rows: FieldRecord[];
  constructor(fields: FieldRecord[] = []) {
    this.rows = structuredClone(fields);
  }
  async list(filter: FieldFilter = {}) {
    return structuredClone(this.rows.filter((f) => !filter.farmIds || filter.farmIds.includes(f.farmId)));
  }
  async get(id: string) {
    const f = this.rows.find((x) => x.id === id);
    return f ? structuredClone(f) : undefined;
  }
  async create(f: FieldRecord) {
    if (this.rows.some((x) => x.id === f.id))
      throw new MissionError('MISSION_CONFLICT', `field ${f.id} already exists`);
    this.rows.push(structuredClone(f));
    return structuredClone(f);
  }
}

type Row = Selectable<MsnFieldsTable>;

const recordOf = (r: Row): FieldRecord => ({
  id: r.id,
  farmId: r.farm_id,
  name: r.name,
  boundary: JSON.parse(r.boundary) as Polygon,
  exclusions: JSON.parse(r.exclusions) as Exclusion[],
  ...(r.home ? { home: JSON.parse(r.home) as LonLat } : {}),
  areaHa: Number(r.area_ha),
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
});

/** Fields in the registry database (`msn_fields`); geometry as GeoJSON text. */
export class SqlFieldStore implements FieldStore {
  #ready: Promise<unknown> | undefined;
  constructor(private readonly db: Db) {}

  init(): Promise<void> {
    this.#ready ??= migrateMissions(this.db).catch((err: unknown) => {
      this.#ready = undefined;
      throw err;
    });
    return this.#ready.then(() => undefined);
  }

  async list(filter: FieldFilter = {}): Promise<FieldRecord[]> {
    await this.init();
    const { farmIds } = filter;
    if (farmIds && !farmIds.length) return [];
    let q = this.db.kysely.selectFrom('msn_fields').selectAll();
    if (farmIds) q = q.where('farm_id', 'in', farmIds);
    return (await q.orderBy('farm_id').orderBy('name').orderBy('id').execute()).map(recordOf);
  }

  async get(id: string): Promise<FieldRecord | undefined> {
    await this.init();
    const r = await this.db.kysely.selectFrom('msn_fields').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? recordOf(r) : undefined;
  }

  async create(f: FieldRecord): Promise<FieldRecord> {
    await this.init();
    const area = f.areaHa ?? fieldOf(f).areaM2 / 10_000;
    const r = await this.db.kysely
      .insertInto('msn_fields')
      .values({
        id: f.id,
        farm_id: f.farmId,
        name: f.name,
        boundary: JSON.stringify(f.boundary),
        exclusions: JSON.stringify(f.exclusions ?? []),
        home: f.home ? JSON.stringify(f.home) : null,
        area_ha: area,
        created_by: f.createdBy ?? 'unknown',
        created_at: f.createdAt ?? Date.now(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    // SQLite and PostgreSQL both count a skipped (conflicting) row as 0
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0)
      throw new MissionError('MISSION_CONFLICT', `field ${f.id} already exists`);
    return { ...structuredClone(f), areaHa: area };
  }
}
