import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgDb } from '../cloud/registry/pg-db.js';
import { openSqliteDb } from '../cloud/registry/sqlite-db.js';
import type { Db } from '../cloud/db/index.js';
import { SqlFieldStore, importField, type FieldStore } from '../cloud/missions/field-store.js';
import { migrateMissions } from '../cloud/missions/sql-migrations.js';
import { SqlMissionStore } from '../cloud/missions/sql-store.js';
import { missionStoreSuite } from './support/mission-store-suite.js';
import { services } from './support/services.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const pgOk = await services.postgres();
const schema = `msn_test_${randomBytes(4).toString('hex')}`;

const ha1 = {
  type: 'Polygon',
  coordinates: [
    [
      [105.7, 10.0],
      [105.701, 10.0],
      [105.701, 10.0009],
      [105.7, 10.0009],
      [105.7, 10.0],
    ],
    [
      [105.7004, 10.0003],
      [105.7006, 10.0003],
      [105.7006, 10.0005],
      [105.7004, 10.0005],
      [105.7004, 10.0003],
    ],
  ],
};

function fieldStoreSuite(make: () => FieldStore) {
  it('stores an imported field with its hole, area and author, and lists it by farm', async () => {
    const store = make();
    const f = importField(
      { data: { type: 'Feature', properties: { name: 'Thửa 7' }, geometry: ha1 } },
      { farmId: 'farm-a', by: 'lan', at: 1_000, id: `f-${randomBytes(3).toString('hex')}` },
    );
    await store.create(f);
    const back = await store.get(f.id);
    expect(back).toMatchObject({ farmId: 'farm-a', createdBy: 'lan', createdAt: 1_000 });
    expect(back!.boundary.coordinates).toHaveLength(2);
    expect(back!.areaHa).toBeGreaterThan(1.0);
    expect(back!.areaHa).toBeLessThan(1.1);
    expect((await store.list({ farmIds: ['farm-a'] })).map((x) => x.id)).toContain(f.id);
    expect(await store.list({ farmIds: ['farm-none'] })).toEqual([]);
    await expect(store.create(f)).rejects.toMatchObject({ code: 'MISSION_CONFLICT' });
    expect(await store.get('missing')).toBeUndefined();
  });
}

describe('mission stores on SQLite', () => {
  const dbs: Db[] = [];
  const open = () => {
    const db = openSqliteDb(':memory:');
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });
  missionStoreSuite(() => new SqlMissionStore(open()));
  fieldStoreSuite(() => new SqlFieldStore(open()));

  it('applies its migrations once, beside the registry tables', async () => {
    const db = open();
    expect(await migrateMissions(db)).toEqual([1]);
    expect(await migrateMissions(db)).toEqual([]);
    const store = new SqlMissionStore(db);
    await store.init();
    expect(await store.list()).toEqual([]);
  });
});

describe.skipIf(!pgOk)('mission stores on PostgreSQL', () => {
  const db = pgOk ? openPgDb(PG_URL, { schema }) : undefined;
  afterAll(async () => {
    await db?.close();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });
  missionStoreSuite(() => new SqlMissionStore(db!));
  fieldStoreSuite(() => new SqlFieldStore(db!));

  it('applies its migrations once even when two stores start together', async () => {
    await Promise.all([new SqlMissionStore(db!).init(), new SqlFieldStore(db!).init()]);
    expect(await migrateMissions(db!)).toEqual([]);
    const { rows } = await sql<{ name: string }>`SELECT name FROM db_migrations WHERE name LIKE 'missions/%'`.execute(
      db!.kysely,
    );
    expect(rows.map((r) => r.name)).toEqual(['missions/0001_fields_missions']);
  });
});
