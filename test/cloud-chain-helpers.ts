import { fixture } from '../protocol/fixtures/index.js';
import type { Telemetry } from '../protocol/index.js';

/** Polls until check() returns something truthy, or fails with the last value seen. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms; last: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The canonical telemetry fixture moved to "now", so the default 24 h window holds it. */
export function telemetryNow(now: number): Telemetry {
  const t = fixture<Telemetry>('telemetry');
  return { ...t, ts: now, readings: t.readings.map((r) => ({ ...r, ts: now })) };
}
