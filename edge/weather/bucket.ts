import { localTime } from '../control/local-time.js';
import { CROPS, daysBetween, kcOnDay } from './crops.js';
import { et0Hourly } from './et0.js';
import type { ForecastView, StationNow, WeatherSite } from './types.js';

export type Et0Source = 'station' | 'forecast' | 'fallback';
import type { ZoneWeather } from '../../protocol/schemas/weather-rules.js';

const HOUR = 3_600_000;
/** a bucket deeper than this is a broken input, not a field: the deficit stops growing */
export const MIN_BUCKET_MM = -200;

/** Hours east of UTC of a time zone at `ts` (standard time for the zones of the Delta). */
export function utcOffsetHours(ts: number, timezone: string): number {
  const l = localTime(ts, timezone);
  const [y, m, d] = l.date.split('-').map(Number) as [number, number, number];
  const localMs = Date.UTC(y, m - 1, d) + l.minute * 60_000;
  return Math.round((localMs - Math.floor(ts / 60_000) * 60_000) / 900_000) / 4;
}

/** Share of a day's ET per hour without data: a half-sine 06:00–18:00 local, integrating to 1. */
export function etShapePerHour(localHour: number): number {
  if (localHour < 6 || localHour >= 18) return 0;
  return (Math.PI / 24) * Math.sin((Math.PI * (localHour - 6)) / 12);
}

/**
 * ET₀ rate at `now`, mm/h: FAO-56 hourly from a weather station's fresh values where there are
 * some, else the forecast hour's (temperature, humidity, wind at 10 m, radiation); without all
 * four, the zone's fallback daily ET₀ spread over the day.
 */
export function et0Rate(
  site: WeatherSite,
  forecast: ForecastView,
  now: number,
  fallbackMmPerDay: number,
  station?: StationNow,
): { mmPerHour: number; source: Et0Source } {
  const offset = utcOffsetHours(now, site.timezone);
  const localMs = now + offset * HOUR;
  const localHour = (localMs % 86_400_000) / HOUR;
  const h = forecast.ok ? forecast.forecast.hours.find((x) => x.ts <= now && now < x.ts + HOUR) : undefined;
  const tC = station?.tC ?? h?.tC ?? null;
  const rhPct = station?.rhPct ?? h?.rhPct ?? null;
  const solarWm2 = station?.solarWm2 ?? h?.solarWm2 ?? null;
  const measuredWind = station?.windMs !== undefined;
  const windMs = station?.windMs ?? h?.windMs ?? null;
  if (tC !== null && rhPct !== null && windMs !== null && solarWm2 !== null) {
    const day = Math.floor((localMs - Date.UTC(new Date(localMs).getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    const endHour = Math.floor(localHour) + 1;
    const r = et0Hourly(
      { tC, rhPct, windMs, windHeightM: measuredWind ? (station?.windHeightM ?? 2) : 10, solarMj: solarWm2 * 0.0036 },
      { latDeg: site.latDeg, lonDeg: site.lonDeg, elevationM: site.elevationM, zoneLonDeg: offset * 15 },
      day,
      endHour,
    );
    const all =
      station &&
      station.tC !== undefined &&
      station.rhPct !== undefined &&
      measuredWind &&
      station.solarWm2 !== undefined;
    return { mmPerHour: r.et0, source: all ? 'station' : 'forecast' };
  }
  return { mmPerHour: fallbackMmPerDay * etShapePerHour(localHour), source: 'fallback' };
}

/** The zone's crop coefficient today: a fixed kc, or the crop's FAO-56 curve; null = no crop in the field. */
export function zoneKc(w: ZoneWeather, localDate: string): number | null {
  if (w.kc !== undefined) return w.kc;
  if (!w.crop) return null;
  return kcOnDay(CROPS[w.crop.kind], daysBetween(w.crop.plantedOn, localDate), w.crop.stageDays).kc;
}

/** Smart Irrigation's bucket: rain and irrigation add, crop ET subtracts; a surplus is capped. */
export function nextBucket(
  bucketMm: number,
  add: { rainMm: number; irrigationMm: number; etcMm: number },
  maxSurplusMm: number,
): number {
  const b = bucketMm + add.rainMm + add.irrigationMm - add.etcMm;
  return Math.max(MIN_BUCKET_MM, Math.min(maxSurplusMm, b));
}

/** Sprinkler minutes that refill a deficit: depth ÷ (application rate × efficiency). */
export function runMinutesFor(bucketMm: number, applicationRateMmPerHour: number, efficiency: number): number {
  if (bucketMm >= 0) return 0;
  return (-bucketMm / (applicationRateMmPerHour * efficiency)) * 60;
}
