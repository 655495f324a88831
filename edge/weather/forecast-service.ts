import { z } from 'zod';
import { log } from '../../lib/log.js';
import { errorMessage } from '../../lib/errors.js';
import type { Clock } from '../../lib/time.js';
import { readJson, writeJsonAtomic } from '../persist.js';
import type { ForecastProvider } from './provider.js';
import type { Forecast, ForecastView } from './types.js';

const logger = log.child({ mod: 'forecast' });

export interface ForecastServiceOptions {
  provider: ForecastProvider;
  latDeg: number;
  lonDeg: number;
  days: number;
  refreshMs: number;
  /** after a failed fetch, try again this soon (but never more often than refreshMs asks) */
  retryMs: number;
  /** a forecast fetched longer ago than this is no forecast */
  staleAfterMs: number;
  timeoutMs: number;
  clock: Clock;
  /** the last good forecast survives a restart here (optional) */
  file?: string;
}

const NullableNum = z.number().finite().nullable();
const StoredForecast = z.object({
  provider: z.string().max(64),
  latDeg: z.number(),
  lonDeg: z.number(),
  elevationM: NullableNum,
  fetchedAt: z.number().int().nonnegative(),
  hours: z
    .array(
      z.object({
        ts: z.number().int(),
        precipitationMm: NullableNum,
        probabilityPct: NullableNum,
        tC: NullableNum,
        rhPct: NullableNum,
        windMs: NullableNum,
        solarWm2: NullableNum,
      }),
    )
    .max(24 * 18),
});

/**
 * Keeps the last good forecast with its fetch time and refreshes it on a timer. A fetch that
 * fails, times out or answers garbage leaves the cached one in place (and it goes stale in
 * time); nothing here waits for the network on the control path: `view(now)` is synchronous.
 */
export class ForecastService {
  private cached: Forecast | null = null;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | null = null;
  private running = false;
  lastError: { code: string; at: number } | null = null;

  constructor(private readonly o: ForecastServiceOptions) {
    if (o.file) this.cached = this.load(o.file);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inflight;
  }

  /** What the loop may know now: the cached forecast if it is fresh enough. */
  view(now: number): ForecastView {
    if (!this.cached) return { ok: false, why: 'none', ageMs: null };
    const ageMs = now - this.cached.fetchedAt;
    if (ageMs > this.o.staleAfterMs || ageMs < -this.o.staleAfterMs) return { ok: false, why: 'stale', ageMs };
    return { ok: true, forecast: this.cached, ageMs };
  }

  /** Fetches once now (one fetch at a time); resolves true when a new forecast is cached. */
  async refresh(): Promise<boolean> {
    if (this.inflight) {
      await this.inflight;
      return this.lastError === null;
    }
    let ok = false;
    this.inflight = (async () => {
      const signal = AbortSignal.timeout(this.o.timeoutMs);
      try {
        const f = await this.o.provider.fetch({
          latDeg: this.o.latDeg,
          lonDeg: this.o.lonDeg,
          days: this.o.days,
          signal,
        });
        this.cached = { ...f, fetchedAt: this.o.clock.now() };
        this.lastError = null;
        ok = true;
        if (this.o.file) this.save(this.o.file);
        logger.info({ provider: f.provider, hours: f.hours.length }, 'forecast fetched');
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'FORECAST_UNREACHABLE';
        this.lastError = { code, at: this.o.clock.now() };
        logger.warn({ code, err: errorMessage(err) }, 'forecast not fetched; keeping the last one');
      }
    })();
    try {
      await this.inflight;
    } finally {
      this.inflight = null;
    }
    return ok;
  }

  private async tick(): Promise<void> {
    const ok = await this.refresh();
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), ok ? this.o.refreshMs : Math.min(this.o.retryMs, this.o.refreshMs));
    this.timer.unref?.();
  }

  private load(file: string): Forecast | null {
    try {
      const r = StoredForecast.safeParse(readJson(file));
      return r.success ? r.data : null;
    } catch (err) {
      logger.warn({ file, err: errorMessage(err) }, 'saved forecast unreadable; starting without one');
      return null;
    }
  }

  private save(file: string): void {
    try {
      writeJsonAtomic(file, this.cached);
    } catch (err) {
      logger.warn({ file, err: errorMessage(err) }, 'forecast not saved');
    }
  }
}
