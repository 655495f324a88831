import type { Kysely } from 'kysely';
import { DbError } from '../db/errors.js';
import type { Db, Tables } from '../db/index.js';
import { ReportError } from './errors.js';
import { dayOf } from './months.js';

/**
 * Report facts: the history the registry does not keep. The registry holds each gateway's
 * current online state only and prunes events to the last 200 per gateway, so a year of uptime
 * and valve running time needs its own rows. Tables start with `rpt_` (migrations in
 * migrations.ts) and hold no foreign keys into `reg_*`. Every insert is idempotent; times are
 * whole milliseconds (BIGINT in PostgreSQL).
 */
export interface StateFact {
  gatewayId: string;
  at: number;
  online: boolean;
}
export interface ValveRunFact {
  gatewayId: string;
  zone: string | null;
  valve: string;
  openedAt: number;
  closedAt: number | null;
}
export interface MissionFact {
  missionId: string;
  farmId: string;
  flownAt: number;
  areaHa: number;
  litres: number;
}
export interface ActivityFact {
  userId: string;
  day: string;
}

// a multi-row insert stays well under SQLite's 32766 bound parameters
const CHUNK = 200;
const r = Math.round;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export class ReportFacts {
  constructor(private readonly db: Db) {}

  async init(): Promise<void> {
    try {
      await this.db.migrate();
    } catch (cause) {
      if (cause instanceof DbError) throw new ReportError('REPORT_STORE_UNAVAILABLE', cause.message, { cause });
      throw cause;
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }

  get #k(): Kysely<Tables> {
    return this.db.kysely;
  }

  async recordState(gatewayId: string, online: boolean, at: number): Promise<void> {
    await this.#k
      .insertInto('rpt_gateway_states')
      .values({ gateway_id: gatewayId, at: r(at), online: online ? 1 : 0 })
      .onConflict((oc) => oc.columns(['gateway_id', 'at']).doNothing())
      .execute();
  }

  /** valve_opened starts a run; valve_closed ends the newest open run of that valve. */
  async recordValve(
    gatewayId: string,
    e: { kind: string; zone?: string | undefined; valve?: string | undefined; ts: number },
  ): Promise<void> {
    const valve = e.valve;
    if (!valve) return;
    if (e.kind === 'valve_opened') {
      await this.recordRun({ gatewayId, zone: e.zone ?? null, valve, openedAt: e.ts, closedAt: null });
    } else if (e.kind === 'valve_closed') {
      await this.#k.transaction().execute((trx) => closeRun(trx, gatewayId, valve, r(e.ts)));
    }
  }

  /** A whole run at once (history import): idempotent on (gateway, valve, openedAt). */
  async recordRun(run: ValveRunFact): Promise<void> {
    await this.#k
      .insertInto('rpt_valve_runs')
      .values(runRow(run))
      .onConflict((oc) => oc.columns(['gateway_id', 'valve', 'opened_at']).doNothing())
      .execute();
  }

  async recordMission(m: MissionFact): Promise<void> {
    await this.#k
      .insertInto('rpt_missions')
      .values(missionRow(m))
      .onConflict((oc) =>
        oc.column('mission_id').doUpdateSet((eb) => ({
          farm_id: eb.ref('excluded.farm_id'),
          flown_at: eb.ref('excluded.flown_at'),
          area_ha: eb.ref('excluded.area_ha'),
          litres: eb.ref('excluded.litres'),
        })),
      )
      .execute();
  }

  /** One row per user and calendar day (Vietnam time): enough for "active in the last 30 days". */
  async recordUserActive(userId: string, at: number): Promise<void> {
    await this.#k
      .insertInto('rpt_user_activity')
      .values({ user_id: userId, day: dayOf(at) })
      .onConflict((oc) => oc.columns(['user_id', 'day']).doNothing())
      .execute();
  }

  /**
   * Many facts in one transaction, as multi-row inserts (a history import: hundreds of rows in a
   * few round trips, which matters on PostgreSQL). Same idempotence as the single writes.
   */
  async recordMany(f: {
    states?: StateFact[];
    runs?: ValveRunFact[];
    missions?: MissionFact[];
    activity?: { userId: string; at: number }[];
  }): Promise<void> {
    const days = [
      ...new Map(
        (f.activity ?? []).map((x) => [`${x.userId}/${dayOf(x.at)}`, { user_id: x.userId, day: dayOf(x.at) }]),
      ).values(),
    ];
    await this.#k.transaction().execute(async (trx) => {
      for (const c of chunks(f.states ?? [])) {
        await trx
          .insertInto('rpt_gateway_states')
          .values(c.map((x) => ({ gateway_id: x.gatewayId, at: r(x.at), online: x.online ? 1 : 0 })))
          .onConflict((oc) => oc.columns(['gateway_id', 'at']).doNothing())
          .execute();
      }
      for (const c of chunks(f.runs ?? [])) {
        await trx
          .insertInto('rpt_valve_runs')
          .values(c.map(runRow))
          .onConflict((oc) => oc.columns(['gateway_id', 'valve', 'opened_at']).doNothing())
          .execute();
      }
      for (const c of chunks(f.missions ?? [])) {
        await trx
          .insertInto('rpt_missions')
          .values(c.map(missionRow))
          .onConflict((oc) => oc.column('mission_id').doNothing())
          .execute();
      }
      for (const c of chunks(days)) {
        await trx
          .insertInto('rpt_user_activity')
          .values(c)
          .onConflict((oc) => oc.columns(['user_id', 'day']).doNothing())
          .execute();
      }
    });
  }

  /** every state change before `until` (the timeline needs the state in force at a range's start) */
  async states(until: number): Promise<StateFact[]> {
    const rows = await this.#k
      .selectFrom('rpt_gateway_states')
      .selectAll()
      .where('at', '<', until)
      .orderBy('gateway_id')
      .orderBy('at')
      .execute();
    return rows.map((x) => ({ gatewayId: x.gateway_id, at: Number(x.at), online: Number(x.online) === 1 }));
  }

  /** runs that overlap [from, to); a run still open counts from its start */
  async runs(from: number, to: number): Promise<ValveRunFact[]> {
    const rows = await this.#k
      .selectFrom('rpt_valve_runs')
      .selectAll()
      .where('opened_at', '<', to)
      .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>', from)]))
      .orderBy('gateway_id')
      .orderBy('opened_at')
      .execute();
    return rows.map((x) => ({
      gatewayId: x.gateway_id,
      zone: x.zone,
      valve: x.valve,
      openedAt: Number(x.opened_at),
      closedAt: x.closed_at === null ? null : Number(x.closed_at),
    }));
  }

  async missions(from: number, to: number): Promise<MissionFact[]> {
    const rows = await this.#k
      .selectFrom('rpt_missions')
      .selectAll()
      .where('flown_at', '>=', from)
      .where('flown_at', '<', to)
      .orderBy('flown_at')
      .execute();
    return rows.map((x) => ({
      missionId: x.mission_id,
      farmId: x.farm_id,
      flownAt: Number(x.flown_at),
      areaHa: Number(x.area_ha),
      litres: Number(x.litres),
    }));
  }

  async activity(fromDay: string, toDay: string): Promise<ActivityFact[]> {
    const rows = await this.#k
      .selectFrom('rpt_user_activity')
      .selectAll()
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .orderBy('day')
      .execute();
    return rows.map((x) => ({ userId: x.user_id, day: x.day }));
  }

  /** rows per table: for tests and the demo's log line */
  async counts(): Promise<Record<'states' | 'runs' | 'missions' | 'activity', number>> {
    const n = async (t: 'rpt_gateway_states' | 'rpt_valve_runs' | 'rpt_missions' | 'rpt_user_activity') =>
      Number(
        (
          await this.#k
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      );
    return {
      states: await n('rpt_gateway_states'),
      runs: await n('rpt_valve_runs'),
      missions: await n('rpt_missions'),
      activity: await n('rpt_user_activity'),
    };
  }
}

const runRow = (x: ValveRunFact) => ({
  gateway_id: x.gatewayId,
  zone: x.zone,
  valve: x.valve,
  opened_at: r(x.openedAt),
  closed_at: x.closedAt === null ? null : r(x.closedAt),
});
const missionRow = (x: MissionFact) => ({
  mission_id: x.missionId,
  farm_id: x.farmId,
  flown_at: r(x.flownAt),
  area_ha: x.areaHa,
  litres: x.litres,
});

async function closeRun(k: Kysely<Tables>, gatewayId: string, valve: string, ts: number): Promise<void> {
  const open = await k
    .selectFrom('rpt_valve_runs')
    .select('opened_at')
    .where('gateway_id', '=', gatewayId)
    .where('valve', '=', valve)
    .where('closed_at', 'is', null)
    .where('opened_at', '<=', ts)
    .orderBy('opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!open) return; // a close without a seen open (pruned, or before reporting began): nothing to time
  await k
    .updateTable('rpt_valve_runs')
    .set({ closed_at: ts })
    .where('gateway_id', '=', gatewayId)
    .where('valve', '=', valve)
    .where('opened_at', '=', Number(open.opened_at))
    .execute();
}
