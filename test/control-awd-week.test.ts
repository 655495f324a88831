import { describe, expect, it } from 'vitest';
import { days, minutes } from '../lib/time.js';
import { T0, paddyConfig } from '../edge/control/testing.js';
import { runPaddyLoop } from '../simulators/field/paddy-loop.js';

const fresh = { monthlyBasePpt: Array(12).fill(0.5), spikeChanceDry: 0, spikeChanceWet: 0 };

describe('AWD over simulated weeks', () => {
  it('cycles the paddy between −15 cm and +5 cm for four weeks', () => {
    const r = runPaddyLoop({
      config: paddyConfig(),
      start: T0,
      durationMs: days(28),
      tickMs: minutes(5),
      initialLevelCm: -8,
      salinity: fresh,
      paddy: { seed: 7 },
    });
    const levels = r.trace.map((p) => p.levelCm);
    // one 5-minute tick of inflow or drying is the margin around the marks (plus a shower)
    expect(Math.min(...levels)).toBeGreaterThanOrEqual(-16);
    expect(Math.max(...levels)).toBeLessThanOrEqual(5 + 3);
    expect(r.opens).toBeGreaterThanOrEqual(2);
    // it really dries out between floods: the level goes below −14 cm after each re-flood
    const dries = r.trace.filter((p, i) => i > 0 && p.levelCm <= -14 && r.trace[i - 1]!.levelCm > -14).length;
    expect(dries).toBeGreaterThanOrEqual(2);
    const opened = r.events.filter((e) => e.kind === 'valve_opened');
    expect(opened[0]?.reason).toMatch(/^opened: water level −15\.\d cm ≤ −15 cm$/);
    expect(r.events.filter((e) => e.kind === 'valve_closed').every((e) => /≥ 5 cm$/.test(e.reason))).toBe(true);
  });

  it('keeps the field flooded between the bounds inside a keep-flooded window', () => {
    const config = paddyConfig({
      awd: { keepFlooded: [{ from: '2026-03-12', to: '2026-03-20', minCm: 2, maxCm: 6 }] },
    });
    const r = runPaddyLoop({
      config,
      start: T0,
      durationMs: days(10),
      tickMs: minutes(2),
      initialLevelCm: -5,
      salinity: fresh,
      paddy: { rain: false },
    });
    const inWindow = r.trace.filter((p) => p.ts >= Date.UTC(2026, 2, 12, 12) && p.ts < Date.UTC(2026, 2, 19, 17));
    expect(inWindow.length).toBeGreaterThan(1000);
    for (const p of inWindow) {
      expect(p.levelCm).toBeGreaterThanOrEqual(1.5);
      expect(p.levelCm).toBeLessThanOrEqual(6.5);
    }
  });
});
