import path from 'node:path';
import { z } from 'zod';
import { Id } from '../../protocol/schemas/common.js';
import type { Clock } from '../../lib/time.js';
import { ForecastService } from './forecast-service.js';
import { OPEN_METEO_URL, OpenMeteoProvider } from './open-meteo.js';

/**
 * The `weather` block of the gateway's local file: where the site is and where forecasts come
 * from. Without it the gateway runs no weather rules (zones' `weather` blocks are ignored).
 */
export const FORECAST_DEFAULTS = {
  provider: 'open-meteo',
  url: OPEN_METEO_URL,
  refreshMinutes: 60,
  retryMinutes: 5,
  staleAfterHours: 6,
  timeoutMs: 10_000,
  days: 2,
} as const;

const Forecast = z
  .object({
    provider: z.enum(['open-meteo']).default(FORECAST_DEFAULTS.provider),
    /** an Open-Meteo-format endpoint (the public one, a self-hosted one or a proxy) */
    url: z
      .string()
      .url('weather.forecast.url must be a URL (http://… or https://…)')
      .regex(/^https?:\/\//, 'weather.forecast.url must be http:// or https://')
      .default(FORECAST_DEFAULTS.url),
    refreshMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(FORECAST_DEFAULTS.refreshMinutes),
    retryMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(FORECAST_DEFAULTS.retryMinutes),
    /** a forecast older than this is no forecast: no forecast skip, ET from the fallback */
    staleAfterHours: z.number().min(1).max(72).default(FORECAST_DEFAULTS.staleAfterHours),
    timeoutMs: z.number().int().min(500).max(60_000).default(FORECAST_DEFAULTS.timeoutMs),
    days: z.number().int().min(1).max(16).default(FORECAST_DEFAULTS.days),
  })
  .strict();

export const WeatherFileConfig = z
  .object({
    latDeg: z.number().min(-90).max(90),
    lonDeg: z.number().min(-180).max(180),
    elevationM: z.number().min(-500).max(9000).default(2),
    /** false: no forecasts (measured rain and the fallback ET₀ only) */
    forecast: z.union([z.literal(false), Forecast]).default({ ...FORECAST_DEFAULTS }),
    /** a rain gauge not read for this long is unknown (no rain skip on it) */
    gaugeStaleMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    /** where the gauge's counter wraps, mm (u16 of 0.1 mm: 6553.6) */
    gaugeWrapMm: z.number().positive().max(1e9).default(6553.6),
    /**
     * devices of a weather station on the bus (anemometer, air temperature/humidity probe,
     * pyranometer): their fresh air_temperature, air_humidity, wind_speed and solar_radiation
     * readings replace the forecast's in ET₀
     */
    station: z
      .object({
        devices: z.array(Id).min(1).max(8),
        /** the anemometer's height above the ground, m */
        windHeightM: z.number().min(0.5).max(30).default(2),
      })
      .strict()
      .optional(),
  })
  .strict();
export type WeatherFileConfig = z.infer<typeof WeatherFileConfig>;

export function createForecastService(cfg: WeatherFileConfig, dataDir: string, clock: Clock): ForecastService | null {
  const f = cfg.forecast;
  if (!f) return null;
  return new ForecastService({
    provider: new OpenMeteoProvider(f.url),
    latDeg: cfg.latDeg,
    lonDeg: cfg.lonDeg,
    days: f.days,
    refreshMs: f.refreshMinutes * 60_000,
    retryMs: f.retryMinutes * 60_000,
    staleAfterMs: f.staleAfterHours * 3_600_000,
    timeoutMs: f.timeoutMs,
    clock,
    file: path.join(dataDir, 'forecast.json'),
  });
}
