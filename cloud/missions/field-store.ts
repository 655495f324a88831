import { randomUUID } from 'node:crypto';
import type { Polygon } from 'geojson';
import type { SqlDb, SqlValue } from '../registry/sql.js';
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

interface Row {
  id: string;
  farm_id: string;
  name: string;
  boundary: string;
  exclusions: string;
  home: string | null;
  area_ha: number;
  created_by: string;
  created_at: number;
}

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
  constructor(private readonly db: SqlDb) {}

  init(): Promise<void> {
    this.#ready ??= migrateMissions(this.db).catch((err: unknown) => {
      this.#ready = undefined;
      throw err;
    });
    return this.#ready.then(() => undefined);
  }

  async list(filter: FieldFilter = {}): Promise<FieldRecord[]> {
    await this.init();
    if (filter.farmIds && !filter.farmIds.length) return [];
    const params: SqlValue[] = filter.farmIds ?? [];
    const where = filter.farmIds ? `WHERE farm_id IN (${filter.farmIds.map(() => '?').join(', ')})` : '';
    return (await this.db.query<Row>(`SELECT * FROM msn_fields ${where} ORDER BY farm_id, name, id`, params)).map(
      recordOf,
    );
  }

  async get(id: string): Promise<FieldRecord | undefined> {
    await this.init();
    const r = (await this.db.query<Row>('SELECT * FROM msn_fields WHERE id = ?', [id]))[0];
    return r ? recordOf(r) : undefined;
  }

  async create(f: FieldRecord): Promise<FieldRecord> {
    await this.init();
    const area = f.areaHa ?? fieldOf(f).areaM2 / 10_000;
    const n = await this.db.run(
      `INSERT INTO msn_fields (id, farm_id, name, boundary, exclusions, home, area_ha, created_by, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [
        f.id,
        f.farmId,
        f.name,
        JSON.stringify(f.boundary),
        JSON.stringify(f.exclusions ?? []),
        f.home ? JSON.stringify(f.home) : null,
        area,
        f.createdBy ?? 'unknown',
        f.createdAt ?? Date.now(),
      ],
    );
    if (n === 0) throw new MissionError('MISSION_CONFLICT', `field ${f.id} already exists`);
    return { ...structuredClone(f), areaHa: area };
  }
}
