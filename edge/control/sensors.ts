import { metricInfo, type Reading, type SensorRef } from '../../protocol/index.js';
import { mins, num } from './format.js';
import type { LatestReading, LoopState } from './types.js';

export const sensorKey = (ref: { sensor: string; metric: string }) => `${ref.sensor}/${ref.metric}`;

/** A sensor value the loop may act on, or why it may not ("don't irrigate on it"). */
export type SensorView =
  | { ok: true; value: number; ts: number }
  | { ok: false; why: string };

/** Keeps the newest reading per sensor metric; an older reading arriving late never wins. */
export function mergeReadings(latest: Record<string, LatestReading>, readings: readonly Reading[]): void {
  for (const r of readings) {
    const key = sensorKey(r);
    const prev = latest[key];
    if (prev && prev.ts > r.ts) continue;
    latest[key] = { value: r.value, ts: r.ts, quality: r.quality ?? 'good', ...(r.fault ? { fault: r.fault } : {}) };
  }
}

/**
 * Unknown is never a reason to irrigate: no reading, a reading marked bad (timeout, CRC…),
 * one older than staleAfterSeconds, or a value outside the metric's physical range.
 */
export function viewSensor(state: LoopState, ref: SensorRef, staleAfterSeconds: number, now: number): SensorView {
  const r = state.latest[sensorKey(ref)];
  const name = `sensor ${ref.sensor}`;
  if (!r) return { ok: false, why: `${name} has no reading yet` };
  // defence in depth: a reading from before this boot (restored state, a late queue) is history
  if (state.startedAt !== undefined && r.ts < state.startedAt) return { ok: false, why: `${name} has no reading since start-up` };
  if (r.quality === 'bad' || r.value === null) return { ok: false, why: `${name} reading is bad (${r.fault ?? 'fault'})` };
  const age = now - r.ts;
  if (age > staleAfterSeconds * 1000) return { ok: false, why: `${name} is stale: last reading ${mins(age)} ago` };
  const info = metricInfo(ref.metric);
  if (info && (r.value < info.min || r.value > info.max)) {
    return { ok: false, why: `${name} value ${num(r.value)} ${info.unit} is outside ${num(info.min)}…${num(info.max)} ${info.unit}` };
  }
  return { ok: true, value: r.value, ts: r.ts };
}
