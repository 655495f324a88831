import { t, fmtNumber, type MsgKey } from './i18n.js';

export interface NumberRule {
  field: MsgKey;
  min?: number;
  max?: number;
  integer?: boolean;
  optional?: boolean;
}

/**
 * A number typed by a person (comma or dot as decimal mark), refused when empty or out of range
 * with a sentence in the reader's language, so an empty box never quietly becomes a default.
 */
export function checkNumber(raw: string, r: NumberRule): { value?: number; error?: string } {
  const field = t(r.field);
  const s = raw.trim().replace(',', '.');
  if (s === '') return r.optional ? {} : { error: t('required', { field }) };
  const n = Number(s);
  if (!Number.isFinite(n) || (r.integer && !Number.isInteger(n))) return { error: t('notNumber', { field }) };
  if (r.min !== undefined && n < r.min) return { error: t('tooSmall', { field, min: fmtNumber(r.min, 2) }) };
  if (r.max !== undefined && n > r.max) return { error: t('tooBig', { field, max: fmtNumber(r.max, 2) }) };
  return { value: n };
}
