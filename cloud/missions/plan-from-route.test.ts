import { describe, expect, it } from 'vitest';
import { MissionError } from './errors.js';
import { makeField } from './field.js';
import type { FlightRoute } from './flight-route.js';
import { frameFor } from './geo/local-frame.js';
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

describe('an uploaded route and the no-spray zones', () => {
  // 200 × 150 m near Cần Thơ: a pond inside with a 5 m buffer, a neighbour's shrimp pond beyond
  // the east edge whose 20 m buffer reaches 20 m into the field
  const frame = frameFor([[105.78, 10.03]]);
  const ll = (x: number, y: number) => frame.toLonLat([x, y]);
  const rect = (x0: number, y0: number, x1: number, y1: number) => ({
    type: 'Polygon' as const,
    coordinates: [[ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)]],
  });
  const pond = { name: 'pond', polygon: rect(90, 65, 110, 85), bufferM: 5 };
  const shrimp = { name: 'shrimp pond', polygon: rect(205, 0, 260, 150), bufferM: 25 };
  const withZones = makeField({ boundary: rect(0, 0, 200, 150), exclusions: [pond, shrimp] });
  /** passes one swath apart across the whole field, nozzles on end to end */
  const across = (x1: number): FlightRoute => {
    const legs: FlightRoute['legs'] = [];
    for (let y = 3; y < 150; y += 6) legs.push({ sortie: 1, spray: true, coordinates: [ll(0, y), ll(x1, y)] });
    return { home: ll(0, 0), altitudeM: 3, speedMps: 5, swathM: 6, flowLpm: 0, legs };
  };

  it('refuses a route sprayed straight across a pond and its buffer, naming the pond', () => {
    const field = makeField({ boundary: rect(0, 0, 200, 150), exclusions: [pond] });
    let err: MissionError | undefined;
    try {
      planFromRoute(across(200), { field, drone, product, limits: { maxOverspray: 1 } });
    } catch (e) {
      err = e as MissionError;
    }
    expect(err?.code).toBe('ROUTE_SPRAYS_NO_SPRAY_ZONE');
    // the pond with its buffer: 30 × 30 m
    expect(err?.params).toMatchObject({
      zone: 'pond',
      zoneKind: 'exclusion',
      zoneIndex: 1,
      bufferM: 5,
      maxM2: 1,
      sprayedM2: expect.closeTo(900 - (4 - Math.PI) * 25, -1),
    });
  });

  it("refuses a route that sprays into the buffer of a neighbour's pond beside the field", () => {
    // stops 25 m short of the pond itself, so it sprays 20 m of its buffer on the field
    let err: MissionError | undefined;
    try {
      planFromRoute(across(200), { field: withZones, drone, product, limits: { maxOverspray: 1 } });
    } catch (e) {
      err = e as MissionError;
    }
    expect(err?.code).toBe('ROUTE_SPRAYS_NO_SPRAY_ZONE');
    expect(err?.params).toMatchObject({ zone: 'shrimp pond', zoneKind: 'exclusion', zoneIndex: 2, bufferM: 25 });
    expect(err?.params?.zoneSprayedM2).toBeCloseTo(20 * 150, -2);
  });

  it('refuses spraying a hole of the field, naming the hole', () => {
    const field = makeField({
      boundary: {
        type: 'Polygon',
        coordinates: [rect(0, 0, 200, 150).coordinates[0]!, rect(40, 40, 60, 60).coordinates[0]!],
      },
    });
    let err: MissionError | undefined;
    try {
      planFromRoute(across(200), { field, drone, product });
    } catch (e) {
      err = e as MissionError;
    }
    expect(err?.message).toMatch(/in hole 1 \(with its 0 m buffer\)/);
    expect(err?.params).toMatchObject({ zone: '#1', zoneKind: 'hole', zoneIndex: 1, bufferM: 0 });
    expect(err?.params?.sprayedM2).toBeCloseTo(400, -1);
  });

  it('accepts our own plan, which skirts every zone and buffer, as it is', () => {
    const own = planMission({ field: withZones, drone, product });
    const up = planFromRoute(routeFromGeoJson(planToGeoJson(own)), { field: withZones, drone, product });
    expect((up.routeCheck as unknown as { noSprayM2: number }).noSprayM2).toBeLessThanOrEqual(1);
    expect(up.metrics.coverage).toBeCloseTo(own.metrics.coverage, 2);
    expect(up.metrics.sprayableAreaHa).toBeCloseTo(own.metrics.sprayableAreaHa, 3);
  });
});
