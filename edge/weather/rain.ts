/**
 * Measured rain from a tipping-bucket gauge: the gauge gives a cumulative total (metric `rain`,
 * mm); the tracker keeps the increments per hour for the last 72 h, so "rain over the last N h"
 * survives counter wrap-around and resets.
 */
export interface GaugeMemory {
  /** last good total, mm */
  totalMm: number | null;
  /** ts of the last good reading */
  ts: number | null;
  /** [hour start ms, mm fallen in that hour], oldest first, at most MAX_HOURS */
  hours: [number, number][];
}

export const MAX_HOURS = 72;
const HOUR = 3_600_000;
/** a jump larger than this between two readings is a counter glitch, not rain (world record ≈ 300 mm/h) */
const MAX_MM_PER_READING = 400;

export const emptyGauge = (): GaugeMemory => ({ totalMm: null, ts: null, hours: [] });

/** Adds one good reading of the cumulative total. A smaller total means the counter reset or wrapped. */
export function addGaugeReading(
  g: GaugeMemory,
  totalMm: number,
  ts: number,
  wrapMm?: number,
): { gauge: GaugeMemory; deltaMm: number } {
  if (g.ts !== null && ts <= g.ts) return { gauge: g, deltaMm: 0 };
  let delta = 0;
  if (g.totalMm !== null) {
    delta = totalMm - g.totalMm;
    // wrapped (e.g. a u16 of 0.1 mm at 6553.5 mm) or reset to 0 by power loss: count from the bottom
    if (delta < 0) delta = wrapMm !== undefined ? wrapMm - g.totalMm + totalMm : totalMm;
    if (delta > MAX_MM_PER_READING) delta = 0;
  }
  const hour = Math.floor(ts / HOUR) * HOUR;
  const hours = g.hours.filter(([h]) => h > hour - MAX_HOURS * HOUR);
  if (delta > 0) {
    const last = hours[hours.length - 1];
    if (last && last[0] === hour) hours[hours.length - 1] = [hour, last[1] + delta];
    else hours.push([hour, delta]);
  }
  return { gauge: { totalMm, ts, hours }, deltaMm: delta };
}

/**
 * Rain over the last `hours` hours, mm; null if the gauge has not been read for as long as it
 * takes to know (no reading, or the last one older than `staleMs`): unknown never skips.
 */
export function rainOverLast(g: GaugeMemory, hours: number, now: number, staleMs: number): number | null {
  if (g.ts === null || now - g.ts > staleMs) return null;
  const from = now - hours * HOUR;
  let mm = 0;
  // an hour partly inside the window counts whole: rain is never under-counted for a skip
  for (const [h, v] of g.hours) if (h + HOUR > from) mm += v;
  return Math.round(mm * 100) / 100;
}
