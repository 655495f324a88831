import { describe, expect, it } from 'vitest';
import { makeField } from './field.js';
import { fields2coverFields } from './fixtures/f2c-bench/fields.js';
import { generatedFields, toPolygon } from './fixtures/fields.js';
import type { LocalMulti } from './geo/local-frame.js';
import { measureCoverage } from './coverage.js';
import { interiorCells } from './overlap.js';
import { planMission } from './planner.js';

// the benchmark's drone: 6 m swath
const drone = { swathM: 6, tankL: 40, maxFlowLpm: 16, speedMps: 6, enduranceMin: 18 };
const product = { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 };
const plan = (name: keyof typeof generatedFields) =>
  planMission({ field: makeField({ boundary: generatedFields[name]() }), drone, product });

describe('double dose on concave fields', () => {
  it('flies the U across its arms: at most 3 % of the sprayed ground twice, coverage kept at 99 %', () => {
    // along the arms (the fewest passes) a pass band straddles each side of the notch: 3.96 %
    const m = plan('uShape').metrics;
    expect(m.headingDeg).toBe(90);
    expect(m.doubleDose).toBeLessThanOrEqual(0.03);
    expect(m.coverage).toBeGreaterThanOrEqual(0.99);
    expect(m.overspray).toBe(0);
  });

  it('keeps the irregular field with holes within 3 % and 99 % coverage', () => {
    const m = plan('irregular60').metrics;
    expect(m.doubleDose).toBeLessThanOrEqual(0.03);
    expect(m.coverage).toBeGreaterThanOrEqual(0.99);
  });

  it("lays the kite's surplus height at its waist and trims the loop at its tips: under 6.5 % (was 8.1 %), not yet 3 %", () => {
    // what is left is geometry: square swath ends of a whole boom meeting its slanted sides at
    // 30–40° leave triangles over the headland (≈ 0.28 w² cot α each)
    const m = plan('concaveKite').metrics;
    expect(m.doubleDose).toBeLessThan(0.065);
    expect(m.coverage).toBeGreaterThanOrEqual(0.985);
    expect(m.overspray).toBe(0);
  });

  it('flies a narrow Fields2Cover strip across when along it double-doses 11 %, for at most 5 % more path', () => {
    const f = fields2coverFields().find((x) => x.name === 'f2c-ee-field-103')!;
    const m = planMission({ field: makeField({ boundary: f.polygon }), drone, product }).metrics;
    // along the strip (62°, 15 turns) the 5.4 swaths of its height leave a pass over the others
    expect(Math.abs(m.headingDeg - 62.3)).toBeGreaterThan(45);
    expect(m.doubleDose).toBeLessThan(0.035);
    expect(m.coverage).toBeGreaterThanOrEqual(0.996);
    expect(m.pathRatio).toBeLessThan(1.165 * 1.05);
    expect(m.overspray).toBe(0);
  });

  it('leaves the fields that were within 3 % on their fewest-passes heading', () => {
    expect(plan('lShape').metrics).toMatchObject({ headingDeg: 0, turns: 83 });
    expect(plan('rotatedRectangle').metrics.headingDeg).toBe(63);
  });

  it('keeps a rectangle on its long side when the heading within 3 % needs twice the passes', () => {
    // 200 × 100 m at a 7 m swath: 4.9 % along, 1.5 % across for twice the turns and pass ends
    const field = makeField({
      boundary: toPolygon([
        [
          [0, 0],
          [200, 0],
          [200, 100],
          [0, 100],
        ],
      ]),
    });
    const m = planMission({ field, drone: { ...drone, swathM: 7 }, product }).metrics;
    expect(m.headingDeg).toBe(90);
    expect(m.doubleDose).toBeGreaterThan(0.03);
  });
});

describe('respacing a narrowing cell', () => {
  // a trapezoid 40 m wide at the bottom, 10 m at the top, 27 m high: five passes, 3 m surplus
  const trapezoid: LocalMulti = [
    [
      [
        [0, 0],
        [40, 0],
        [25, 27],
        [15, 27],
        [0, 0],
      ],
    ],
  ];

  it('puts the overlap on the shortest pass rather than between every pair', () => {
    const { cells, cos, sin } = interiorCells(trapezoid, 6, 90);
    const passes = cells.flat();
    expect(passes).toHaveLength(5);
    const lines = passes.flatMap((p) => p.runs.map(([a, b]) => [a, b]));
    const r = measureCoverage(lines, trapezoid, 6, cos, sin);
    // spread evenly the 3 m would be 0.6 m between each of 4 pairs, over 17–37 m (≈ 64 m²);
    // laid on the 10–12 m top pass it is ≈ 36 m² plus the ends' share
    expect(r.doubleM2).toBeLessThan(50);
    expect(r.coverage).toBeGreaterThan(0.98);
    const ys = passes.map((p) => p.ends[0][1]).sort((a, b) => a - b);
    // a swath apart from the wide bottom; the squeezed gap is the top one
    expect(ys[1]! - ys[0]!).toBeCloseTo(6, 1);
    expect(ys[4]! - ys[3]!).toBeCloseTo(3, 1);
  });
});
