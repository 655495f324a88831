import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { services } from '../../test/support/services.js';
import { SqlMissionStore } from '../missions/sql-store.js';
import { ReportFacts } from '../reports/facts.js';
import { SqlRegistry } from '../registry/sql-registry.js';
import { openTarget } from './database.js';
import { openDatabaseAt, type Db, type DbTarget } from './index.js';
import { runStatements, type AnyKysely, type Dialect } from './migration.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const pgOk = await services.postgres();
const FIXTURE = fs.readFileSync(new URL('./fixtures/pre-migrator.sql', import.meta.url), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-db-'));
const schemas: string[] = [];

/** a new, empty database of the dialect; `legacy` loads what the earlier runners left */
async function freshTarget(dialect: 'sqlite' | 'postgres', legacy?: (sql: string) => string): Promise<DbTarget> {
  const name = `db_test_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const file = path.join(tmp, `${name}.sqlite`);
    if (legacy) {
      const raw = new Database(file);
      raw.exec(legacy(FIXTURE.replaceAll('{{id}}', 'INTEGER PRIMARY KEY AUTOINCREMENT')));
      raw.close();
    }
    return { dialect, file };
  }
  schemas.push(name);
  if (legacy) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`CREATE SCHEMA ${name}; SET search_path TO ${name};`);
    await c.query(legacy(FIXTURE.replaceAll('{{id}}', 'BIGSERIAL PRIMARY KEY')));
    await c.end();
  }
  return { dialect, url: PG_URL, schema: name };
}

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!schemas.length || !pgOk) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await c.end();
});

const recorded = async (db: Db) =>
  (await sql<{ name: string }>`SELECT name FROM db_migrations ORDER BY name`.execute(db.kysely)).rows.map(
    (r) => r.name,
  );
/** migrations newer than the earlier runners: taking over their database runs just these */
const AFTER_LEGACY = ['alerts/0001_alert_acks', 'registry/0003_units_cooperatives_farms_active'];
const ALL = [
  'alerts/0001_alert_acks',
  'missions/0001_fields_missions',
  'registry/0001_units_farms_gateways_configs_commands_events_users_audit',
  'registry/0002_sessions_user_scopes',
  'registry/0003_units_cooperatives_farms_active',
  'reports/0001_gateway_states_valve_runs_missions_user_activity',
];

function suite(dialect: 'sqlite' | 'postgres') {
  it("creates every feature's tables on an empty database, each migration once", async () => {
    const db = openDatabaseAt(await freshTarget(dialect));
    try {
      expect((await db.migrate()).sort()).toEqual(ALL);
      expect(await db.migrate()).toEqual([]);
      expect(await recorded(db)).toEqual(ALL);
      const registry = new SqlRegistry(db.share(), db.describe);
      await registry.init();
      expect((await registry.listUnitLevels()).map((l) => l.level)).toEqual([
        'province',
        'district',
        'commune',
        'hamlet',
      ]);
    } finally {
      await db.close();
    }
  });

  it("queries every feature's tables through the typed Kysely instance", async () => {
    const db = openDatabaseAt(await freshTarget(dialect));
    try {
      await db.migrate();
      await db.kysely
        .insertInto('reg_units')
        .values({ id: 'vn-92', parent_id: null, level: 'province', name: 'Cần Thơ' })
        .execute();
      const farm = { id: 'f1', name: 'Ruộng', owner: null, unit_id: 'vn-92', cooperative_id: null, area_ha: 1.25 };
      await db.kysely.insertInto('reg_farms').values(farm).execute();
      expect(await db.kysely.selectFrom('reg_farms').selectAll().execute()).toEqual([{ ...farm, active: 1 }]);
      const gw = await db.kysely
        .insertInto('reg_gateways')
        .values({ id: 'gw-1', farm_id: 'f1', created_at: 1_767_225_600_000 })
        .returningAll()
        .executeTakeFirstOrThrow();
      expect(gw).toMatchObject({ online: 0, seq_gaps: 0, created_at: 1_767_225_600_000 });
      expect(await db.kysely.selectFrom('rpt_missions').selectAll().execute()).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('takes over a database the earlier runners made: keeps its rows and runs nothing twice', async () => {
    const db = openDatabaseAt(await freshTarget(dialect, (s) => s));
    try {
      expect(await db.migrate()).toEqual(AFTER_LEGACY);
      expect(await recorded(db)).toEqual(ALL);
      const registry = new SqlRegistry(db.share(), db.describe);
      await registry.init();
      expect(await registry.getFarm('farm-1')).toMatchObject({ name: 'Ruộng ông Tư', unitId: 'vn-95', areaHa: 2.5 });
      expect((await registry.getGateway('gw-1'))?.farmId).toBe('farm-1');
      const missions = new SqlMissionStore(db);
      expect(await missions.get('m-old')).toMatchObject({
        farmId: 'farm-1',
        version: 1,
        lifecycle: { state: 'draft' },
      });
      const facts = new ReportFacts(db.share());
      await facts.init();
      expect(await facts.states(Date.UTC(2027, 0, 1))).toEqual([
        { gatewayId: 'gw-1', at: 1767225600000, online: true },
      ]);
      // the auto-increment ids made by the old DDL still count on
      const u = await registry.createUser({ username: 'lan', role: 'technician', passwordHash: 'x' }, 'test', 1);
      expect(Number(u.id)).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('refuses a database a newer release migrated, and changes nothing', async () => {
    const target = await freshTarget(
      dialect,
      (s) => `${s}\nINSERT INTO reg_migrations (version, name, applied_at) VALUES (99, 'from the future', 1);`,
    );
    const db = openDatabaseAt(target);
    try {
      await expect(db.migrate()).rejects.toMatchObject({
        code: 'DB_MIGRATION_NEWER',
        context: { feature: 'registry' },
      });
      const registry = new SqlRegistry(db.share(), db.describe);
      await expect(registry.init()).rejects.toMatchObject({ code: 'REGISTRY_MIGRATION' });
      await expect(sql`SELECT name FROM db_migrations`.execute(db.kysely)).rejects.toThrow();
    } finally {
      await db.close();
    }
  });

  it('stops at a failing migration, naming it, with nothing of it left behind', async () => {
    const features = [
      {
        feature: 'demo',
        migrations: [
          {
            version: 1,
            name: 'ok',
            up: (k: AnyKysely, d: Dialect) => runStatements(k, d, 'CREATE TABLE demo_a (id TEXT PRIMARY KEY);'),
          },
          {
            version: 2,
            name: 'bad',
            up: (k: AnyKysely, d: Dialect) =>
              runStatements(k, d, 'CREATE TABLE demo_b (id TEXT PRIMARY KEY);\nINSERT INTO demo_nowhere VALUES (1);'),
          },
        ],
      },
    ];
    const db = openTarget(await freshTarget(dialect), features, { own: true });
    try {
      await expect(db.migrate()).rejects.toMatchObject({
        code: 'DB_MIGRATION',
        context: { feature: 'demo', migration: 'demo/0002_bad' },
      });
      // PostgreSQL runs the pending migrations in one transaction, SQLite each in its own
      expect(await recorded(db)).toEqual(dialect === 'sqlite' ? ['demo/0001_ok'] : []);
      await expect(sql`SELECT * FROM demo_b`.execute(db.kysely)).rejects.toThrow();
    } finally {
      await db.close();
    }
  });

  it('refuses a migration name it does not know in its own table', async () => {
    const target = await freshTarget(dialect);
    const db = openDatabaseAt(target);
    try {
      await db.migrate();
      await sql`INSERT INTO db_migrations (name, timestamp) VALUES ('missions/0099_later', '2030-01-01T00:00:00.000Z')`.execute(
        db.kysely,
      );
      const again = openDatabaseAt(target, { own: true });
      await expect(again.migrate()).rejects.toMatchObject({
        code: 'DB_MIGRATION_NEWER',
        context: { feature: 'missions' },
      });
      await again.close();
    } finally {
      await db.close();
    }
  });
}

describe('the database layer on SQLite', () => {
  suite('sqlite');

  it('makes the same schema as the earlier runners did', async () => {
    const fresh = await freshTarget('sqlite');
    const db = openDatabaseAt(fresh);
    await db.migrate();
    await db.close();
    const old = await freshTarget('sqlite', (s) => s);
    // taken over, the earlier runners' database gets only the migrations newer than them
    const took = openDatabaseAt(old);
    expect(await took.migrate()).toEqual(AFTER_LEGACY);
    await took.close();
    const schemaOf = (file: string) => {
      const raw = new Database(file, { readonly: true });
      const rows = raw
        .prepare(
          "SELECT type, name, sql FROM sqlite_master WHERE name GLOB 'reg_*' OR name GLOB 'msn_*' OR name GLOB 'rpt_*' ORDER BY name",
        )
        .all() as { name: string; sql: string | null }[];
      raw.close();
      return rows.filter((r) => !/_migrations$/.test(r.name)).map((r) => ({ ...r, sql: r.sql?.replace(/\s+/g, ' ') }));
    };
    const a = schemaOf((fresh as { file: string }).file);
    expect(a.length).toBeGreaterThan(20);
    expect(a).toEqual(schemaOf((old as { file: string }).file));
  });

  it('shares one connection between the components that open one file, closing it with the last', async () => {
    const target = await freshTarget('sqlite');
    const a = openDatabaseAt(target);
    const b = openDatabaseAt(target);
    await a.migrate();
    expect(await b.migrate()).toEqual([]);
    expect(a.kysely).toBe(b.kysely);
    await a.close();
    await a.close();
    await expect(a.ping()).rejects.toMatchObject({ code: 'DB_CLOSED' });
    await b.ping();
    await b.close();
    expect(() => b.kysely).toThrow(expect.objectContaining({ code: 'DB_CLOSED' }));
    const c = openDatabaseAt(target);
    expect(await c.migrate()).toEqual([]);
    await c.ping();
    await c.close();
  });
});

describe.skipIf(!pgOk)('the database layer on PostgreSQL', () => {
  suite('postgres');

  it('migrates once when two instances start together on one schema', async () => {
    const target = await freshTarget('postgres');
    const a = openDatabaseAt(target, { own: true });
    const b = openDatabaseAt(target, { own: true });
    try {
      const [x, y] = await Promise.all([a.migrate(), b.migrate()]);
      expect([...x, ...y].sort()).toEqual(ALL);
      expect(await recorded(a)).toEqual(ALL);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('takes over an earlier database while another instance starts on it too', async () => {
    const target = await freshTarget('postgres', (s) => s);
    const a = openDatabaseAt(target, { own: true });
    const b = openDatabaseAt(target, { own: true });
    try {
      expect((await Promise.all([a.migrate(), b.migrate()])).flat()).toEqual(AFTER_LEGACY);
      expect(await recorded(b)).toEqual(ALL);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
