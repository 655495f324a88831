import { describe, expect, it } from 'vitest';
import { dayOfYear, et0Daily, et0Hourly, pressureKpa, windAt2m } from './et0.js';

// FAO Irrigation and Drainage Paper 56 (Allen et al. 1998), chapter 4, worked examples
describe('FAO-56 Penman-Monteith ET₀', () => {
  it('Example 18: Brussels, 6 July, daily data → ET₀ 3.9 mm/day', () => {
    const r = et0Daily(
      { tMinC: 12.3, tMaxC: 21.5, rhMinPct: 63, rhMaxPct: 84, windMs: 10 / 3.6, windHeightM: 10, sunshineHours: 9.25 },
      { latDeg: 50 + 48 / 60, elevationM: 100 },
      dayOfYear('2026-07-06'),
    );
    expect(r.u2).toBeCloseTo(2.078, 3);
    expect(r.delta).toBeCloseTo(0.122, 3);
    expect(r.gamma).toBeCloseTo(0.0666, 4);
    expect(r.es).toBeCloseTo(1.997, 3);
    expect(r.ea).toBeCloseTo(1.409, 3);
    expect(r.ra).toBeCloseTo(41.09, 2);
    expect(r.daylightHours).toBeCloseTo(16.1, 1);
    expect(r.rs).toBeCloseTo(22.07, 2);
    expect(r.rso).toBeCloseTo(30.9, 2);
    expect(r.rnl).toBeCloseTo(3.71, 2);
    expect(r.rn).toBeCloseTo(13.28, 2);
    expect(r.et0).toBeCloseTo(3.9, 1);
  });

  it('Example 17: Bangkok, April, monthly means with G = 0.14 → ET₀ 5.72 mm/day', () => {
    const r = et0Daily(
      { tMinC: 25.6, tMaxC: 34.8, eaKpa: 2.85, windMs: 2, sunshineHours: 8.5, soilHeatMj: 0.14 },
      { latDeg: 13 + 44 / 60, elevationM: 2 },
      105,
    );
    expect(r.ra).toBeCloseTo(38.06, 2);
    expect(r.rs).toBeCloseTo(22.65, 2);
    expect(r.rn).toBeCloseTo(14.33, 2);
    expect(r.et0).toBeCloseTo(5.72, 2);
  });

  // N'Diaye, Senegal, 16°13'N 16°15'W, 8 m; the example takes Lz = 15° W
  const ndiaye = { latDeg: 16 + 13 / 60, elevationM: 8, lonDeg: -(16 + 15 / 60), zoneLonDeg: -15 };

  it("Example 19: N'Diaye, 1 October, 14:00–15:00 → Ra 3.543, Rn 1.749, ET₀ 0.63 mm/hour", () => {
    const r = et0Hourly({ tC: 38, rhPct: 52, windMs: 3.3, solarMj: 2.45 }, ndiaye, dayOfYear('2026-10-01'), 15);
    expect(r.es).toBeCloseTo(6.625, 3);
    expect(r.ea).toBeCloseTo(3.445, 3);
    expect(r.delta).toBeCloseTo(0.358, 3);
    expect(r.ra).toBeCloseTo(3.543, 3);
    expect(r.rso).toBeCloseTo(2.658, 3);
    expect(r.rnl).toBeCloseTo(0.137, 3);
    expect(r.rn).toBeCloseTo(1.749, 3);
    expect(r.g).toBeCloseTo(0.175, 3);
    expect(r.et0).toBeCloseTo(0.63, 2);
  });

  it("Example 19: N'Diaye, 1 October, 02:00–03:00 at night → Rn −0.100, G −0.050, ET₀ 0.0 mm/hour", () => {
    const r = et0Hourly({ tC: 28, rhPct: 90, windMs: 1.9, solarMj: 0 }, ndiaye, 274, 3);
    expect(r.ra).toBe(0);
    expect(r.rn).toBeCloseTo(-0.1, 3);
    expect(r.g).toBeCloseTo(-0.05, 3);
    expect(r.et0).toBeCloseTo(0.0, 1);
  });

  it('converts wind from 10 m to 2 m with FAO-56 eq. 47 and leaves 2 m as it is', () => {
    expect(windAt2m(3.2, 10)).toBeCloseTo(2.4, 1); // FAO-56 Example 14
    expect(windAt2m(3.2, 2)).toBe(3.2);
  });

  it("takes the pressure of the site's elevation (Example 2: 1800 m → 81.8 kPa)", () => {
    expect(pressureKpa(1800)).toBeCloseTo(81.8, 1);
  });

  it('needs radiation or sunshine hours, and never returns a negative ET₀', () => {
    expect(() => et0Daily({ tMinC: 20, tMaxC: 30, windMs: 1 }, { latDeg: 10, elevationM: 0 }, 100)).toThrow(
      /solarMj or sunshineHours/,
    );
    const cold = et0Daily(
      { tMinC: 5, tMaxC: 6, rhMeanPct: 100, windMs: 0, solarMj: 0 },
      { latDeg: 60, elevationM: 0 },
      355,
    );
    expect(cold.et0).toBe(0);
  });
});
