import { describe, expect, it } from 'vitest';
import { hours, minutes } from '../lib/time.js';
import { T0, paddyConfig } from '../edge/control/testing.js';
import { runPaddyLoop } from '../simulators/field/paddy-loop.js';

const fresh = { monthlyBasePpt: Array(12).fill(0.5), spikeChanceDry: 0, spikeChanceWet: 0 };

describe('a water-level sensor stuck low keeps asking for water', () => {
  it('is stopped by the max run time, locked out, and never runs longer than the limit', () => {
    const config = paddyConfig({ maxRunMinutes: 90 });
    const r = runPaddyLoop({
      config,
      start: T0,
      durationMs: hours(8),
      tickMs: minutes(1),
      initialLevelCm: -16,
      salinity: fresh,
      paddy: { rain: false },
      // the float is jammed: it reads −16 cm whatever the field does
      tamper: (rd) => (rd.sensor === 'wl1' ? { ...rd, value: -16 } : rd),
    });
    const maxRun = r.events.filter((e) => e.kind === 'max_run_time');
    expect(maxRun.length).toBeGreaterThanOrEqual(2);
    expect(maxRun[0]).toMatchObject({ ts: T0 + minutes(90), severity: 'warning' });
    expect(maxRun[0]!.reason).toMatch(/^closed: v1 open 90 min ≥ max run time 90 min, locked out until \d\d:\d\d$/);
    // longest continuous run
    let run = 0;
    let longest = 0;
    for (const p of r.trace) {
      run = p.intakeOpen ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeLessThanOrEqual(90);
    // the lock-out (30 min) passes before it reopens
    const reopen = r.events.filter((e) => e.kind === 'valve_opened')[1];
    expect(reopen!.ts - maxRun[0]!.ts).toBe(minutes(30));
  });
});
