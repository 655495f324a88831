import { randomBytes } from 'node:crypto';
import type { Polygon } from 'geojson';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { services } from '../../test/support/services.js';
import type { Db } from '../db/index.js';
import { openPgDb } from '../registry/pg-db.js';
import { openSqliteDb } from '../registry/sqlite-db.js';
import { MemoryFieldStore, SqlFieldStore, type FieldRecord, type FieldStore } from './field-store.js';

// the listing the field store's typed queries make: every farm or some, ordered by farm, name, id;
// a field's optional parts (home, exclusions) round-trip. Memory, SQLite and PostgreSQL agree on
// what they hold.
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const pgOk = await services.postgres();
const schema = `fld_test_${randomBytes(4).toString('hex')}`;

const square = (lon: number, lat: number, d: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});
const field = (id: string, farmId: string, name: string, extra: Partial<FieldRecord> = {}): FieldRecord => ({
  id,
  farmId,
  name,
  boundary: square(105.7, 10.0, 0.001),
  createdBy: 'lan',
  createdAt: 1_000,
  ...extra,
});

const ORDER = ['1', '9', '2', '3', '4'];

function suite(make: () => FieldStore, sql = true) {
  it('lists every field or those of some farms, by farm, name and id, and none for no farm', async () => {
    const store = make();
    const tag = randomBytes(3).toString('hex');
    const [a, b] = [`a-${tag}`, `b-${tag}`];
    for (const f of [
      field(`3-${tag}`, b, 'Thửa 1'),
      field(`2-${tag}`, a, 'Thửa 2'),
      field(`9-${tag}`, a, 'Thửa 1'),
      field(`1-${tag}`, a, 'Thửa 1'),
      field(`4-${tag}`, `c-${tag}`, 'Thửa 1'),
    ])
      await store.create(f);
    // SQL orders by farm, name, id; the memory store keeps the order of creation
    const ids = (fs: FieldRecord[]) => {
      const out = fs.map((f) => f.id.slice(0, 1));
      return sql ? out : out.sort((x, y) => ORDER.indexOf(x) - ORDER.indexOf(y));
    };
    expect(ids(await store.list({ farmIds: [b, a] }))).toEqual(['1', '9', '2', '3']);
    expect(ids(await store.list({ farmIds: [b] }))).toEqual(['3']);
    expect(await store.list({ farmIds: [] })).toEqual([]);
    expect(ids((await store.list()).filter((f) => f.id.endsWith(tag)))).toEqual(['1', '9', '2', '3', '4']);
  });

  it('keeps a home and exclusions, computes the area when none is given, and refuses an id twice', async () => {
    const store = make();
    const id = `h-${randomBytes(3).toString('hex')}`;
    const exclusions = [{ name: 'nhà', polygon: square(105.7004, 10.0003, 0.0002), bufferM: 2 }];
    const created = await store.create(field(id, 'farm-h', 'Thửa nhà', { home: [105.7, 10.0], exclusions }));
    // the SQL store computes the area a record lacks (the memory store keeps what it was given)
    if (sql) expect(created.areaHa).toBeGreaterThan(1.0);
    expect(await store.get(id)).toEqual({
      ...field(id, 'farm-h', 'Thửa nhà', { home: [105.7, 10.0], exclusions }),
      areaHa: created.areaHa,
    });
    const bare = `n-${randomBytes(3).toString('hex')}`;
    await store.create(field(bare, 'farm-h', 'Thửa trống', { areaHa: 0.5, exclusions: [] }));
    const back = await store.get(bare);
    expect(back).not.toHaveProperty('home');
    expect(back).toMatchObject({ areaHa: 0.5, exclusions: [] });
    await expect(store.create(field(bare, 'farm-x', 'khác', { areaHa: 1 }))).rejects.toMatchObject({
      code: 'MISSION_CONFLICT',
    });
    expect((await store.get(bare))!.farmId).toBe('farm-h');
  });
}

describe('MemoryFieldStore', () => suite(() => new MemoryFieldStore(), false));

describe('SqlFieldStore on SQLite', () => {
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });
  suite(() => {
    const db = openSqliteDb(':memory:');
    dbs.push(db);
    return new SqlFieldStore(db);
  });
});

describe.skipIf(!pgOk)('SqlFieldStore on PostgreSQL', () => {
  const db = pgOk ? openPgDb(PG_URL, { schema }) : undefined;
  afterAll(async () => {
    await db?.close();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });
  suite(() => new SqlFieldStore(db!));
});
