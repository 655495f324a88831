import type { Forecast, ForecastHour } from '../../edge/weather/types.js';
import { HOUR_MS, hash01, localDayHour, rainMmPerHour } from '../field/random.js';

/**
 * The Delta's weather as deterministic functions of time, sharing the field models' rain
 * (simulators/field/random.ts): what the rain gauge measures, what the anemometer reads and
 * what a forecast of the same sky says. The soil model gets the very same rain.
 */
export interface WeatherModel {
  seed: number;
  utcOffsetHours: number;
}

export const WEATHER_DEFAULTS: WeatherModel = { seed: 1, utcOffsetHours: 7 };

const SUB = 12;

/** Rain between two times, mm (integrated in 5-minute slices). */
export function rainBetween(from: number, to: number, m: WeatherModel = WEATHER_DEFAULTS): number {
  let mm = 0;
  const slice = HOUR_MS / SUB;
  for (let t = from; t < to; t += slice) {
    const dt = Math.min(slice, to - t);
    mm += rainMmPerHour(t + dt / 2, m.seed, m.utcOffsetHours) * (dt / HOUR_MS);
  }
  return mm;
}

/** Air temperature, humidity, wind at 10 m and solar radiation of the dry season, by hour of day. */
export function airAt(
  t: number,
  m: WeatherModel = WEATHER_DEFAULTS,
): { tC: number; rhPct: number; windMs: number; solarWm2: number; windDirDeg: number } {
  const { day, hour } = localDayHour(t, m.utcOffsetHours);
  const sun = hour >= 6 && hour < 18 ? Math.sin((Math.PI * (hour - 6)) / 12) : 0;
  const raining = rainMmPerHour(t, m.seed, m.utcOffsetHours) > 0;
  const warm = hour >= 6 && hour <= 20 ? Math.max(0, Math.sin((Math.PI * (hour - 6)) / 14)) : 0;
  const gust = 0.6 + 0.8 * hash01(m.seed, day * 24 + Math.floor(hour), 41);
  return {
    tC: 25 + 8 * warm - (raining ? 3 : 0),
    rhPct: raining ? 95 : 90 - 35 * sun,
    windMs: (1.2 + 2.8 * sun) * gust,
    solarWm2: 880 * sun * (raining ? 0.25 : 0.9 + 0.1 * hash01(m.seed, day, 42)),
    // the dry-season north-east monsoon, swinging ±40°
    windDirDeg: (45 + 80 * (hash01(m.seed, day * 24 + Math.floor(hour), 43) - 0.5) + 360) % 360,
  };
}

/**
 * A forecast of the model's own sky, issued at `at` for `hours` hours: the rain that will fall
 * with a high probability, dry hours with a low one. `falseAlarm(dayKey)` adds rain that never
 * comes, to test a forecast that is wrong.
 */
export function forecastAt(
  at: number,
  hours: number,
  m: WeatherModel = WEATHER_DEFAULTS,
  falseAlarm?: (hourStart: number) => boolean,
): Forecast {
  const first = Math.floor(at / HOUR_MS) * HOUR_MS;
  const out: ForecastHour[] = [];
  for (let i = 0; i < hours; i++) {
    const ts = first + i * HOUR_MS;
    const mid = airAt(ts + HOUR_MS / 2, m);
    let mm = rainBetween(ts, ts + HOUR_MS, m);
    if (mm === 0 && falseAlarm?.(ts)) mm = 4;
    out.push({
      ts,
      precipitationMm: Math.round(mm * 10) / 10,
      probabilityPct: mm > 0 ? 85 : 10,
      tC: mid.tC,
      rhPct: mid.rhPct,
      windMs: mid.windMs,
      solarWm2: mid.solarWm2,
    });
  }
  return { provider: 'simulated', latDeg: 10.03, lonDeg: 105.78, elevationM: 2, fetchedAt: at, hours: out };
}
