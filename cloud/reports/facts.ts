import type { SqlDb, SqlRunner, SqlValue } from '../registry/sql.js';
import { ReportError } from './errors.js';
import { dayOf } from './months.js';

/**
 * Report facts: the history the registry does not keep. The registry holds each gateway's
 * current online state only and prunes events to the last 200 per gateway, so a year of uptime
 * and valve running time needs its own rows. Tables start with `rpt_`, have their own migration
 * table, and hold no foreign keys into `reg_*`, so they can live on their own connection to the
 * registry's database (SQLite file or PostgreSQL schema). Every insert is idempotent; times are
 * whole milliseconds (BIGINT in PostgreSQL).
 */
interface Migration { version: number; name: string; sql: string }

export const REPORT_MIGRATIONS: Migration[] = [{
  version: 1,
  name: 'gateway state changes, valve runs, missions flown, user activity days',
  sql: `
CREATE TABLE rpt_gateway_states (
  gateway_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  online INTEGER NOT NULL,
  PRIMARY KEY (gateway_id, at)
);
CREATE TABLE rpt_valve_runs (
  gateway_id TEXT NOT NULL,
  zone TEXT,
  valve TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  PRIMARY KEY (gateway_id, valve, opened_at)
);
CREATE INDEX rpt_valve_runs_time ON rpt_valve_runs(opened_at);
CREATE TABLE rpt_missions (
  mission_id TEXT PRIMARY KEY,
  farm_id TEXT NOT NULL,
  flown_at BIGINT NOT NULL,
  area_ha DOUBLE PRECISION NOT NULL,
  litres DOUBLE PRECISION NOT NULL
);
CREATE TABLE rpt_user_activity (
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (user_id, day)
);
`,
}];

export interface StateFact { gatewayId: string; at: number; online: boolean }
export interface ValveRunFact { gatewayId: string; zone: string | null; valve: string; openedAt: number; closedAt: number | null }
export interface MissionFact { missionId: string; farmId: string; flownAt: number; areaHa: number; litres: number }
export interface ActivityFact { userId: string; day: string }

type Row = Record<string, unknown>;

