import { describe, expect, it } from 'vitest';
import { days, hours, minutes } from '../lib/time.js';
import { T0, paddyConfig } from '../edge/control/testing.js';
import { runPaddyLoop } from '../simulators/field/paddy-loop.js';
import type { Reading } from '../protocol/index.js';

const fresh = { monthlyBasePpt: Array(12).fill(0.5), spikeChanceDry: 0, spikeChanceWet: 0 };

describe('the water-level sensor fails in the middle of an irrigation', () => {
  it('closes the intake on the first bad reading and resumes when the sensor is back', () => {
    let failFrom = 0;
    const failFor = hours(3);
    const r = runPaddyLoop({
      config: paddyConfig(),
      start: T0,
      durationMs: days(1),
      tickMs: minutes(1),
      initialLevelCm: -15.5,
      salinity: fresh,
      paddy: { rain: false },
      tamper: (rd: Reading, t: number) => {
        // fail one hour into the first irrigation: the bus times out
        if (rd.sensor === 'wl1' && failFrom === 0 && t >= T0 + hours(1)) failFrom = t;
        if (rd.sensor !== 'wl1' || !failFrom || t >= failFrom + failFor) return rd;
        return { ...rd, value: null, quality: 'bad', fault: 'timeout' };
      },
    });
    const at = (t: number) => r.trace.find((p) => p.ts === t)!;
    expect(at(failFrom - minutes(1)).intakeOpen).toBe(true);
    expect(at(failFrom).intakeOpen).toBe(false);
    expect(r.trace.filter((p) => p.ts >= failFrom && p.ts < failFrom + failFor).every((p) => !p.intakeOpen)).toBe(true);
    expect(at(failFrom + failFor).intakeOpen).toBe(true);
    const fault = r.events.filter((e) => e.kind === 'sensor_fault');
    expect(fault).toEqual([
      expect.objectContaining({
        sensor: 'wl1',
        ts: failFrom,
        reason: 'sensor fault: sensor wl1 reading is bad (timeout)',
      }),
    ]);
    expect(r.events.find((e) => e.kind === 'valve_closed' && e.ts === failFrom)?.reason).toBe(
      'closed: water level unknown, sensor wl1 reading is bad (timeout)',
    );
    expect(r.events.filter((e) => e.kind === 'sensor_recovered').map((e) => e.ts)).toEqual([failFrom + failFor]);
  });

  it('closes it when the sensor goes silent and its last value turns stale', () => {
    const r = runPaddyLoop({
      config: paddyConfig(),
      start: T0,
      durationMs: hours(3),
      tickMs: minutes(1),
      initialLevelCm: -15.5,
      salinity: fresh,
      paddy: { rain: false },
      tamper: (rd, t) => (rd.sensor === 'wl1' && t > T0 + hours(1) ? null : rd),
    });
    const closedAt = r.events.find((e) => e.kind === 'valve_closed')?.ts;
    // staleAfterSeconds 300: the first tick more than 5 minutes after the last reading
    expect(closedAt).toBe(T0 + hours(1) + minutes(6));
  });
});
