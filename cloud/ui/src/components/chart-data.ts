import type { MsgKey } from '../i18n.js';

export type Range = '24h' | '7d' | '30d' | 'season';
/** bucket widths keep every range under the API's 5000 points per series, and a phone's chart readable */
export const RANGES: Record<Range, { ms: number; every: string; label: MsgKey }> = {
  '24h': { ms: 86_400_000, every: '10m', label: 'range24h' },
  '7d': { ms: 7 * 86_400_000, every: '30m', label: 'range7d' },
  '30d': { ms: 30 * 86_400_000, every: '2h', label: 'range30d' },
  // a rice crop is about 100–120 days
  season: { ms: 120 * 86_400_000, every: '6h', label: 'rangeSeason' },
};

export interface Series {
  sensor: string;
  metric: string;
  unit?: string;
  points: Array<{ ts: number; mean?: number | null; value?: number | null }>;
}
export interface Period {
  from: number;
  to: number;
}

/** the metric a gateway reports a valve's state with (1 open, 0 closed), sensor = the valve id */
export const VALVE_METRIC = 'valve_open';

/**
 * Periods when any of `valves` was open, from their valve_open series: a valve stays as its last
 * bucket said until a bucket says otherwise (readings may be sparser than the buckets).
 */
export function openPeriods(series: Series[], valves: string[], everyMs: number): Period[] {
  const out: Period[] = [];
  for (const s of series) {
    if (s.metric !== VALVE_METRIC || !valves.includes(s.sensor)) continue;
    let from: number | null = null;
    let last = 0;
    for (const p of [...s.points].sort((a, b) => a.ts - b.ts)) {
      const v = p.mean ?? p.value;
      if (v == null) continue;
      last = p.ts;
      if (v > 0 && from === null) from = p.ts;
      if (v <= 0 && from !== null) {
        out.push({ from, to: p.ts });
        from = null;
      }
    }
    if (from !== null) out.push({ from, to: last + Math.max(everyMs, 1) });
  }
  return out.sort((a, b) => a.from - b.from);
}

/** Open periods from decisions (newest first): valve_opened … valve_closed of one of `valves`. */
export function periodsFromEvents(
  events: Array<{ ts: number; kind: string; valve?: string | undefined }>,
  valves: string[],
  now: number,
): Period[] {
  const out: Period[] = [];
  const openAt: Record<string, number> = {};
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (!e.valve || !valves.includes(e.valve)) continue;
    if (e.kind === 'valve_opened' && openAt[e.valve] === undefined) openAt[e.valve] = e.ts;
    if ((e.kind === 'valve_closed' || e.kind === 'max_run_time') && openAt[e.valve] !== undefined) {
      out.push({ from: openAt[e.valve]!, to: e.ts });
      delete openAt[e.valve];
    }
  }
  for (const from of Object.values(openAt)) out.push({ from, to: now });
  return out;
}
