import { z } from 'zod';
import { GatewayEvent, Reading, type CommandAck, type ConfigAck, type Telemetry } from '../../protocol/index.js';
import type { Clock } from '../../lib/time.js';
import type { Logger } from '../../lib/log.js';
import { errorMessage } from '../../lib/errors.js';
import { issueSummary } from '../../lib/zod-issues.js';
import type { DiskQueue, DropReport } from './disk-queue.js';
import { fittingCapacity, type StatFs } from './disk-guard.js';
import { UplinkError } from './errors.js';
import type { UplinkSettings } from './options.js';

export type EventInput = Omit<z.input<typeof GatewayEvent>, 'bootId' | 'seq' | 'ts'> & { ts?: number };

const ReadingList = z.array(Reading);

/** What the outbox needs of the connection. */
export interface OutboxLink {
  /** publishes an event straight, not through the queue; false when not connected */
  sendEvent(payload: string): boolean;
  /** the retained state changed (degraded or not): publish the birth again */
  stateChanged(): void;
}

/**
 * What goes into the uplink's disk queue, and how: readings sealed into telemetry messages of
 * this boot, events and acks with their seq, drop reports. Every write goes through here, so a
 * failing disk is noticed once (an alarm `disk_full` sent straight, `degraded` in the state) and
 * so is its recovery; the queue is sized by the free disk space.
 */
