import { localTime } from './local-time.js';

/** Numbers in reasons: a real minus sign (−15, not -15), as the farmer's app shows them. */
export function num(n: number, decimals?: number): string {
  const s = decimals === undefined ? String(Math.round(n * 100) / 100) : n.toFixed(decimals);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

export const cm = (n: number, decimals?: number) => `${num(n, decimals)} cm`;
export const ppt = (n: number) => `${num(n, 1)}‰`;
export const pct = (n: number, decimals?: number) => `${num(n, decimals)} %`;
export const mins = (ms: number) => `${Math.round(ms / 60_000)} min`;

/** "06:30" in the zone's timezone, for "held until" reasons. */
export function clock(ts: number, timeZone: string): string {
  const m = localTime(ts, timeZone).minute;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
