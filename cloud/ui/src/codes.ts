import { ApiError } from './api.js';
import { fmtTime, has, t, tFull, type MsgKey } from './i18n.js';

/**
 * Person-readable text from what the server sends as codes and parameters: gateway events,
 * alerts, API errors, validation issues, mission warnings. A code this build does not know falls
 * back to a translated sentence of its family (the event's kind, the error's HTTP status); the
 * server's English `message` / `reason` is never shown.
 */
type Params = Record<string, unknown>;

/** server params: moments (`until`, `lockedUntil`, ms) as local times, other numbers formatted by t, ids and names as they are */
function clean(p: Params | undefined | null): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p ?? {})) {
    if (typeof v === 'number' && /(^until$|Until$|At$)/.test(k) && v > 1e12) out[k] = fmtTime(v);
    else if (typeof v === 'number' || typeof v === 'string') out[k] = v;
  }
  return out;
}

export interface EventLike {
  kind: string;
  code?: string | undefined;
  valve?: string | undefined;
  zone?: string | undefined;
  sensor?: string | undefined;
  data?: Params | undefined;
}

export function eventText(e: EventLike): string {
  const p = {
    ...clean(e.data),
    ...(e.valve ? { valve: e.valve } : {}),
    ...(e.zone ? { zone: e.zone } : {}),
    ...(e.sensor ? { sensor: e.sensor } : {}),
  };
  if (e.code) {
    const s = tFull(`ev_${e.code}`, p);
    if (s) return s;
  }
  const kind = has(`evk_${e.kind}`) ? (`evk_${e.kind}` as MsgKey) : 'evk_generic';
  return tFull(kind, p) ?? t(kind, { valve: '', sensor: '' }).replace(/\s+/g, ' ').trim();
}

export interface AlertLike {
  code?: string | undefined;
  kind?: string | undefined;
  params?: Params | undefined;
  sensor?: string | undefined;
  zone?: string | undefined;
  value?: number | undefined;
}

/** title and (when its parameters are all there) a detail line */
export function alertText(a: AlertLike): { title: string; detail: string | null } {
  const code = a.code ?? a.kind ?? '';
  const p = {
    ...clean(a.params),
    ...(a.sensor ? { sensor: a.sensor } : {}),
    ...(a.value !== undefined ? { valueCm: a.value } : {}),
  };
  const title =
    tFull(`al_${code}`, p) ?? (has(`al_${code}`) ? t(`al_${code}` as MsgKey, { sensor: '' }).trim() : t('al_generic'));
  return { title, detail: tFull(`ald_${code}`, p) };
}

export interface IssueLike {
  path?: string | Array<string | number> | undefined;
  code?: string | undefined;
  params?: Params | undefined;
  minimum?: unknown;
  maximum?: unknown;
}

/** the name of the field an issue is about, from the last named segment of its path */
export function fieldName(path: IssueLike['path']): string {
  const segs = (Array.isArray(path) ? path : String(path ?? '').split(/[./]/))
    .map(String)
    .filter((s) => s && !/^\d+$/.test(s));
  for (const s of segs.reverse()) if (has(`fld_${s}`)) return t(`fld_${s}` as MsgKey);
  return t('thisField');
}

export function issueText(i: IssueLike): string {
  const p = { minimum: i.minimum, maximum: i.maximum, ...clean(i.params), field: fieldName(i.path) };
  if (i.code) {
    const s = tFull(`iss_${i.code}`, p);
    if (s) return s;
  }
  return t('iss_generic', { field: p.field });
}

export interface WarningLike {
  code?: string | undefined;
  params?: Params | undefined;
}

/** a mission warning, refusal or weather finding; an old-style English string gets the generic line */
export function warningText(w: WarningLike | string): string {
  if (typeof w === 'string' || !w.code) return t('mw_generic');
  return tFull(`mw_${w.code}`, clean(w.params)) ?? t('mw_generic');
}

/** The translated sentence of a failed request: its code, else its HTTP family; offline has its own. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t('err_generic');
  if (err.status === 0) return t('err_network');
  const s = tFull(`err_${err.code}`, clean(err.params));
  if (s) return s;
  const family =
    err.status >= 500
      ? 'err_500'
      : has(`err_${err.status}`)
        ? `err_${err.status}`
        : err.status >= 400
          ? 'err_400'
          : 'err_generic';
  return t(family as MsgKey);
}

/** the validation issues a refused request carries (none for any other failure) */
export function errorIssues(err: unknown): IssueLike[] {
  return err instanceof ApiError ? (err.details.issues ?? []) : [];
}

/** every line an error carries: the sentence, then each validation issue */
export function errorLines(err: unknown): string[] {
  return [errorText(err), ...errorIssues(err).map(issueText)];
}
