import { describe, expect, it } from 'vitest';
import { addGaugeReading, emptyGauge, rainOverLast, type GaugeMemory } from './rain.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 5, 1);

function feed(readings: [number, number][], wrapMm?: number): GaugeMemory {
  let g = emptyGauge();
  for (const [hours, total] of readings) g = addGaugeReading(g, total, T0 + hours * H, wrapMm).gauge;
  return g;
}

describe('measured rain from a tipping-bucket total', () => {
  it('sums the rain that fell within the last N hours', () => {
    const g = feed([
      [0, 100],
      [1, 104],
      [2, 104],
      [10, 110.5],
      [20, 110.5],
    ]);
    expect(rainOverLast(g, 24, T0 + 20 * H, 2 * H)).toBe(10.5);
    expect(rainOverLast(g, 12, T0 + 20 * H, 2 * H)).toBe(6.5);
    expect(rainOverLast(g, 3, T0 + 20 * H, 2 * H)).toBe(0);
  });

  it('counts on through a counter that wraps or resets to zero', () => {
    expect(
      rainOverLast(
        feed(
          [
            [0, 6550],
            [1, 2.5],
          ],
          6553.6,
        ),
        24,
        T0 + 1 * H,
        H,
      ),
    ).toBeCloseTo(6.1, 5);
    expect(
      rainOverLast(
        feed([
          [0, 812],
          [1, 3],
        ]),
        24,
        T0 + 1 * H,
        H,
      ),
    ).toBe(3);
  });

  it('takes no rain from the first reading, from a jump no rain can make, or from a reading older than the last', () => {
    const g = feed([
      [0, 500],
      [1, 1500],
      [2, 1501],
    ]);
    expect(rainOverLast(g, 24, T0 + 2 * H, H)).toBe(1);
    const late = addGaugeReading(g, 1600, T0 + 1.5 * H).gauge;
    expect(late).toBe(g);
  });

  it('is unknown (null) when the gauge was never read or is stale, never zero', () => {
    expect(rainOverLast(emptyGauge(), 24, T0, H)).toBeNull();
    expect(
      rainOverLast(
        feed([
          [0, 10],
          [1, 20],
        ]),
        24,
        T0 + 5 * H,
        H,
      ),
    ).toBeNull();
  });

  it('keeps at most 72 hours of rain', () => {
    const g = feed(Array.from({ length: 100 }, (_, i) => [i, i] as [number, number]));
    expect(g.hours.length).toBeLessThanOrEqual(72);
  });
});
