import { describe, expect, it } from 'vitest';
import { CROPS, daysBetween, kcOnDay } from './crops.js';

describe('crop coefficients (FAO-56 Tables 11 and 12)', () => {
  it('gives rice Kc ini 1.05, mid 1.20 and end 0.75 by its growth stage', () => {
    const rice = CROPS.rice;
    expect(kcOnDay(rice, 0)).toEqual({ kc: 1.05, stage: 'initial' });
    expect(kcOnDay(rice, 70)).toEqual({ kc: 1.2, stage: 'mid' });
    expect(kcOnDay(rice, 149).kc).toBeCloseTo(0.765, 3);
  });

  it('rises in a straight line through development and falls through the late stage (Fig. 25)', () => {
    const tomato = CROPS.tomato; // 30/40/40/25 days, 0.60 → 1.15 → 0.80
    expect(kcOnDay(tomato, 50)).toEqual({ kc: 0.875, stage: 'development' });
    expect(kcOnDay(tomato, 110 + 12.5).kc).toBeCloseTo(0.975, 3);
  });

  it('has no crop before planting or after the last stage', () => {
    expect(kcOnDay(CROPS.lettuce, -1)).toEqual({ kc: null, stage: 'before_planting' });
    expect(kcOnDay(CROPS.lettuce, 75)).toEqual({ kc: null, stage: 'after_harvest' });
  });

  it("takes the farmer's own stage lengths", () => {
    expect(kcOnDay(CROPS.cabbage, 12, [10, 10, 10, 10]).stage).toBe('development');
  });

  it('counts days across a month and a year end', () => {
    expect(daysBetween('2026-12-20', '2027-01-05')).toBe(16);
  });
});
