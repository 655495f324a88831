import { metricInfo, type Reading, type SensorRef } from '../../protocol/index.js';
import { mins, num } from './format.js';
import type { LatestReading, LoopState } from './types.js';

export const sensorKey = (ref: { sensor: string; metric: string }) => `${ref.sensor}/${ref.metric}`;

/** A sensor value the loop may act on, or why it may not ("don't irrigate on it"). */
export type SensorView =
  | { ok: true; value: number; ts: number }
  | { ok: false; why: string; cause: SensorUnknownCause; data: Record<string, string | number | null> };

/** why a sensor value is unknown, as a stable code (event data `cause`) */
export type SensorUnknownCause = 'no_reading' | 'before_start' | 'bad_reading' | 'stale' | 'out_of_range';

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
  const unknown = (
    cause: SensorUnknownCause,
    why: string,
    extra: Record<string, string | number | null> = {},
  ): SensorView => ({ ok: false, why, cause, data: { sensor: ref.sensor, metric: ref.metric, cause, ...extra } });
  if (!r) return unknown('no_reading', `${name} has no reading yet`);
  // defence in depth: a reading from before this boot (restored state, a late queue) is history
  if (state.startedAt !== undefined && r.ts < state.startedAt)
    return unknown('before_start', `${name} has no reading since start-up`);
  if (r.quality === 'bad' || r.value === null)
    return unknown('bad_reading', `${name} reading is bad (${r.fault ?? 'fault'})`, { fault: r.fault ?? null });
  const age = now - r.ts;
  if (age > staleAfterSeconds * 1000)
    return unknown('stale', `${name} is stale: last reading ${mins(age)} ago`, { ageSeconds: Math.round(age / 1000) });
  const info = metricInfo(ref.metric);
  if (info && (r.value < info.min || r.value > info.max)) {
    return unknown(
      'out_of_range',
      `${name} value ${num(r.value)} ${info.unit} is outside ${num(info.min)}…${num(info.max)} ${info.unit}`,
      { value: r.value, min: info.min, max: info.max, unit: info.unit },
    );
  }
  return { ok: true, value: r.value, ts: r.ts };
}
