import type { Logger } from '../../lib/log.js';
import type { DiskQueue, QueuedMessage } from './disk-queue.js';

export type SendFn = (msg: QueuedMessage, done: (err?: Error) => void) => void;

export interface ForwarderOptions {
  /** messages on the wire awaiting PUBACK at once */
  maxInflight: number;
  /** cap on backlog messages per second (fresh messages are not capped) */
  drainPerSecond: number;
}

/**
 * Sends queued messages and deletes them on PUBACK. What was in the queue when the link came up is
 * the backlog: it drains oldest first at a capped rate, while messages queued after that ("fresh")
 * go out at once, so a day of backlog never delays the current water level.
 *
 * A message on the wire stays in mqtt.js' in-memory store too, and mqtt.js resends it (DUP) on
 * reconnect within this process; the forwarder therefore never resends an id it has in flight,
 * and only a new process (which has no mqtt.js store) resends it from disk.
 */
export class Forwarder {
  private readonly inflight = new Set<number>();
  private readonly acked: number[] = [];
  private connected = false;
  private boundary = 0;
  private backlogCursor = 0;
  private freshCursor = 0;
  private tokens = 0;
  private lastRefill = performance.now();
  private drainTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private stopped = false;
  sentMessages = 0;
  sentReadings = 0;

  constructor(
    private readonly queue: DiskQueue,
    private readonly send: SendFn,
    private readonly opts: ForwarderOptions,
    private readonly log: Logger,
  ) {
    queue.protect = (id) => this.inflight.has(id);
  }

  /** The link is up: everything queued so far is backlog. */
  onConnect(): void {
    this.connected = true;
    this.boundary = this.queue.maxId();
    this.backlogCursor = 0;
    this.freshCursor = this.boundary;
    this.tokens = Math.min(this.opts.drainPerSecond, this.opts.maxInflight);
    this.lastRefill = performance.now();
    this.pump();
  }

  onDisconnect(): void {
    this.connected = false;
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  /** True while the backlog of this connection is still going out. */
  get draining(): boolean {
    return this.connected && this.backlogCursor < this.boundary;
  }

  pump(): void {
    if (!this.connected || this.pumping) return;
    this.pumping = true;
    try {
      this.sendFresh();
      this.sendBacklog();
    } catch (err) {
      // a queue read failed (disk error): the next pump or reconnect tries again
      this.log.error({ err }, 'cannot read the uplink queue');
    } finally {
      this.pumping = false;
    }
  }

  private room(): number {
    return this.opts.maxInflight - this.inflight.size;
  }

  private sendFresh(): void {
    while (this.connected && this.room() > 0) {
      const rows = this.queue.next(this.freshCursor, null, this.room());
      if (rows.length === 0) return;
      for (const row of rows) {
        this.freshCursor = row.id;
        this.dispatch(row);
      }
    }
  }

  private sendBacklog(): void {
    const now = performance.now();
    this.tokens = Math.min(
      Math.max(1, this.opts.drainPerSecond),
      this.tokens + ((now - this.lastRefill) / 1000) * this.opts.drainPerSecond,
    );
    this.lastRefill = now;
    while (this.connected && this.backlogCursor < this.boundary && this.room() > 0 && this.tokens >= 1) {
      const want = Math.min(this.room(), Math.floor(this.tokens));
      // payloads are large: read only as many rows as may be sent now
      const rows = this.queue.next(this.backlogCursor, this.boundary, want);
      if (rows.length === 0) {
        this.backlogCursor = this.boundary;
        break;
      }
      for (const row of rows) {
        this.backlogCursor = row.id;
        // still on the wire from before the reconnect: mqtt.js resends it itself
        if (this.inflight.has(row.id) || this.acked.includes(row.id)) continue;
        this.dispatch(row);
        this.tokens -= 1;
      }
    }
    if (this.connected && this.backlogCursor < this.boundary && this.tokens < 1 && !this.drainTimer) {
      const waitMs = Math.ceil(((1 - this.tokens) / this.opts.drainPerSecond) * 1000);
      this.drainTimer = setTimeout(() => {
        this.drainTimer = undefined;
        this.pump();
      }, waitMs);
    }
  }

  private dispatch(row: QueuedMessage): void {
    this.inflight.add(row.id);
    this.send(row, (err) => {
      this.inflight.delete(row.id);
      if (this.stopped) return;
      if (err) {
        // stays on disk: the next connection (or process) sends it again
        this.log.warn({ err, id: row.id }, 'publish not acknowledged; kept in the queue');
        return;
      }
      this.acked.push(row.id);
      this.sentMessages++;
      this.scheduleFlush();
      this.pump();
    });
  }

  private scheduleFlush(): void {
    // deletes are batched: one fsync per batch instead of one per PUBACK. A crash before the
    // flush resends those messages after restart (identical bootId/seq: a replay, not a gap)
    if (this.acked.length >= 256) {
      this.flushAcked();
      return;
    }
    this.flushTimer ??= setTimeout(() => this.flushAcked(), 50);
  }

  flushAcked(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.acked.length === 0) return;
    try {
      this.sentReadings += this.queue.remove(this.acked);
      this.acked.length = 0;
    } catch (err) {
      // keep the ids and try again later; at worst they are resent after a restart
      this.log.error({ err, ids: this.acked.length }, 'cannot delete acknowledged messages from the uplink queue');
      if (!this.stopped) this.flushTimer = setTimeout(() => this.flushAcked(), 1000);
    }
  }

  stop(): void {
    this.onDisconnect();
    this.flushAcked();
    this.stopped = true;
  }
}
