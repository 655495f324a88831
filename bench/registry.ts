// `npm run bench registry [-- --messages N --rounds R --only PATH | --smoke]`:
// Registry.recordTelemetry on SQLite, one message after another as the ingest's sink sends them,
// side by side in one run (rounds interleaved, so a busy machine slows every path alike):
//   before-raw     the pre-Kysely adapter: better-sqlite3 direct, cached statements, BEGIN IMMEDIATE
//   raw-on-kysely  the same SQL through the shared Kysely handle (CompiledQuery.raw), as until 12d9c2f
//   kysely-built   typed queries built and compiled on every call
//   registry       SqlRegistry.recordTelemetry today: typed queries compiled once (prepared)
// Prints messages per CPU-second per path (median of the rounds) and, last, a JSON line. `--smoke`
// (200 messages, one round) only shows that every path runs: test/registry-bench-smoke.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { openDatabaseAt, type Db } from '../cloud/db/index.js';
import { SqlRegistry } from '../cloud/registry/sql-registry.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});
const SMOKE = values.smoke === true;
const MESSAGES = Number(values.messages ?? (SMOKE ? 200 : 5_000));
const ROUNDS = Number(values.rounds ?? (SMOKE ? 1 : 9));
const GATEWAYS = 50;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-bench-reg-'));

type RecordFn = (id: string, bootId: string, seq: number, at: number) => Promise<unknown>;
interface Path {
  name: string;
  record: RecordFn;
  close(): Promise<void>;
}

const OLD_SQL = {
  ensure: 'INSERT INTO reg_gateways (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING',
  read: 'SELECT boot_id, last_seq FROM reg_gateways WHERE id = ?',
  write: `UPDATE reg_gateways SET boot_id = ?, last_seq = ?,
        last_seen = CASE WHEN last_seen IS NULL OR last_seen < CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE last_seen END WHERE id = ?`,
};
const nextSeq = (cur: { boot_id: string | null; last_seq: number | null }, bootId: string, seq: number) =>
  cur.boot_id !== bootId || cur.last_seq === null ? seq : Math.max(Number(cur.last_seq), seq);

async function migrated(name: string): Promise<{ db: Db; file: string }> {
  const file = path.join(dir, `${name}.sqlite`);
  const db = openDatabaseAt({ dialect: 'sqlite', file }, { own: true });
  await db.migrate();
  return { db, file };
}

async function beforeRaw(): Promise<Path> {
  const { db: d, file } = await migrated('before-raw');
  await d.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  const [ensure, read, write] = [db.prepare(OLD_SQL.ensure), db.prepare(OLD_SQL.read), db.prepare(OLD_SQL.write)];
  return {
    name: 'before-raw',
    record: async (id, bootId, seq, at) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        ensure.run(id, at);
        const cur = read.get(id) as { boot_id: string | null; last_seq: number | null };
        write.run(bootId, nextSeq(cur, bootId, seq), at, at, id);
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
    close: async () => void db.close(),
  };
}

async function rawOnKysely(): Promise<Path> {
  const { db } = await migrated('raw-on-kysely');
  return {
    name: 'raw-on-kysely',
    record: (id, bootId, seq, at) =>
      db.kysely.transaction().execute(async (t) => {
        await t.executeQuery(CompiledQuery.raw(OLD_SQL.ensure, [id, at]));
        const cur = (await t.executeQuery(CompiledQuery.raw(OLD_SQL.read, [id]))).rows[0] as {
          boot_id: string | null;
          last_seq: number | null;
        };
        await t.executeQuery(CompiledQuery.raw(OLD_SQL.write, [bootId, nextSeq(cur, bootId, seq), at, at, id]));
      }),
    close: () => db.close(),
  };
}

async function kyselyBuilt(): Promise<Path> {
  const { db } = await migrated('kysely-built');
  return {
    name: 'kysely-built',
    record: (id, bootId, seq, at) =>
      db.kysely.transaction().execute(async (t) => {
        await t
          .insertInto('reg_gateways')
          .values({ id, created_at: at })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        const cur = await t
          .selectFrom('reg_gateways')
          .select(['boot_id', 'last_seq', 'last_seen'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        await t
          .updateTable('reg_gateways')
          .set({
            boot_id: bootId,
            last_seq: nextSeq(cur, bootId, seq),
            last_seen: cur.last_seen === null || cur.last_seen < at ? at : cur.last_seen,
          })
          .where('id', '=', id)
          .execute();
      }),
    close: () => db.close(),
  };
}

async function registry(): Promise<Path> {
  const { db } = await migrated('registry');
  const r = new SqlRegistry(db, db.describe);
  await r.init();
  return {
    name: 'registry',
    record: (id, bootId, seq, at) => r.recordTelemetry(id, { bootId, seq }, at),
    close: () => r.close(),
  };
}

/** messages per second of this process's CPU time (user + system): on a shared machine the wall
 * clock measures the neighbours as much as the code */
async function run(p: Path, round: number): Promise<{ cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    const gw = i % GATEWAYS;
    await p.record(`gw-${gw}`, `boot-${round}`, Math.floor(i / GATEWAYS), 1_767_225_600_000 + i);
  }
  const c = process.cpuUsage(c0);
  return { cpu: MESSAGES / ((c.user + c.system) / 1e6), wall: MESSAGES / ((performance.now() - t0) / 1000) };
}

const all = { 'before-raw': beforeRaw, 'raw-on-kysely': rawOnKysely, 'kysely-built': kyselyBuilt, registry };
const paths: Path[] = [];
for (const [name, open] of Object.entries(all)) if (!values.only || values.only === name) paths.push(await open());
const rates = new Map<string, number[]>(paths.map((p) => [p.name, []]));
const walls = new Map<string, number[]>(paths.map((p) => [p.name, []]));
for (const p of paths) await run(p, -1); // warm up: JIT, statement caches, the gateways' rows
for (let round = 0; round < ROUNDS; round++)
  for (const p of paths) {
    const r = await run(p, round);
    rates.get(p.name)!.push(r.cpu);
    walls.get(p.name)!.push(r.wall);
  }
for (const p of paths) await p.close();
fs.rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const out = Object.fromEntries(paths.map((p) => [p.name, Math.round(median(rates.get(p.name)!))]));
const wall = Object.fromEntries(paths.map((p) => [p.name, Math.round(median(walls.get(p.name)!))]));
for (const p of paths)
  process.stdout.write(
    `${p.name.padEnd(14)} ${String(out[p.name]).padStart(7)} messages/CPU-s ${String(wall[p.name]).padStart(7)} messages/s wall  (CPU rounds: ${rates
      .get(p.name)!
      .map((r) => Math.round(r))
      .join(', ')})\n`,
  );
process.stdout.write(
  `${JSON.stringify({ smoke: SMOKE, messages: MESSAGES, rounds: ROUNDS, load1: os.loadavg()[0]!.toFixed(2), messagesPerCpuSec: out, messagesPerSec: wall })}\n`,
);
