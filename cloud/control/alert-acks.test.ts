import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { services } from '../../test/support/services.js';
import { openDatabaseAt, type DbTarget } from '../db/index.js';
import { MemoryAlertAckStore, SqlAlertAckStore, type AlertAckStore } from './alert-acks.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-acks-'));
const schemas: string[] = [];
const pgOk = await services.postgres();

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!schemas.length) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await c.end();
});

function target(dialect: 'sqlite' | 'postgres'): DbTarget {
  const name = `alr_test_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') return { dialect, file: path.join(tmp, `${name}.sqlite`) };
  schemas.push(name);
  return { dialect, url: PG_URL, schema: name };
}

async function contract(store: AlertAckStore) {
  const first = await store.ack({ alertId: 'gw1:offline', since: 1000, farmId: 'f1', by: 'nongdan', at: 2000 });
  expect(first).toEqual({ alertId: 'gw1:offline', since: 1000, farmId: 'f1', by: 'nongdan', at: 2000 });
  // the first acknowledgement of an occurrence stays
  expect(await store.ack({ alertId: 'gw1:offline', since: 1000, farmId: 'f1', by: 'kythuat', at: 3000 })).toMatchObject(
    { by: 'nongdan', at: 2000 },
  );
  await store.ack({ alertId: 'gw1:offline', since: 5000, farmId: 'f1', by: 'kythuat', at: 6000 });
  await store.ack({ alertId: 'gw1:fault:s9', since: null, farmId: 'f1', by: 'nongdan', at: 7000 });
  const got = await store.forAlerts(['gw1:offline', 'gw1:fault:s9']);
  expect(got.map((a) => `${a.alertId}@${a.since}:${a.by}`).sort()).toEqual([
    'gw1:fault:s9@null:nongdan',
    'gw1:offline@1000:nongdan',
    'gw1:offline@5000:kythuat',
  ]);
  expect(await store.forAlerts(['gw2:offline'])).toEqual([]);
  expect(await store.forAlerts([])).toEqual([]);
}

describe('alert acknowledgements', () => {
  it('keep the first acknowledgement of each occurrence, in memory', async () => {
    await contract(new MemoryAlertAckStore());
  });

  it('keep the first acknowledgement of each occurrence, in SQLite through the one migrator, across a reopen', async () => {
    const t = target('sqlite');
    const db = openDatabaseAt(t, { own: true });
    await db.migrate();
    await contract(new SqlAlertAckStore(db));
    await db.close();
    const again = openDatabaseAt(t, { own: true });
    await again.migrate();
    expect(await new SqlAlertAckStore(again).forAlerts(['gw1:offline'])).toHaveLength(2);
    await again.close();
  });

  it.skipIf(!pgOk)('keep the first acknowledgement of each occurrence, in PostgreSQL', async () => {
    const db = openDatabaseAt(target('postgres'), { own: true });
    try {
      await db.migrate();
      await contract(new SqlAlertAckStore(db));
    } finally {
      await db.close();
    }
  });
});
