import { log as rootLog, type Logger } from '../../lib/log.js';
import { systemClock, type Clock } from '../../lib/time.js';
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

const finite = (v: number | null): boolean => v === null || Number.isFinite(v);

export interface DeferredInitOptions {
  /** least time between two init attempts while the store stays down (default 5 s) */
  retryMs?: number;
  clock?: Clock;
  log?: Logger;
}

/**
 * A telemetry store whose init may fail with STORE_UNAVAILABLE (InfluxDB down when the cloud
 * starts) without stopping the cloud: init() logs and returns, and every later call tries init
 * again (at most every retryMs) before it goes through. Until then writes throw
 * STORE_UNAVAILABLE — the ingest spools them to disk and replays them oldest first once the
 * store answers — queries throw it too (HTTP 503) and health() says not ok (`/healthz` degraded).
 * A wrong configuration (STORE_CONFIG) still fails init() at once.
 */
export class DeferredInitStore implements TelemetryStore {
  #ready = false;
  #pending: Promise<void> | undefined;
  #lastTry = Number.NEGATIVE_INFINITY;
  #lastError = '';
  readonly #log: Logger;
  readonly #clock: Clock;

  constructor(
    readonly inner: TelemetryStore,
    private readonly opts: DeferredInitOptions = {},
  ) {
    this.#log = (opts.log ?? rootLog).child({ mod: 'telemetry' });
    this.#clock = opts.clock ?? systemClock;
  }

  get kind(): TelemetryStore['kind'] {
    return this.inner.kind;
  }
  get ready(): boolean {
    return this.#ready;
  }

  async init(): Promise<void> {
    try {
      await this.#tryInit();
    } catch (err) {
      if (!(err instanceof StoreError) || err.code !== 'STORE_UNAVAILABLE') throw err;
      this.#log.warn(
        { err: err.message },
        'telemetry store unavailable at start: readings are spooled to disk until it answers',
      );
    }
  }

  #tryInit(): Promise<void> {
    this.#pending ??= (async () => {
      this.#lastTry = this.#clock.now();
      try {
        await this.inner.init();
        this.#ready = true;
        if (this.#lastError) this.#log.info({}, 'telemetry store reachable again: initialised');
      } catch (err) {
        this.#lastError = (err as Error).message;
        throw err;
      } finally {
        this.#pending = undefined;
      }
    })();
    return this.#pending;
  }

  async #ensure(): Promise<void> {
    if (this.#ready) return;
    if (!this.#pending && this.#clock.now() - this.#lastTry < (this.opts.retryMs ?? 5000)) {
      throw new StoreError('STORE_UNAVAILABLE', `telemetry store not initialised yet: ${this.#lastError}`);
    }
    await this.#tryInit();
  }

  async write(points: StoredReading[]): Promise<WriteResult> {
    await this.#ensure();
    return this.inner.write(points);
  }

  // values stored before the ingest checked ranges (or summed past 1.8e308) can aggregate to
  // ±Infinity or NaN, which JSON and the response schemas cannot carry: they read as null
  async query(q: RangeQuery): Promise<Series[]> {
    await this.#ensure();
    const series = await this.inner.query(q);
    for (const s of series) {
      for (const p of s.points) {
        if (!finite(p.mean)) p.mean = null;
        if (!finite(p.min)) p.min = null;
        if (!finite(p.max)) p.max = null;
      }
    }
    return series;
  }

  async latest(gatewayId: string): Promise<LatestReading[]> {
    await this.#ensure();
    const rows = await this.inner.latest(gatewayId);
    for (const r of rows) if (!finite(r.value)) r.value = null;
    return rows;
  }

  async health(): Promise<StoreHealth> {
    if (!this.#ready) {
      await this.#ensure().catch(() => undefined);
      if (!this.#ready)
        return { ok: false, kind: this.inner.kind, detail: `not initialised (spooling): ${this.#lastError}` };
    }
    return this.inner.health();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
