import { describe, expect, it } from 'vitest';
import { days, hours, minutes } from '../lib/time.js';
import { T0, paddyConfig } from '../edge/control/testing.js';
import { runPaddyLoop } from '../simulators/field/paddy-loop.js';

describe('a salinity spike at the intake', () => {
  // the re-flood starts at once and takes ~4 h; salt comes in for 18 hours two hours into it
  const spikeFrom = T0 + hours(2);
  const spikeTo = spikeFrom + hours(18);
  const salinity = {
    monthlyBasePpt: Array(12).fill(0.8),
    tideAmplitude: 0.2,
    spikeChanceDry: 0,
    spikeChanceWet: 0,
    events: [{ from: spikeFrom, to: spikeTo, ppt: 4.6 }],
  };
  const run = () =>
    runPaddyLoop({
      config: paddyConfig(),
      start: T0,
      durationMs: days(2),
      tickMs: minutes(1),
      initialLevelCm: -15.5,
      salinity,
      paddy: { rain: false, seed: 3 },
    });

  it('closes the open intake, keeps it closed while the canal is salty, and resumes after', () => {
    const r = run();
    const opened = r.trace.find((p) => p.intakeOpen);
    expect(opened && opened.ts < spikeFrom).toBe(true);
    const during = r.trace.filter((p) => p.ts >= spikeFrom && p.ts < spikeTo);
    expect(during.every((p) => !p.intakeOpen)).toBe(true);
    const after = r.trace.filter((p) => p.ts >= spikeTo);
    expect(after.some((p) => p.intakeOpen)).toBe(true);
    expect(Math.max(...after.map((p) => p.levelCm))).toBeGreaterThanOrEqual(4.5);
  });

  it('says why once: one interlock close and one blocked event for the whole spike', () => {
    const r = run();
    const inSpike = r.events.filter((e) => e.ts >= spikeFrom && e.ts < spikeTo);
    expect(inSpike.filter((e) => e.kind === 'interlock')).toEqual([
      expect.objectContaining({
        reason: 'closed: intake salinity 4.6‰ > 2.0‰',
        severity: 'warning',
        valve: 'v1',
        zone: 'z1',
      }),
    ]);
    expect(inSpike.filter((e) => e.kind === 'blocked').map((e) => e.reason)).toEqual([
      'blocked: intake salinity 4.6‰ > 2.0‰',
    ]);
    expect(inSpike.filter((e) => e.kind === 'pump_off')).toHaveLength(1);
  });
});
