import { describe, expect, it } from 'vitest';
import { openPeriods, periodsFromEvents, RANGES } from './chart-data.js';

describe('chart data', () => {
  it("merges adjacent open buckets of the zone's valves into periods and ignores other valves", () => {
    const h = 3_600_000;
    const series = [
      {
        sensor: 'v1',
        metric: 'valve_open',
        points: [
          { ts: 0, mean: 0 },
          { ts: h, mean: 1 },
          { ts: 2 * h, mean: 0.5 },
          { ts: 3 * h, mean: 0 },
          { ts: 5 * h, mean: 1 },
        ],
      },
      { sensor: 'v9', metric: 'valve_open', points: [{ ts: 0, mean: 1 }] },
      { sensor: 'wl1', metric: 'water_level', points: [{ ts: 0, mean: 3 }] },
    ];
    expect(openPeriods(series, ['v1'], h)).toEqual([
      { from: h, to: 3 * h },
      { from: 5 * h, to: 6 * h },
    ]);
  });

  it('pairs valve_opened with the next valve_closed, an open one running until now', () => {
    const ev = [
      { ts: 50, kind: 'valve_opened', valve: 'v1' },
      { ts: 30, kind: 'valve_closed', valve: 'v1' },
      { ts: 10, kind: 'valve_opened', valve: 'v1' },
      { ts: 20, kind: 'valve_opened', valve: 'v2' },
    ];
    expect(periodsFromEvents(ev, ['v1'], 100)).toEqual([
      { from: 10, to: 30 },
      { from: 50, to: 100 },
    ]);
  });

  it("keeps every range under the API's 5000 points per series", () => {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
    for (const r of Object.values(RANGES)) {
      const m = /^(\d+)([mhd])$/.exec(r.every)!;
      expect(r.ms / (Number(m[1]) * unit[m[2] as 'm'])).toBeLessThanOrEqual(5000);
    }
  });
});
