import { metricInfo, type Reading } from '../../protocol/index.js';
import type { StoredReading } from '../telemetry/store.js';

// no metric of ours comes near this; beyond it aggregates could overflow to Infinity
export const MAX_ABS_VALUE = 1e12;

/** What one message's readings came to: how many of each kind, and the first refused one (for the log). */
export interface Accepted {
  stored: number;
  bad: number;
  range: number;
  future: number;
  firstRefused?: { reading: Reading; reason: 'range' | 'future' };
}

interface Range {
  min: number;
  max: number;
}
// metric → its physical range, null for a metric the platform does not know; looked up once
// per metric name (a name from the wire may also be "constructor": only a real range counts)
const ranges = new Map<string, Range | null>();
function rangeOf(metric: string): Range | null {
  let r = ranges.get(metric);
  if (r === undefined) {
    const m = metricInfo(metric);
    r = m && typeof m.min === 'number' && typeof m.max === 'number' ? { min: m.min, max: m.max } : null;
    if (ranges.size < 10_000) ranges.set(metric, r);
  }
  return r;
}

/**
 * The readings of one validated telemetry message the ingest stores, appended to `out` and
 * tagged with their gateway (the parsed objects themselves: no copy). Refused, counted and never
 * stored: a reading dated after `latestTs` (the cloud clock + the allowed skew), a value beyond
 * ±MAX_ABS_VALUE, a good reading outside its metric's physical range (a bad one keeps its
 * out-of-range value as evidence).
 */
export function acceptReadings(
  gatewayId: string,
  readings: readonly Reading[],
  latestTs: number,
  out: StoredReading[],
): Accepted {
  const res: Accepted = { stored: 0, bad: 0, range: 0, future: 0 };
  let metric: string | undefined;
  let range: Range | null = null;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i] as StoredReading;
    let refused: 'range' | 'future' | undefined;
    const v = r.value;
    if (r.ts > latestTs) refused = 'future';
    else if (v !== null) {
      if (v > MAX_ABS_VALUE || v < -MAX_ABS_VALUE) refused = 'range';
      else if (r.quality !== 'bad') {
        if (r.metric !== metric) {
          metric = r.metric;
          range = rangeOf(metric);
        }
        if (range && (v < range.min || v > range.max)) refused = 'range';
      }
    }
    if (refused) {
      res[refused]++;
      res.firstRefused ??= { reading: r, reason: refused };
      continue;
    }
    if (r.quality === 'bad') res.bad++;
    r.gatewayId = gatewayId;
    out.push(r);
    res.stored++;
  }
  return res;
}
