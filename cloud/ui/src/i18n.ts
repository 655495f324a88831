import { signal } from './state.js';
import { vi, type MsgKey } from './messages/vi.js';
import { en } from './messages/en.js';

export type { MsgKey };

/**
 * The app's language: Vietnamese first, English switchable. `qps` is a pseudo-locale for tests
 * only (never offered in the menu): every catalogue string is wrapped in ⟦ ⟧ with Vietnamese
 * formats, so a browser test can find any visible text that did not come from a catalogue.
 */
export type Locale = 'vi' | 'en' | 'qps';
const saved = (typeof localStorage !== 'undefined' && localStorage.getItem('rs.locale')) as Locale | null;
export const locale = signal<Locale>(saved === 'en' || saved === 'vi' || saved === 'qps' ? saved : 'vi');

export function setLocale(l: Locale): void {
  locale.value = l;
  localStorage.setItem('rs.locale', l);
  document.documentElement.lang = l === 'en' ? 'en' : 'vi';
}

/** A catalogue string in the current locale, `{name}` placeholders filled; wraps in the pseudo-locale. */
export function lookup<K extends string>(
  cats: { vi: Record<K, string>; en: Record<K, string> },
  key: K,
  params: Record<string, string | number> = {},
): string {
  const l = locale.value;
  const s = (l === 'en' ? cats.en : cats.vi)[key] ?? key;
  const filled = s.replace(/\{(\w+)\}/g, (_, k: string) => fmtParam(params[k]));
  return l === 'qps' ? `⟦${filled}⟧` : filled;
}

const catalogues = { vi, en };
export function t(key: MsgKey, params: Record<string, string | number> = {}): string {
  return lookup(catalogues, key, params);
}

/** Whether `key` exists in the catalogue (codes from the server may be new to this build). */
export const has = (key: string): key is MsgKey => Object.prototype.hasOwnProperty.call(vi, key);

/** A template whose placeholders are all in `params`, else null (so a code's text never has holes). */
export function tFull(key: string, params: Record<string, unknown>): string | null {
  if (!has(key)) return null;
  const names = [...vi[key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  if (!names.every((n) => typeof params[n] === 'number' || (typeof params[n] === 'string' && params[n] !== '')))
    return null;
  return t(key, params as Record<string, string | number>);
}

function fmtParam(v: string | number | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'number' ? fmtNumber(v, 2) : v;
}

/** Intl output in words (month names, "3 phút trước") counts as catalogue text in the pseudo-locale */
const q = (s: string) => (locale.value === 'qps' ? `⟦${s}⟧` : s);
export const tag = () => (locale.value === 'en' ? 'en-GB' : 'vi-VN');
// Intl formatters are costly to build on a slow phone: one per locale and options
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function fmt<T extends Intl.NumberFormat | Intl.DateTimeFormat>(
  kind: 'n' | 'd',
  opts: Intl.NumberFormatOptions & Intl.DateTimeFormatOptions,
): T {
  const k = `${kind}|${tag()}|${JSON.stringify(opts)}`;
  let f = formatters.get(k);
  if (!f) {
    f = kind === 'n' ? new Intl.NumberFormat(tag(), opts) : new Intl.DateTimeFormat(tag(), opts);
    formatters.set(k, f);
  }
  return f as T;
}
export const dateFormat = (opts: Intl.DateTimeFormatOptions) => fmt<Intl.DateTimeFormat>('d', opts);
export const fmtNumber = (n: number, digits = 1) =>
  fmt<Intl.NumberFormat>('n', { maximumFractionDigits: digits }).format(n);
export const fmtDateTime = (ms: number) => dateFormat({ dateStyle: 'short', timeStyle: 'short' }).format(ms);
export const fmtDate = (ms: number) => q(dateFormat({ dateStyle: 'medium' }).format(ms));
export const fmtTime = (ms: number) => dateFormat({ timeStyle: 'short' }).format(ms);
/** "2026-11" → "tháng 11, 2026" / "November 2026" (the month of a report, not a moment: UTC) */
export function fmtMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  if (!y || !m) return ym;
  return q(dateFormat({ month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1)));
}
/** "3 phút trước" / "3 minutes ago" */
export function fmtAge(ms: number, now = Date.now()): string {
  const rtf = new Intl.RelativeTimeFormat(tag(), { numeric: 'auto' });
  const s = Math.round((ms - now) / 1000);
  const [v, u]: [number, Intl.RelativeTimeFormatUnit] =
    Math.abs(s) < 60
      ? [s, 'second']
      : Math.abs(s) < 3600
        ? [Math.round(s / 60), 'minute']
        : Math.abs(s) < 86_400
          ? [Math.round(s / 3600), 'hour']
          : [Math.round(s / 86_400), 'day'];
  return q(rtf.format(v, u));
}
const UNITS: Record<string, string> = {
  cm: ' cm',
  '%': ' %',
  ppt: ' ‰',
  '‰': ' ‰',
  'dS/m': ' dS/m',
  'uS/cm': ' µS/cm',
  'µS/cm': ' µS/cm',
  C: ' °C',
  '°C': ' °C',
  pct: ' %',
  '%VWC': ' %',
};
export const unitOf = (unit: string) => (UNITS[unit] ?? ` ${unit}`).trim();
export const fmtValue = (v: number | null, unit: string) =>
  v === null ? '—' : `${fmtNumber(v)}${UNITS[unit] ?? ` ${unit}`}`;