async function migrateReports(db: SqlDb): Promise<void> {
  await db.migrationLock(async (q) => {
    await q.exec('CREATE TABLE IF NOT EXISTS rpt_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await q.query<Row>('SELECT version FROM rpt_migrations')).map((r) => Number(r.version)));
    for (const m of REPORT_MIGRATIONS.filter((x) => !done.has(x.version))) {
      try {
        await q.exec(m.sql);
      } catch (cause) {
        throw new ReportError('REPORT_STORE_UNAVAILABLE', `report migration ${m.version} (${m.name}) failed: ${(cause as Error).message}`, { cause });
      }
      await q.run('INSERT INTO rpt_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
    }
  });
}

export class ReportFacts {
  constructor(private readonly db: SqlDb) {}

  init(): Promise<void> { return migrateReports(this.db); }
  close(): Promise<void> { return this.db.close(); }

  async recordState(gatewayId: string, online: boolean, at: number): Promise<void> {
    await this.db.run('INSERT INTO rpt_gateway_states (gateway_id, at, online) VALUES (?, ?, ?) ON CONFLICT (gateway_id, at) DO NOTHING', [gatewayId, Math.round(at), online ? 1 : 0]);
  }

  /** valve_opened starts a run; valve_closed ends the newest open run of that valve. */
  async recordValve(gatewayId: string, e: { kind: string; zone?: string | undefined; valve?: string | undefined; ts: number }): Promise<void> {
    if (!e.valve) return;
    if (e.kind === 'valve_opened') {
      await this.db.run(`INSERT INTO rpt_valve_runs (gateway_id, zone, valve, opened_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (gateway_id, valve, opened_at) DO NOTHING`, [gatewayId, e.zone ?? null, e.valve, Math.round(e.ts)]);
    } else if (e.kind === 'valve_closed') {
      await this.db.tx((q) => closeRun(q, gatewayId, e.valve!, Math.round(e.ts)));
    }
  }

  /** A whole run at once (history import): idempotent on (gateway, valve, openedAt). */
  async recordRun(r: ValveRunFact): Promise<void> {
    await this.db.run(`INSERT INTO rpt_valve_runs (gateway_id, zone, valve, opened_at, closed_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (gateway_id, valve, opened_at) DO NOTHING`, [r.gatewayId, r.zone, r.valve, Math.round(r.openedAt), r.closedAt === null ? null : Math.round(r.closedAt)]);
  }

  async recordMission(m: MissionFact): Promise<void> {
    await this.db.run(`INSERT INTO rpt_missions (mission_id, farm_id, flown_at, area_ha, litres) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (mission_id) DO UPDATE SET farm_id = excluded.farm_id, flown_at = excluded.flown_at, area_ha = excluded.area_ha, litres = excluded.litres`,
    [m.missionId, m.farmId, Math.round(m.flownAt), m.areaHa, m.litres]);
  }

  /** One row per user and calendar day (Vietnam time): enough for "active in the last 30 days". */
  async recordUserActive(userId: string, at: number): Promise<void> {
    await this.db.run('INSERT INTO rpt_user_activity (user_id, day) VALUES (?, ?) ON CONFLICT (user_id, day) DO NOTHING', [userId, dayOf(at)]);
  }

  /**
   * Many facts in one transaction, as multi-row inserts (a history import: hundreds of rows in a
   * few round trips, which matters on PostgreSQL). Same idempotence as the single writes.
   */
  async recordMany(f: { states?: StateFact[]; runs?: ValveRunFact[]; missions?: MissionFact[]; activity?: { userId: string; at: number }[] }): Promise<void> {
    const r = Math.round;
    await this.db.tx(async (q) => {
      await insertMany(q, 'rpt_gateway_states (gateway_id, at, online)', (f.states ?? []).map((x) => [x.gatewayId, r(x.at), x.online ? 1 : 0]), '(gateway_id, at) DO NOTHING');
      await insertMany(q, 'rpt_valve_runs (gateway_id, zone, valve, opened_at, closed_at)', (f.runs ?? []).map((x) => [x.gatewayId, x.zone, x.valve, r(x.openedAt), x.closedAt === null ? null : r(x.closedAt)]), '(gateway_id, valve, opened_at) DO NOTHING');
      await insertMany(q, 'rpt_missions (mission_id, farm_id, flown_at, area_ha, litres)', (f.missions ?? []).map((x) => [x.missionId, x.farmId, r(x.flownAt), x.areaHa, x.litres]), '(mission_id) DO NOTHING');
      const days = [...new Map((f.activity ?? []).map((x) => [`${x.userId}/${dayOf(x.at)}`, [x.userId, dayOf(x.at)] as SqlValue[]])).values()];
      await insertMany(q, 'rpt_user_activity (user_id, day)', days, '(user_id, day) DO NOTHING');
    });
  }

  /** every state change before `until` (the timeline needs the state in force at a range's start) */
  async states(until: number): Promise<StateFact[]> {
    const rows = await this.db.query<Row>('SELECT * FROM rpt_gateway_states WHERE at < ? ORDER BY gateway_id, at', [until]);
    return rows.map((r) => ({ gatewayId: String(r.gateway_id), at: Number(r.at), online: Number(r.online) === 1 }));
  }

  /** runs that overlap [from, to); a run still open counts from its start */
  async runs(from: number, to: number): Promise<ValveRunFact[]> {
    const rows = await this.db.query<Row>(`SELECT * FROM rpt_valve_runs WHERE opened_at < ? AND (closed_at IS NULL OR closed_at > ?)
      ORDER BY gateway_id, opened_at`, [to, from]);
    return rows.map((r) => ({ gatewayId: String(r.gateway_id), zone: r.zone === null ? null : String(r.zone), valve: String(r.valve),
      openedAt: Number(r.opened_at), closedAt: r.closed_at === null ? null : Number(r.closed_at) }));
  }

  async missions(from: number, to: number): Promise<MissionFact[]> {
    const rows = await this.db.query<Row>('SELECT * FROM rpt_missions WHERE flown_at >= ? AND flown_at < ? ORDER BY flown_at', [from, to]);
    return rows.map((r) => ({ missionId: String(r.mission_id), farmId: String(r.farm_id), flownAt: Number(r.flown_at), areaHa: Number(r.area_ha), litres: Number(r.litres) }));
  }

  async activity(fromDay: string, toDay: string): Promise<ActivityFact[]> {
    const rows = await this.db.query<Row>('SELECT * FROM rpt_user_activity WHERE day >= ? AND day <= ? ORDER BY day', [fromDay, toDay]);
    return rows.map((r) => ({ userId: String(r.user_id), day: String(r.day) }));
  }

  /** rows per table: for tests and the demo's log line */
  async counts(): Promise<Record<'states' | 'runs' | 'missions' | 'activity', number>> {
    const n = async (t: string) => Number((await this.db.query<Row>(`SELECT COUNT(*) AS n FROM ${t}`))[0]?.n ?? 0);
    return { states: await n('rpt_gateway_states'), runs: await n('rpt_valve_runs'), missions: await n('rpt_missions'), activity: await n('rpt_user_activity') };
  }
}

async function insertMany(q: SqlRunner, into: string, rows: SqlValue[][], conflict: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const one = `(${chunk[0]!.map(() => '?').join(', ')})`;
    await q.run(`INSERT INTO ${into} VALUES ${chunk.map(() => one).join(', ')} ON CONFLICT ${conflict}`, chunk.flat());
  }
}

async function closeRun(q: SqlRunner, gatewayId: string, valve: string, ts: number): Promise<void> {
  const open = (await q.query<Row>(`SELECT opened_at FROM rpt_valve_runs WHERE gateway_id = ? AND valve = ? AND closed_at IS NULL AND opened_at <= ?
    ORDER BY opened_at DESC LIMIT 1`, [gatewayId, valve, ts]))[0];
  if (!open) return; // a close without a seen open (pruned, or before reporting began): nothing to time
  await q.run('UPDATE rpt_valve_runs SET closed_at = ? WHERE gateway_id = ? AND valve = ? AND opened_at = ?', [ts, gatewayId, valve, Number(open.opened_at)]);
}
