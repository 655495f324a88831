import { describe, expect, it } from 'vitest';
import { makeField } from './field.js';
import { planMission } from './planner.js';
import { planFromRoute } from './plan-from-route.js';
import { routeFromGeoJson, planToGeoJson } from './export-geojson.js';

const field = makeField({
  boundary: {
    type: 'Polygon',
    coordinates: [
      [
        [105.78, 10.03],
        [105.7811, 10.03],
        [105.7811, 10.0307],
        [105.78, 10.0307],
        [105.78, 10.03],
      ],
    ],
  },
});
const drone = { swathM: 6, tankL: 40, maxFlowLpm: 10, speedMps: 5, enduranceMin: 15, altitudeM: 3 };
const product = { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 };

describe('planFromRoute', () => {
  it('measures an uploaded route like one of our own plans', () => {
    const plan = planMission({ field, drone, product });
    const again = planFromRoute(routeFromGeoJson(planToGeoJson(plan)), { field, drone, product });
    expect(again.metrics.coverage).toBeCloseTo(plan.metrics.coverage, 2);
    expect(again.metrics.litres).toBeCloseTo(plan.metrics.litres, 0);
    expect(again.metrics.sorties).toBe(plan.metrics.sorties);
    expect(again.flowLpm).toBeCloseTo(plan.flowLpm, 6);
    expect(again.legs.filter((l) => l.spray)).toHaveLength(plan.legs.filter((l) => l.spray).length);
  });

  it('refuses a route the pump cannot spray at the product rate', () => {
    const plan = planMission({ field, drone, product });
    expect(() =>
      planFromRoute(routeFromGeoJson(planToGeoJson(plan)), { field, drone: { ...drone, maxFlowLpm: 2 }, product }),
    ).toThrow(expect.objectContaining({ code: 'PLAN_FLOW_EXCEEDED' }));
  });
});
