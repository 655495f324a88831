import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { log as rootLog, type Logger } from '../../lib/log.js';
import {
  StoreError,
  type LatestReading,
  type RangeQuery,
  type Series,
  type StoreHealth,
  type StoredReading,
  type TelemetryStore,
  type WriteResult,
} from './store.js';

export interface SqliteStoreOptions {
  /** the file shared with the registry: tables here are prefixed `telemetry_` */
  file: string;
  log?: Logger;
}

interface Row {
  sensor: string;
  metric: string;
  unit: string;
  ts: number;
  value: number | null;
  quality: 'good' | 'bad';
}
interface BucketRow {
  sensor: string;
  metric: string;
  bucket: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

/** Telemetry in SQLite (the embedded default): one row per (gateway, sensor, metric, ts). */
export class SqliteTelemetryStore implements TelemetryStore {
  readonly kind = 'sqlite' as const;
  private db: Database.Database | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: SqliteStoreOptions) {
    this.log = (opts.log ?? rootLog).child({ mod: 'telemetry-sqlite' });
  }

  async init(): Promise<void> {
    fs.mkdirSync(path.dirname(this.opts.file), { recursive: true });
    const db = new Database(this.opts.file);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash; only an OS crash may lose the last commits
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS telemetry_readings (
        gateway TEXT NOT NULL, sensor TEXT NOT NULL, metric TEXT NOT NULL, ts INTEGER NOT NULL,
        value REAL, unit TEXT NOT NULL, quality TEXT NOT NULL, fault TEXT,
        PRIMARY KEY (gateway, metric, sensor, ts)
      ) WITHOUT ROWID;
    `);
    this.db = db;
    this.log.info({ file: this.opts.file }, 'telemetry store ready (SQLite)');
  }

  private get conn(): Database.Database {
    if (!this.db)
      throw new StoreError('STORE_UNAVAILABLE', 'SQLite telemetry store used before init() or after close()');
    return this.db;
  }

  async write(points: StoredReading[]): Promise<WriteResult> {
    if (points.length === 0) return { written: 0, rejected: 0 };
    const db = this.conn;
    // identity = primary key: a replayed point replaces the row, never doubles it
    const stmt =
      db.prepare(`INSERT OR REPLACE INTO telemetry_readings (gateway, sensor, metric, ts, value, unit, quality, fault)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const tx = db.transaction((pts: StoredReading[]) => {
      for (const p of pts)
        stmt.run(p.gatewayId, p.sensor, p.metric, p.ts, p.value, p.unit, p.quality ?? 'good', p.fault ?? null);
    });
    try {
      tx(points);
    } catch (cause) {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `SQLite write of ${points.length} readings failed: ${(cause as Error).message}`,
        { cause },
      );
    }
    return { written: points.length, rejected: 0 };
  }

  async query(q: RangeQuery): Promise<Series[]> {
    const db = this.conn;
    const where = ['gateway = @gatewayId', 'ts >= @from', 'ts < @to'];
    if (q.metric) where.push('metric = @metric');
    if (q.sensor) where.push('sensor = @sensor');
    const params = {
      gatewayId: q.gatewayId,
      from: q.from,
      to: q.to,
      metric: q.metric ?? null,
      sensor: q.sensor ?? null,
      every: q.everyMs ?? 1,
    };
    const units = new Map<string, string>();
    // bare column `unit` comes from the row holding max(ts) (SQLite guarantees it)
    for (const r of db
      .prepare(
        `SELECT sensor, metric, unit, max(ts) AS ts FROM telemetry_readings WHERE ${where.join(' AND ')} GROUP BY sensor, metric`,
      )
      .all(params) as Row[]) {
      units.set(`${r.sensor}\u0000${r.metric}`, r.unit);
    }
    where.push(`quality = 'good'`);
    const rows: BucketRow[] = q.everyMs
      ? (db
          .prepare(
            `SELECT sensor, metric, (ts / CAST(@every AS INTEGER)) * CAST(@every AS INTEGER) AS bucket, avg(value) AS mean, min(value) AS min, max(value) AS max, count(value) AS count
          FROM telemetry_readings WHERE ${where.join(' AND ')} GROUP BY sensor, metric, bucket ORDER BY sensor, metric, bucket`,
          )
          .all(params) as BucketRow[])
      : (db
          .prepare(
            `SELECT sensor, metric, ts AS bucket, value AS mean, value AS min, value AS max, 1 AS count
          FROM telemetry_readings WHERE ${where.join(' AND ')} ORDER BY sensor, metric, ts`,
          )
          .all(params) as BucketRow[]);
    const out = new Map<string, Series>();
    for (const r of rows) {
      const key = `${r.sensor}\u0000${r.metric}`;
      let s = out.get(key);
      if (!s)
        out.set(
          key,
          (s = { gatewayId: q.gatewayId, sensor: r.sensor, metric: r.metric, unit: units.get(key) ?? '', points: [] }),
        );
      s.points.push({ ts: r.bucket, mean: r.mean, min: r.min, max: r.max, count: r.count });
    }
    return [...out.values()];
  }

  async latest(gatewayId: string): Promise<LatestReading[]> {
    const rows = this.conn
      .prepare(
        `SELECT sensor, metric, max(ts) AS ts, value, unit, quality, fault FROM telemetry_readings
      WHERE gateway = ? GROUP BY sensor, metric ORDER BY sensor, metric`,
      )
      .all(gatewayId) as Array<Row & { fault: string | null }>;
    return rows.map((r) => ({
      gatewayId,
      sensor: r.sensor,
      metric: r.metric,
      unit: r.unit,
      value: r.value,
      quality: r.quality,
      ts: r.ts,
      ...(r.fault ? { fault: r.fault } : {}),
    }));
  }

  async health(): Promise<StoreHealth> {
    try {
      this.conn.prepare('SELECT 1').get();
      return { ok: true, kind: 'sqlite', detail: this.opts.file };
    } catch (err) {
      return { ok: false, kind: 'sqlite', detail: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }
}
