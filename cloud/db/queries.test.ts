import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { services } from '../../test/support/services.js';
import { greatest } from './dialects.js';
import { openDatabaseAt, type Db, type DbTarget } from './index.js';
import { affected, prepared, transact } from './queries.js';
import { sql } from 'kysely';

const pgOk = await services.postgres();
const opened: Db[] = [];
afterAll(async () => {
  for (const db of opened) {
    if (db.dialect === 'postgres') await sql`DROP SCHEMA IF EXISTS ${sql.id(schemaOf(db))} CASCADE`.execute(db.kysely);
    await db.close();
  }
});
const schemas = new Map<Db, string>();
const schemaOf = (db: Db) => schemas.get(db)!;

async function open(dialect: 'sqlite' | 'postgres'): Promise<Db> {
  const schema = `q_test_${randomBytes(4).toString('hex')}`;
  const target: DbTarget =
    dialect === 'sqlite'
      ? { dialect, file: ':memory:' }
      : { dialect, url: 'postgres://postgres@127.0.0.1:5432/test', schema };
  const db = openDatabaseAt(target, { own: true });
  schemas.set(db, schema);
  opened.push(db);
  await db.migrate();
  return db;
}

const insert = prepared(['id', 'at'], (db, a) =>
  db
    .insertInto('reg_gateways')
    .values({ id: a.id, created_at: a.at })
    .onConflict((oc) => oc.column('id').doNothing()),
);
const seen = prepared(['id', 'at'], (db, a) =>
  db
    .updateTable('reg_gateways')
    .set({ last_seen: greatest(db, sql.ref('last_seen'), a.at) })
    .where('id', '=', a.id),
);
const byId = prepared(['id'], (db, a) =>
  db.selectFrom('reg_gateways').select(['id', 'last_seen']).where('id', '=', a.id),
);

function suite(dialect: 'sqlite' | 'postgres') {
  it('runs a query compiled once with new arguments each time, the same argument in two places', async () => {
    const db = await open(dialect);
    expect(affected(await insert(db.kysely, { id: 'gw-1', at: 10 }))).toBe(1);
    expect(affected(await insert(db.kysely, { id: 'gw-1', at: 11 }))).toBe(0);
    await insert(db.kysely, { id: 'gw-2', at: 12 });
    // last_seen NULL: greatest takes the argument; then only a larger one moves it
    await seen(db.kysely, { id: 'gw-1', at: 500 });
    await seen(db.kysely, { id: 'gw-1', at: 400 });
    expect((await byId(db.kysely, { id: 'gw-1' })).rows).toEqual([{ id: 'gw-1', last_seen: 500 }]);
    expect((await byId(db.kysely, { id: 'gw-2' })).rows).toEqual([{ id: 'gw-2', last_seen: null }]);
  });

  it('joins the transaction already open, so one failure undoes every write of it', async () => {
    const db = await open(dialect);
    await expect(
      transact(db.kysely, async (trx) => {
        await insert(trx, { id: 'gw-t', at: 1 });
        await transact(trx, (inner) => seen(inner, { id: 'gw-t', at: 2 }));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await byId(db.kysely, { id: 'gw-t' })).rows).toEqual([]);
  });
}

describe('typed queries compiled once, on SQLite', () => {
  suite('sqlite');

  it('refuses a query whose values are not all arguments (a literal would be frozen into it)', async () => {
    const db = await open('sqlite');
    const frozen = prepared(['id'], (k, a) =>
      k.selectFrom('reg_gateways').select('id').where('id', '=', a.id).where('name', '=', 'x'),
    );
    await expect(frozen(db.kysely, { id: 'gw-1' })).rejects.toThrow(/literal parameter/);
  });
});

describe.skipIf(!pgOk)('typed queries compiled once, on PostgreSQL', () => {
  suite('postgres');
});