export class Outbox {
  /** next telemetry seq of this boot */
  seq = 0;
  /** next event seq of this boot */
  eventSeq = 0;
  /** the last queue write failed (disk full or read-only): degraded until one succeeds */
  diskFailing = false;
  /** readings refused since the disk failed (reported by disk_recovered) */
  lostReadings = 0;
  /** free bytes on the data directory's file system at the last check (-1 before it) */
  freeBytes = -1;
  /** events that could not be queued on disk, sent straight on the next connection */
  readonly direct: string[] = [];
  private queue: DiskQueue | undefined;
  private lastDropReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly s: UplinkSettings,
    private readonly bootId: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly statfs: StatFs,
    private readonly link: OutboxLink,
  ) {}

  attach(queue: DiskQueue): void {
    this.queue = queue;
  }

  detach(): void {
    this.queue = undefined;
  }

  /** Validates readings and puts them on disk; the number now waiting to be sealed, or null for none. */
  addReadings(readings: readonly z.input<typeof Reading>[]): number | null {
    const queue = this.requireQueue();
    const parsed = ReadingList.safeParse(readings);
    if (!parsed.success) {
      throw new UplinkError('UPLINK_READING_INVALID', `reading rejected: ${issueSummary(parsed.error)}`);
    }
    if (parsed.data.length === 0) return null;
    try {
      return this.write(() => queue.addPending(parsed.data, this.clock.now()));
    } catch (err) {
      this.lostReadings += parsed.data.length;
      throw err;
    }
  }

  /** Queues an event with this boot's next seq (QoS 1, survives outages like telemetry). */
  addEvent(e: EventInput): void {
    const queue = this.requireQueue();
    const parsed = GatewayEvent.safeParse({ ts: this.clock.now(), ...e, bootId: this.bootId, seq: this.eventSeq });
    if (!parsed.success) {
      throw new UplinkError('UPLINK_EVENT_INVALID', `event rejected: ${issueSummary(parsed.error)}`);
    }
    this.write(() => queue.enqueue('event', JSON.stringify(parsed.data), 1, 0));
    this.eventSeq++;
    this.reportDrops();
  }

  addAck(channel: 'config/ack' | 'cmd/ack', payload: ConfigAck | CommandAck): void {
    const queue = this.requireQueue();
    this.write(() => queue.enqueue(channel, JSON.stringify(payload), 1, 0));
  }

  /** Seals pending readings into telemetry messages (only full ones with `fullOnly`). */
  seal(fullOnly = false): void {
    this.queue?.sealPending(
      this.s.batch.maxReadings,
      (readings) =>
        JSON.stringify({ bootId: this.bootId, seq: this.seq++, ts: this.clock.now(), readings } satisfies Telemetry),
      fullOnly,
    );
  }

  /** A queue write; a failure marks the disk failing (once) and throws UPLINK_QUEUE_WRITE_FAILED. */
  write<T>(op: () => T): T {
    try {
      const r = op();
      if (this.diskFailing) this.onDiskRecovered();
      return r;
    } catch (err) {
      this.onDiskFailed(err);
      throw new UplinkError(
        'UPLINK_QUEUE_WRITE_FAILED',
        `cannot write to the uplink queue in ${this.s.dataDir}: is the disk full or read-only?`,
        { cause: err },
      );
    }
  }

  /** Runs housekeeping from a timer or an MQTT event: a disk error is logged, never thrown there. */
  safely(what: string, op: () => void): void {
    try {
      op();
    } catch (err) {
      this.log.error({ err }, `uplink ${what} failed; retried on the next reading or reconnect`);
    }
  }

  /** Sizes the queue by what fits on the disk (statfs), never above queue.capacityReadings. */
  checkDisk(): void {
    const queue = this.queue;
    if (!queue) return;
    const q = this.s.queue;
    const { bavail, bsize } = this.statfs(this.s.dataDir);
    this.freeBytes = bavail * bsize;
    const cap = fittingCapacity({
      configured: q.capacityReadings,
      freeBytes: this.freeBytes,
      queueBytes: queue.diskBytes(),
      reserveBytes: q.reserveBytes,
      bytesPerReading: q.bytesPerReading,
    });
    if (cap === queue.capacityReadings) return;
    this.log.warn(
      { freeBytes: this.freeBytes, capacityReadings: cap, configured: q.capacityReadings },
      'uplink queue capacity set by free disk space',
    );
    queue.setCapacity(cap);
    this.reportDrops();
  }

  /** Queues a `queue_dropped` event for what the full queue dropped, at most every dropReportIntervalMs. */
  reportDrops(): void {
    const now = this.clock.now();
    if (!this.queue || now - this.lastDropReport < this.s.queue.dropReportIntervalMs) return;
    const capacity = this.s.queue.capacityReadings;
    const reported = this.queue.reportDrops((u: DropReport, total: DropReport) =>
      JSON.stringify(
        GatewayEvent.parse({
          bootId: this.bootId,
          seq: this.eventSeq++,
          ts: now,
          kind: 'queue_dropped',
          code: 'queue_dropped',
          severity: 'warning',
          reason: `uplink queue full (${capacity} readings): dropped the ${u.readings} oldest readings and ${u.events} events (${u.messages} messages)`,
          data: {
            droppedReadings: u.readings,
            droppedEvents: u.events,
            droppedMessages: u.messages,
            droppedReadingsTotal: total.readings,
            droppedMessagesTotal: total.messages,
            capacityReadings: capacity,
          },
        }),
      ),
    );
    if (reported) {
      this.lastDropReport = now;
      this.log.warn({ ...reported }, 'uplink queue full: oldest dropped');
    }
  }

  private requireQueue(): DiskQueue {
    if (!this.queue) throw new UplinkError('UPLINK_NOT_STARTED', 'call start() on the uplink before publishing');
    return this.queue;
  }

  /**
   * A queue write failed: readings are being lost. Says so once — an alarm `disk_full` sent
   * straight (it cannot be queued) and `degraded: ['disk_full']` in the retained state — and
   * keeps trying; the loop goes on controlling valves meanwhile.
   */
  private onDiskFailed(err: unknown): void {
    if (this.diskFailing) return;
    this.diskFailing = true;
    this.log.error(
      { err: errorMessage(err), freeBytes: this.freeBytes },
      'cannot write the uplink queue: readings are lost until the disk has room',
    );
    const e = GatewayEvent.parse({
      bootId: this.bootId,
      seq: this.eventSeq++,
      ts: this.clock.now(),
      kind: 'alarm',
      code: 'disk_full',
      severity: 'critical',
      reason: `cannot write the uplink queue in ${this.s.dataDir}: ${errorMessage(err)}`.slice(0, 500),
      data: { freeBytes: Math.max(0, this.freeBytes), capacityReadings: this.queue?.capacityReadings ?? 0 },
    });
    if (!this.link.sendEvent(JSON.stringify(e)) && this.direct.length < 16) this.direct.push(JSON.stringify(e));
    this.link.stateChanged();
  }

  private onDiskRecovered(): void {
    this.diskFailing = false;
    const lost = this.lostReadings;
    this.lostReadings = 0;
    this.log.info({ lostReadings: lost }, 'uplink queue writable again');
    const e = GatewayEvent.parse({
      bootId: this.bootId,
      seq: this.eventSeq++,
      ts: this.clock.now(),
      kind: 'alarm',
      code: 'disk_recovered',
      severity: 'info',
      reason: `uplink queue writable again; ${lost} readings were lost while it was not`,
      data: { lostReadings: lost },
    });
    this.safely('queueing disk_recovered', () => this.queue?.enqueue('event', JSON.stringify(e), 1, 0));
    this.link.stateChanged();
  }
}
