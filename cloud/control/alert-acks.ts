import type { Db } from '../db/index.js';

/** A person's acknowledgement of one alert occurrence (alert id + its start time). */
export interface AlertAck {
  alertId: string;
  since: number | null;
  farmId: string;
  by: string;
  at: number;
}

export interface AlertAckStore {
  /** records it; an occurrence already acknowledged keeps its first acknowledgement, which is returned */
  ack(a: AlertAck): Promise<AlertAck>;
  /** the acknowledgements of these alert ids (any occurrence) */
  forAlerts(alertIds: readonly string[]): Promise<AlertAck[]>;
}

export const sinceKey = (since: number | null): string => (since === null ? '' : String(since));
const key = (alertId: string, since: number | null) => `${alertId}@${sinceKey(since)}`;

export class MemoryAlertAckStore implements AlertAckStore {
  private readonly acks = new Map<string, AlertAck>();
  async ack(a: AlertAck) {
    const k = key(a.alertId, a.since);
    const had = this.acks.get(k);
    if (had) return had;
    this.acks.set(k, a);
    return a;
  }
  async forAlerts(ids: readonly string[]) {
    const want = new Set(ids);
    return [...this.acks.values()].filter((a) => want.has(a.alertId));
  }
}

interface AckTable {
  alert_id: string;
  since_key: string;
  farm_id: string;
  acked_by: string;
  acked_at: number;
}

/** On the process's database (table `alr_acks`, migrations in alert-migrations.ts). */
export class SqlAlertAckStore implements AlertAckStore {
  constructor(private readonly db: Db) {}
  private get k() {
    return this.db.kysely.withTables<{ alr_acks: AckTable }>();
  }

  async ack(a: AlertAck) {
    const row = {
      alert_id: a.alertId,
      since_key: sinceKey(a.since),
      farm_id: a.farmId,
      acked_by: a.by,
      acked_at: a.at,
    };
    await this.k
      .insertInto('alr_acks')
      .values(row)
      .onConflict((oc) => oc.columns(['alert_id', 'since_key']).doNothing())
      .execute();
    const [first] = await this.forKeys(a.alertId, row.since_key);
    return first ?? a;
  }

  async forAlerts(ids: readonly string[]) {
    if (!ids.length) return [];
    const rows = await this.k
      .selectFrom('alr_acks')
      .selectAll()
      .where('alert_id', 'in', [...new Set(ids)].slice(0, 1000))
      .execute();
    return rows.map(toAck);
  }

  private async forKeys(alertId: string, since: string) {
    const rows = await this.k
      .selectFrom('alr_acks')
      .selectAll()
      .where('alert_id', '=', alertId)
      .where('since_key', '=', since)
      .execute();
    return rows.map(toAck);
  }
}

function toAck(r: AckTable): AlertAck {
  return {
    alertId: r.alert_id,
    since: r.since_key === '' ? null : Number(r.since_key),
    farmId: r.farm_id,
    by: r.acked_by,
    at: Number(r.acked_at),
  };
}
