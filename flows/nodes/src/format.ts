/** Vietnamese number and time formatting for notification texts (decimal comma: 3,4‰). */
export function numVi(value: number, digits = 1): string {
  return value.toLocaleString('vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function timeVi(ts: number, timeZone = 'Asia/Ho_Chi_Minh'): string {
  return new Intl.DateTimeFormat('vi-VN', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(ts);
}

export function dateVi(ts: number, timeZone = 'Asia/Ho_Chi_Minh'): string {
  return new Intl.DateTimeFormat('vi-VN', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }).format(ts);
}

/** Node-RED leaves `${VAR}` in place when the variable is unset: treat that as "not configured". */
export function configured(value: unknown): string | undefined {
  // config values are strings or numbers; anything else (unset, an object) is not a setting
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const s = String(value).trim();
  if (s === '' || /^\$\{[^}]*\}$/.test(s)) return undefined;
  return s;
}

export function configuredNumber(value: unknown, fallback: number): number {
  const s = configured(value);
  if (s === undefined) return fallback;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : fallback;
}

/** Comma/space separated list, empty when unset. */
export function configuredList(value: unknown): string[] {
  const s = configured(value);
  return s ? s.split(/[\s,]+/).filter(Boolean) : [];
}
