import { fixture } from '../protocol/fixtures/index.js';
import type { Telemetry } from '../protocol/index.js';
import { until } from './support/wait.js';

/** Polls (vi.waitFor) until check() returns something truthy, or fails with the last error. */
export function eventually<T>(check: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  return until(`a condition within ${ms} ms`, check, ms);
}

/** The canonical telemetry fixture moved to "now", so the default 24 h window holds it. */
export function telemetryNow(now: number): Telemetry {
  const t = fixture<Telemetry>('telemetry');
  return { ...t, ts: now, readings: t.readings.map((r) => ({ ...r, ts: now })) };
}
