import { fmtDateTime, fmtNumber, has, t, type MsgKey } from '../i18n.js';

export interface Entry {
  id?: number;
  ts: number;
  actor: string;
  action: string;
  target: string;
  old?: unknown;
  new?: unknown;
}

/** "đổi cài đặt bộ điều khiển" + "gw-1": the action and the kind of object in words, and its id */
export function whatText(e: Entry): { text: string; id: string } {
  const [entity = '', ...rest] = e.target.split(':');
  const verb = e.action
    .split('.')
    .reverse()
    .find((a) => has(`act_${a}`));
  const noun = has(`ent_${entity}`) ? t(`ent_${entity}` as MsgKey) : t('ent_generic');
  return { text: `${t((verb ? `act_${verb}` : 'act_other') as MsgKey)} ${noun}`, id: rest.join(':') };
}

/** states and modes the server stores as codes, shown in words */
const WORDS: Record<string, MsgKey> = {
  planned: 'planned',
  approved: 'approved',
  flown: 'flown',
  verified: 'verified',
  draft: 'draft',
  open: 'open',
  closed: 'closed',
  awd: 'mode_awd',
  threshold: 'mode_threshold',
  schedule: 'mode_schedule',
  off: 'mode_off',
  applied: 'approved',
  farmer: 'role_farmer',
  technician: 'role_technician',
  officer: 'role_officer',
  admin: 'role_admin',
};
/** a value that is an identifier (no spaces: ids, codes) shows as code; words and numbers as text */
export interface Shown {
  text: string;
  code: boolean;
}

/** a stored value as a person reads it: numbers and dates in the locale, codes in words, lists and objects counted */
export function valueText(v: unknown, key = ''): Shown {
  const txt = (text: string): Shown => ({ text, code: false });
  if (v === null || v === undefined || v === '') return txt(t('nothing'));
  if (typeof v === 'boolean') return txt(t(v ? 'yes' : 'no'));
  if (typeof v === 'number') return txt(/(^at$|At$|^ts$)/.test(key) && v > 1e12 ? fmtDateTime(v) : fmtNumber(v, 2));
  if (typeof v === 'string') {
    if (WORDS[v]) return txt(t(WORDS[v]));
    if (/^[\w.:@/-]+$/.test(v)) return { text: v, code: true };
    return txt(v.length > 80 ? `${v.slice(0, 79)}…` : v);
  }
  return txt(t('fieldsChanged', { n: Array.isArray(v) ? v.length : Object.keys(v).length }));
}

/** One line per field that differs: "name: Ruộng ông Ba → Ruộng ông Ba 2" (secrets never stored here) */
export function diffRows(before: unknown, after: unknown): Array<{ key: string; before: Shown; after: Shown }> {
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const a = obj(before);
  const b = obj(after);
  if (!a && !b) return before === after ? [] : [{ key: '', before: valueText(before), after: valueText(after) }];
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
  return keys
    .filter((k) => JSON.stringify(a?.[k]) !== JSON.stringify(b?.[k]))
    .map((k) => ({ key: k, before: valueText(a?.[k], k), after: valueText(b?.[k], k) }));
}
