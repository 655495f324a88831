import type { Forecast } from './types.js';

const HOUR = 3_600_000;

/** The rain a forecast promises within the next `hours`: the largest hourly probability and the sum. */
export function forecastRain(
  f: Forecast,
  now: number,
  hours: number,
): { probabilityPct: number | null; mm: number; hoursCovered: number } {
  const end = now + hours * HOUR;
  let mm = 0;
  let prob: number | null = null;
  let covered = 0;
  for (const h of f.hours) {
    if (h.ts + HOUR <= now || h.ts >= end) continue;
    covered++;
    mm += h.precipitationMm ?? 0;
    if (h.probabilityPct !== null) prob = Math.max(prob ?? 0, h.probabilityPct);
  }
  return { probabilityPct: prob, mm: Math.round(mm * 10) / 10, hoursCovered: covered };
}
