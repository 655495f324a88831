import { z } from 'zod';

/**
 * Report months are calendar months in Vietnam time. Asia/Ho_Chi_Minh is UTC+7 all year (no
 * daylight saving), so a fixed offset is exact and needs no time-zone database.
 */
export const VN_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;

export const MonthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month as YYYY-MM');
export type Month = string;

export interface MonthSpan {
  month: Month;
  start: number;
  end: number;
  days: number;
}

/** [start, end) of a month in ms since the epoch. */
export function monthSpan(month: Month): MonthSpan {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = Date.UTC(y, m - 1, 1) - VN_OFFSET_MS;
  const end = Date.UTC(y, m, 1) - VN_OFFSET_MS;
  return { month, start, end, days: (end - start) / DAY_MS };
}

/** The month (Vietnam time) an instant falls in. */
export function monthOf(ms: number): Month {
  const d = new Date(ms + VN_OFFSET_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included. */
export function monthRange(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to && out.length < 1200; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The calendar day (Vietnam time) of an instant, YYYY-MM-DD. */
export function dayOf(ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** ms of [a0, a1) inside [b0, b1). */
export function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}
