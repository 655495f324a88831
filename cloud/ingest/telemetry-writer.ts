import { Backoff } from '../../lib/backoff.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import { readingsIngestedTotal, storeWriteErrorsTotal, storeWriteSeconds } from '../metrics.js';
import type { StoredReading, TelemetryStore } from '../telemetry/store.js';
import { DiskSpool, SpoolError } from './spool.js';

export interface TelemetryWriterOptions {
  store: TelemetryStore;
  spool: DiskSpool;
  log?: Logger;
  /** replay backoff while the store stays down (full jitter between min and the growing cap) */
  replayMinDelayMs?: number;
  replayMaxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1) for the jitter; inject for deterministic tests */
  random?: () => number;
}

/**
 * Gets batches of readings to durable storage: the store when it answers, else the disk spool,
 * replayed in order once the store is back. While the spool holds anything, new batches queue
 * behind it so the store sees data in arrival order. persist() resolves only when a batch is
 * stored or spooled; while the spool is full it waits (the ingest holds its acks meanwhile).
 */
export class TelemetryWriter {
  private readonly log: Logger;
  private replaying: Promise<void> | undefined;
  private stopped = false;
  private fullSince: number | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: TelemetryWriterOptions) {
    this.log = (opts.log ?? rootLog).child({ mod: 'telemetry-writer' });
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get spool(): DiskSpool {
    return this.opts.spool;
  }

  /** Starts replaying what an earlier run left in the spool. */
  start(): void {
    this.stopped = false;
    if (!this.opts.spool.isEmpty()) this.kickReplay();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.replaying;
  }

  async persist(points: StoredReading[]): Promise<'stored' | 'spooled'> {
    if (this.opts.spool.isEmpty()) {
      try {
        await this.write(points);
        return 'stored';
      } catch (err) {
        storeWriteErrorsTotal.inc({ store: this.opts.store.kind });
        this.log.warn({ err, readings: points.length }, 'telemetry store write failed; spooling to disk');
      }
    }
    await this.spoolWithBackpressure(points);
    this.kickReplay();
    return 'spooled';
  }

  private async write(points: StoredReading[]): Promise<void> {
    const end = storeWriteSeconds.startTimer({ store: this.opts.store.kind });
    const res = await this.opts.store.write(points);
    end();
    readingsIngestedTotal.inc(res.written);
  }

  private async spoolWithBackpressure(points: StoredReading[]): Promise<void> {
    // a full spool empties only as fast as the store takes the replay: no jitter needed, one writer
    const backoff = new Backoff({ minMs: 200, maxMs: 5000 });
    for (;;) {
      try {
        await this.opts.spool.append(points);
        if (this.fullSince !== undefined) {
          this.log.warn({ fullForMs: Date.now() - this.fullSince }, 'telemetry spool accepts batches again');
          this.fullSince = undefined;
        }
        return;
      } catch (err) {
        if (this.fullSince === undefined) {
          this.fullSince = Date.now();
          this.log.error(
            { err, spool: this.opts.spool.size },
            'telemetry spool is full or failing: holding MQTT acks, the broker keeps the messages',
          );
        }
        if (!(err instanceof SpoolError)) throw err;
        this.kickReplay();
        await this.sleep(backoff.next());
      }
    }
  }

  private kickReplay(): void {
    if (this.replaying || this.stopped) return;
    this.replaying = this.replay().finally(() => {
      this.replaying = undefined;
    });
  }

  private async replay(): Promise<void> {
    const spool = this.opts.spool;
    const backoff = new Backoff({
      minMs: this.opts.replayMinDelayMs ?? 250,
      maxMs: this.opts.replayMaxDelayMs ?? 5000,
      jitter: 'full',
      random: this.opts.random,
    });
    let replayed = 0;
    while (!spool.isEmpty() && !this.stopped) {
      try {
        const batch = await spool.peek();
        if (batch) await this.write(batch);
        await spool.shift();
        replayed += batch?.length ?? 0;
        backoff.reset();
      } catch (err) {
        this.log.debug({ err, spool: spool.size }, 'spool replay: store still down');
        await this.sleep(backoff.next());
      }
    }
    if (replayed) this.log.info({ replayed, spool: spool.size }, 'telemetry spool replayed into the store');
  }
}
