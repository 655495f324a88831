import path from 'node:path';
import { z } from 'zod';
import type { GatewayConfig, Reading } from '../../protocol/index.js';
import type { ZoneWeather } from '../../protocol/schemas/weather-rules.js';
import { log } from '../../lib/log.js';
import { errorMessage } from '../../lib/errors.js';
import type { Clock } from '../../lib/time.js';
import { readJson, writeJsonAtomic } from '../persist.js';
import { createForecastService, type WeatherFileConfig } from './config.js';
import type { ForecastService } from './forecast-service.js';
import { advanceWeather, initialWeatherState, type WeatherState } from './tracker.js';
import type { StationNow, WeatherVerdicts } from './types.js';

const logger = log.child({ mod: 'weather' });
const SAVE_EVERY_MS = 10 * 60_000;

const Saved = z.object({
  ts: z.number().nullable(),
  gauges: z.record(
    z.string(),
    z.object({
      totalMm: z.number().nullable(),
      ts: z.number().nullable(),
      hours: z.array(z.tuple([z.number(), z.number()])).max(72),
    }),
  ),
  zones: z.record(
    z.string(),
    z.object({
      bucketMm: z.number().min(-1000).max(1000),
      forecastSince: z.number().optional(),
      et0Source: z.enum(['station', 'forecast', 'fallback']).optional(),
    }),
  ),
});

/**
 * The gateway's weather shell: owns the forecast service and the weather state, and turns each
 * step's readings into verdicts for the loop. No `weather` block in the gateway file: no verdicts.
 */
export class GatewayWeather {
  private state: WeatherState = initialWeatherState();
  private verdicts: WeatherVerdicts = {};
  private readonly forecast: ForecastService | null;
  private readonly file: string;
  private lastSave = 0;
  /** `${metric}` → newest good reading of the station's devices */
  private readonly station = new Map<string, { value: number; ts: number }>();

  constructor(
    private readonly cfg: WeatherFileConfig,
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.forecast = createForecastService(cfg, dataDir, clock);
    this.file = path.join(dataDir, 'weather-state.json');
    try {
      const r = Saved.safeParse(readJson(this.file));
      // the bucket and the rain of the last hours survive a restart; a broken file starts afresh
      if (r.success) this.state = r.data;
    } catch (err) {
      logger.warn({ err: errorMessage(err) }, 'weather state unreadable; starting afresh');
    }
  }

  start(): void {
    this.forecast?.start();
  }

  async stop(): Promise<void> {
    await this.forecast?.stop();
    this.save();
  }

  /** The verdicts of the last step (commands between steps use them). */
  get last(): WeatherVerdicts {
    return this.verdicts;
  }

  /** One weather step: `openValves` are the loop's open valves before this step. */
  advance(
    readings: readonly Reading[],
    openValves: ReadonlySet<string>,
    config: GatewayConfig,
    now: number,
  ): WeatherVerdicts {
    const zones = config.zones.map((z) => ({ id: z.id, valves: z.valves, weather: z.weather }));
    let r: ReturnType<typeof advanceWeather>;
    try {
      r = this.advanceOnce(readings, openValves, zones, config.timezone, now);
    } catch (err) {
      // a fault in the weather rules must not become a fault of the loop: no verdicts, as if no rules
      logger.error({ err: errorMessage(err) }, 'weather step failed; running without weather rules this step');
      this.verdicts = {};
      return this.verdicts;
    }
    this.state = r.state;
    this.verdicts = r.verdicts;
    if (now - this.lastSave >= SAVE_EVERY_MS) this.save(now);
    return r.verdicts;
  }

  /** The station's values that are fresh now (a stale or bad one is left out, and the forecast's is used). */
  private stationNow(readings: readonly Reading[], now: number): StationNow | undefined {
    const st = this.cfg.station;
    if (!st) return undefined;
    for (const r of readings) {
      if (!st.devices.includes(r.sensor) || r.quality === 'bad' || r.value === null) continue;
      const had = this.station.get(r.metric);
      if (!had || had.ts <= r.ts) this.station.set(r.metric, { value: r.value, ts: r.ts });
    }
    const fresh = (metric: string) => {
      const v = this.station.get(metric);
      return v && now - v.ts <= this.cfg.gaugeStaleMinutes * 60_000 ? v.value : undefined;
    };
    const out: StationNow = { windHeightM: st.windHeightM };
    const set = <K extends 'tC' | 'rhPct' | 'windMs' | 'solarWm2'>(k: K, metric: string) => {
      const v = fresh(metric);
      if (v !== undefined) out[k] = v;
    };
    set('tC', 'air_temperature');
    set('rhPct', 'air_humidity');
    set('windMs', 'wind_speed');
    set('solarWm2', 'solar_radiation');
    return out;
  }

  private advanceOnce(
    readings: readonly Reading[],
    openValves: ReadonlySet<string>,
    zones: { id: string; valves: string[]; weather?: ZoneWeather }[],
    timezone: string,
    now: number,
  ) {
    return advanceWeather(this.state, {
      now,
      readings,
      zones,
      openValves,
      site: { latDeg: this.cfg.latDeg, lonDeg: this.cfg.lonDeg, elevationM: this.cfg.elevationM, timezone },
      forecast: this.forecast?.view(now) ?? { ok: false, why: 'none', ageMs: null },
      gaugeStaleMs: this.cfg.gaugeStaleMinutes * 60_000,
      gaugeWrapMm: this.cfg.gaugeWrapMm,
      ...(this.cfg.station ? { station: this.stationNow(readings, now) } : {}),
    });
  }

  private save(now = this.clock.now()): void {
    this.lastSave = now;
    try {
      writeJsonAtomic(this.file, this.state);
    } catch (err) {
      logger.warn({ err: errorMessage(err) }, 'weather state not saved');
    }
  }
}
