import { days, hours, minutes, seconds } from '../../../lib/time.js';

/**
 * Time parameters of the readings API: `from`/`to` as ISO 8601 or milliseconds since 1970,
 * `every` as a count and a unit (30s, 5m, 1h, 1d).
 */
export const EVERY_PATTERN = /^([1-9]\d{0,4})(s|m|h|d)$/;
const UNIT_MS = { s: seconds(1), m: minutes(1), h: hours(1), d: days(1) } as const;

export function parseEvery(s: string): number | null {
  const m = EVERY_PATTERN.exec(s);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : null;
}

/** Times the API takes: 1970 … 2100 (a sensor reading outside is a clock fault, not a query). */
export const TIME_MIN_MS = 0;
export const TIME_MAX_MS = Date.UTC(2100, 0, 1);

/** ms since 1970 (digits only) or an ISO 8601 date/time, within 1970 … 2100; null otherwise. */
export function parseTime(s: string): number | null {
  let ms: number;
  if (/^\d{1,16}$/.test(s)) ms = Number(s);
  // ISO 8601 only: Date.parse would also take "March 3" and friends
  else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s))
    ms = Date.parse(s.replace(' ', 'T'));
  else return null;
  return Number.isFinite(ms) && ms >= TIME_MIN_MS && ms <= TIME_MAX_MS ? ms : null;
}

/** Bucket sizes offered when `every` is absent, smallest first. */
const AUTO_STEPS = ['1m', '5m', '15m', '1h', '6h', '1d', '7d'] as const;
export const MAX_POINTS_PER_SERIES = 5000;

/** The smallest step that gives at most `target` buckets over the range. */
export function autoEvery(rangeMs: number, target = 300): { every: string; everyMs: number } {
  for (const every of AUTO_STEPS) {
    const everyMs = parseEvery(every)!;
    if (rangeMs / everyMs <= target) return { every, everyMs };
  }
  return { every: '30d', everyMs: days(30) };
}
