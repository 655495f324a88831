import { describe, expect, it } from 'vitest';
import { makeField } from './field.js';
import { generatedFields } from './fixtures/fields.js';
import { planMission, requiredFlowLpm, type PlanRequest } from './planner.js';

const drone = { swathM: 6, tankL: 40, maxFlowLpm: 16, speedMps: 6, enduranceMin: 18 };
const product = { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 };
const field = makeField({ boundary: generatedFields.rotatedRectangle(), name: 'Thửa 4' });
const req = (extra: Partial<PlanRequest> = {}): PlanRequest => ({ field, drone, product, ...extra });

describe('planMission', () => {
  it('needs rate × swath × speed × 0.006 L/min of pump flow', () => {
    // 15 L/ha over 6 m at 6 m/s: 6 × 6 = 36 m²/s = 0.0036 ha/s → 0.054 L/s
    expect(requiredFlowLpm(15, 6, 6)).toBeCloseTo(3.24, 10);
    expect(requiredFlowLpm(20, 5, 2)).toBeCloseTo(1.2, 10);
  });

  it('refuses a rate the pump cannot lay at that speed, saying the fastest speed and the largest rate that fit', () => {
    expect(() => planMission(req({ product: { ...product, rateLPerHa: 100 } }))).toThrow(
      expect.objectContaining({
        code: 'PLAN_FLOW_EXCEEDED',
        params: expect.objectContaining({
          flowLpm: expect.closeTo(21.6, 2),
          maxFlowLpm: 16,
          maxSpeedMps: expect.closeTo(16 / 3.6, 2),
          maxRateLPerHa: expect.closeTo(16 / 0.216, 1),
        }),
      }),
    );
  });

  it('refuses invalid input with PLAN_INVALID_INPUT and the issues', () => {
    expect(() => planMission(req({ drone: { ...drone, swathM: 0 } }))).toThrow(
      expect.objectContaining({ code: 'PLAN_INVALID_INPUT' }),
    );
    expect(() => planMission(req({ heading: 400 }))).toThrow(
      expect.objectContaining({
        code: 'PLAN_INVALID_INPUT',
        context: expect.objectContaining({ issues: expect.any(Array) }),
        params: { path: 'heading.' },
      }),
    );
  });

  it('refuses a field with nothing left to spray once the buffers are taken out', () => {
    expect(() => planMission(req({ buffers: { boundaryM: 90 } }))).toThrow(
      expect.objectContaining({ code: 'PLAN_NOTHING_TO_SPRAY' }),
    );
  });

  it('gives the same plan for the same request', () => {
    expect(planMission(req())).toEqual(planMission(req()));
  });

  it('flies a fixed heading when asked, folded into 0–180°', () => {
    expect(planMission(req({ heading: 27 })).metrics.headingDeg).toBe(27);
    expect(planMission(req({ heading: 207 })).metrics.headingDeg).toBe(27);
  });

  it('splits into sorties by tank and sums the sorties to the whole plan', () => {
    const plan = planMission(req({ drone: { ...drone, tankL: 10 } }));
    const n = plan.metrics.sorties;
    // ~4 ha at 15 L/ha is ~60 L: at least six 10 L tanks
    expect(n).toBeGreaterThanOrEqual(6);
    expect(plan.sorties.map((s) => s.sortie)).toEqual([...Array(n).keys()].map((i) => i + 1));
    for (const s of plan.sorties) expect(s.litres).toBeLessThanOrEqual(10 + 1e-6);
    expect(plan.sorties.reduce((a, s) => a + s.litres, 0)).toBeCloseTo(plan.metrics.litres, 0);
    expect(new Set(plan.legs.map((l) => l.sortie)).size).toBe(n);
  });

  it("reports the plan in the drone's terms and starts at the field's southernmost corner by default", () => {
    const plan = planMission(req());
    expect(plan).toMatchObject({
      kind: 'ruongso-spray-plan',
      version: 1,
      fieldName: 'Thửa 4',
      swathM: 6,
      rateLPerHa: 15,
      tankL: 40,
      altitudeM: 3,
    });
    expect(plan.flowLpm).toBeCloseTo(3.24, 10);
    const south = Math.min(...field.boundary.coordinates[0]!.map((p) => p[1]!));
    expect(plan.home[1]).toBe(south);
    expect(plan.metrics.coverage).toBeGreaterThan(0.99);
    expect(plan.legs.every((l) => l.spray === (l.kind === 'spray'))).toBe(true);
  });

  it('sprays only the requested part of the field for a respray', () => {
    const whole = planMission(req());
    const ring = field.boundary.coordinates[0]!;
    const lons = ring.map((p) => p[0]!),
      lats = ring.map((p) => p[1]!);
    const midLon = (Math.min(...lons) + Math.max(...lons)) / 2;
    const west = {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [Math.min(...lons) - 1e-3, Math.min(...lats) - 1e-3],
            [midLon, Math.min(...lats) - 1e-3],
            [midLon, Math.max(...lats) + 1e-3],
            [Math.min(...lons) - 1e-3, Math.max(...lats) + 1e-3],
            [Math.min(...lons) - 1e-3, Math.min(...lats) - 1e-3],
          ],
        ],
      ],
    };
    const part = planMission(req({ area: west }));
    expect(part.metrics.sprayableAreaHa).toBeLessThan(whole.metrics.sprayableAreaHa * 0.7);
    expect(part.metrics.sprayableAreaHa).toBeGreaterThan(whole.metrics.sprayableAreaHa * 0.3);
    expect(
      part.legs
        .filter((l) => l.spray)
        .flatMap((l) => l.coordinates)
        .every((p) => p[0] <= midLon + 1e-4),
    ).toBe(true);
  });
});
