import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Reading } from '../../protocol/index.js';
import { UplinkError } from './errors.js';

/** The uplink channels a queued message can go to. */
export type OutChannel = 'telemetry' | 'event' | 'config/ack' | 'cmd/ack';

export interface QueuedMessage {
  id: number;
  channel: OutChannel;
  payload: string;
}

export interface DropReport {
  readings: number;
  events: number;
  messages: number;
}

export interface QueueStats {
  /** messages waiting for a PUBACK (or to be sent) */
  messages: number;
  /** readings in those messages plus readings not yet sealed into a message */
  readings: number;
  pendingReadings: number;
  /** weight in use against the capacity (readings; an event or ack weighs 1) */
  weight: number;
  droppedReadings: number;
  droppedEvents: number;
  droppedMessages: number;
}

export interface DiskQueueOptions {
  /** bound of the outbox, in readings (an event or an ack counts as one) */
  capacityReadings: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  weight INTEGER NOT NULL,
  readings INTEGER NOT NULL,
  -- last: counting and evicting must not read a payload's overflow pages
  payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  readings TEXT NOT NULL,
  n INTEGER NOT NULL,
  created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS seen_commands (
  id TEXT PRIMARY KEY,
  keep_until INTEGER NOT NULL,
  outcome TEXT NOT NULL
);
`;

const _COUNTERS = [
  'dropped_readings',
  'dropped_events',
  'dropped_messages',
  'unreported_readings',
  'unreported_events',
  'unreported_messages',
] as const;
type Counter = (typeof _COUNTERS)[number];

/**
 * Bounded store-and-forward queue on SQLite (WAL, synchronous=FULL): a row is on disk before
 * anyone tries to send it and leaves only when the broker has acknowledged it. Row ids only
 * grow (AUTOINCREMENT), so "id order" is "production order" across restarts.
 */
export class DiskQueue {
  readonly file: string;
  private readonly db: Database.Database;
  private capacity: number;
  private weightInUse = 0;
  private messagesN = 0;
  private readingsN = 0;
  private pendingN = 0;
  /** ids the sender has on the wire: eviction skips them (they may be acked any moment) */
  protect: (id: number) => boolean = () => false;

  constructor(dir: string, opts: DiskQueueOptions) {
    this.capacity = opts.capacityReadings;
    this.file = path.join(dir, 'uplink-queue.sqlite');
    try {
      fs.mkdirSync(dir, { recursive: true });
      this.db = new Database(this.file);
      this.db.pragma('journal_mode = WAL');
      // FULL: a committed row survives power loss, not only a killed process
      this.db.pragma('synchronous = FULL');
      // a week's backlog drained leaves a large WAL behind otherwise
      this.db.pragma('journal_size_limit = 8388608');
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new UplinkError(
        'UPLINK_QUEUE_OPEN_FAILED',
        `cannot open the uplink queue at ${this.file}: check the data directory is writable and not full`,
        { cause: err },
      );
    }
    const sums = this.db
      .prepare('SELECT COUNT(*) AS m, COALESCE(SUM(weight), 0) AS w, COALESCE(SUM(readings), 0) AS r FROM outbox')
      .get() as { m: number; w: number; r: number };
    this.weightInUse = sums.w;
    this.messagesN = sums.m;
    this.readingsN = sums.r;
    this.pendingN = (this.db.prepare('SELECT COALESCE(SUM(n), 0) AS n FROM pending').get() as { n: number }).n;
  }

  /** Readings accepted but not yet sealed into a telemetry message; durable on return. */
  addPending(readings: Reading[], now: number): number {
    if (readings.length === 0) return this.pendingN;
    this.db
      .prepare('INSERT INTO pending (readings, n, created) VALUES (?, ?, ?)')
      .run(JSON.stringify(readings), readings.length, now);
    this.pendingN += readings.length;
    return this.pendingN;
  }

  get pendingReadings(): number {
    return this.pendingN;
  }

  /** When the oldest unsealed reading was accepted (for the batch timer), or null. */
  pendingSince(): number | null {
    const row = this.db.prepare('SELECT created FROM pending ORDER BY id LIMIT 1').get() as
      { created: number } | undefined;
    return row?.created ?? null;
  }

  /**
   * Moves pending readings into telemetry messages of `maxPerMessage` readings, in one
   * transaction: a crash leaves them either pending or sealed, never both. With `fullOnly` a
   * remainder smaller than a message stays pending (so an outage builds full messages).
   */
  sealPending(maxPerMessage: number, build: (readings: Reading[]) => string, fullOnly = false): number {
    if (this.pendingN === 0 || (fullOnly && this.pendingN < maxPerMessage)) return 0;
    let sealed = 0;
    let left = 0;
    this.db.transaction(() => {
      const rows = this.db.prepare('SELECT readings, created FROM pending ORDER BY id').all() as {
        readings: string;
        created: number;
      }[];
      const all = rows.flatMap((r) => JSON.parse(r.readings) as Reading[]);
      const end = fullOnly ? all.length - (all.length % maxPerMessage) : all.length;
      for (let i = 0; i < end; i += maxPerMessage) {
        const chunk = all.slice(i, Math.min(i + maxPerMessage, end));
        this.insert('telemetry', build(chunk), chunk.length, chunk.length);
        sealed++;
      }
      this.db.prepare('DELETE FROM pending').run();
      if (end < all.length) {
        const rest = all.slice(end);
        this.db
          .prepare('INSERT INTO pending (readings, n, created) VALUES (?, ?, ?)')
          .run(JSON.stringify(rest), rest.length, rows.at(-1)!.created);
        left = rest.length;
      }
      this.evictOverflow();
    })();
    this.pendingN = left;
    return sealed;
  }

  /** Appends one message (an event weighs 1) and evicts the oldest if over capacity. */
  enqueue(channel: OutChannel, payload: string, weight = 1, readings = 0): number {
    return this.db.transaction(() => {
      const id = this.insert(channel, payload, weight, readings);
      this.evictOverflow();
      return id;
    })();
  }

  private insert(channel: OutChannel, payload: string, weight: number, readings: number): number {
    const r = this.db
      .prepare('INSERT INTO outbox (channel, payload, weight, readings) VALUES (?, ?, ?, ?)')
      .run(channel, payload, weight, readings);
    this.weightInUse += weight;
    this.messagesN += 1;
    this.readingsN += readings;
    return Number(r.lastInsertRowid);
  }

  /** Drops the oldest messages (never one on the wire) until the weight fits; counts every drop. */
  private evictOverflow(): void {
    let afterId = 0;
    const pick = this.db.prepare('SELECT id, channel, weight, readings FROM outbox WHERE id > ? ORDER BY id LIMIT 64');
    const del = this.db.prepare('DELETE FROM outbox WHERE id = ?');
    while (this.weightInUse > this.capacity) {
      const rows = pick.all(afterId) as { id: number; channel: OutChannel; weight: number; readings: number }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        afterId = row.id;
        if (this.weightInUse <= this.capacity) break;
        if (this.protect(row.id)) continue;
        del.run(row.id);
        this.weightInUse -= row.weight;
        this.messagesN -= 1;
        this.readingsN -= row.readings;
        const isEvent = row.channel !== 'telemetry';
        this.bump({
          dropped_readings: row.readings,
          dropped_events: isEvent ? 1 : 0,
          dropped_messages: 1,
          unreported_readings: row.readings,
          unreported_events: isEvent ? 1 : 0,
          unreported_messages: 1,
        });
      }
    }
  }

  private bump(by: Partial<Record<Counter, number>>): void {
    const up = this.db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value',
    );
    for (const [k, v] of Object.entries(by)) if (v) up.run(k, v);
  }

  private counter(key: Counter): number {
    return (
      (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: number } | undefined)?.value ?? 0
    );
  }

  /**
   * If drops happened since the last report, enqueues the report built by `build` and zeroes the
   * unreported counters in the same transaction (a crash cannot lose or double a report).
   */
  reportDrops(build: (unreported: DropReport, total: DropReport) => string): DropReport | null {
    return this.db.transaction(() => {
      const unreported = {
        readings: this.counter('unreported_readings'),
        events: this.counter('unreported_events'),
        messages: this.counter('unreported_messages'),
      };
      if (unreported.messages === 0) return null;
      const total = {
        readings: this.counter('dropped_readings'),
        events: this.counter('dropped_events'),
        messages: this.counter('dropped_messages'),
      };
      this.db.prepare("UPDATE meta SET value = 0 WHERE key LIKE 'unreported_%'").run();
      this.enqueue('event', build(unreported, total), 1, 0);
      return unreported;
    })();
  }

  /** Messages with from < id ≤ upTo (or unbounded), oldest first. */
  next(from: number, upTo: number | null, limit: number): QueuedMessage[] {
    return (
      upTo === null
        ? this.db.prepare('SELECT id, channel, payload FROM outbox WHERE id > ? ORDER BY id LIMIT ?').all(from, limit)
        : this.db
            .prepare('SELECT id, channel, payload FROM outbox WHERE id > ? AND id <= ? ORDER BY id LIMIT ?')
            .all(from, upTo, limit)
    ) as QueuedMessage[];
  }

  maxId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM outbox').get() as { m: number }).m;
  }

  /** Deletes acknowledged messages in one transaction; returns the readings they held. */
  remove(ids: readonly number[]): number {
    if (ids.length === 0) return 0;
    const del = this.db.prepare('DELETE FROM outbox WHERE id = ? RETURNING weight, readings');
    let readings = 0;
    this.db.transaction(() => {
      for (const id of ids) {
        const row = del.get(id) as { weight: number; readings: number } | undefined;
        if (row) {
          this.weightInUse -= row.weight;
          this.messagesN -= 1;
          this.readingsN -= row.readings;
          readings += row.readings;
        }
      }
    })();
    return readings;
  }

  stats(): QueueStats {
    return {
      messages: this.messagesN,
      readings: this.readingsN + this.pendingN,
      pendingReadings: this.pendingN,
      weight: this.weightInUse,
      droppedReadings: this.counter('dropped_readings'),
      droppedEvents: this.counter('dropped_events'),
      droppedMessages: this.counter('dropped_messages'),
    };
  }

  /** Outcome of a command id seen before, or null. */
  seenCommand(id: string): string | null {
    return (
      (this.db.prepare('SELECT outcome FROM seen_commands WHERE id = ?').get(id) as { outcome: string } | undefined)
        ?.outcome ?? null
    );
  }

  /** Durably remembers a command id (before it runs, so a crash mid-command never runs it twice). */
  rememberCommand(id: string, keepUntil: number, outcome: string): void {
    this.db
      .prepare(
        'INSERT INTO seen_commands (id, keep_until, outcome) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET outcome = excluded.outcome',
      )
      .run(id, keepUntil, outcome);
  }

  forgetCommandsBefore(now: number): number {
    return this.db.prepare('DELETE FROM seen_commands WHERE keep_until < ?').run(now).changes;
  }

  /** Bulk load for benchmarks and tests: many messages in one transaction. */
  enqueueMany(items: { channel: OutChannel; payload: string; weight: number; readings: number }[]): void {
    this.db.transaction(() => {
      for (const it of items) this.insert(it.channel, it.payload, it.weight, it.readings);
      this.evictOverflow();
    })();
  }

  /** The bound in force (readings); lowering it evicts the oldest at once (counted as drops). */
  get capacityReadings(): number {
    return this.capacity;
  }

  setCapacity(readings: number): void {
    if (readings === this.capacity) return;
    this.capacity = readings;
    this.db.transaction(() => this.evictOverflow())();
  }

  /** Bytes on disk (database + WAL). */
  diskBytes(): number {
    return [this.file, `${this.file}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
