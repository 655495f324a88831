import { readFileSync } from 'node:fs';
import { booleanPointInPolygon, distance, point, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { makeField } from '../cloud/missions/field.js';
import { parseFieldFile } from '../cloud/missions/field-import.js';
import { generatedFields, type GeneratedFieldName } from '../cloud/missions/fixtures/fields.js';
import { planMission, type PlanRequest } from '../cloud/missions/planner.js';
import type { Plan } from '../cloud/missions/types.js';

const drone = { swathM: 6, tankL: 40, maxFlowLpm: 16, speedMps: 6, enduranceMin: 18 };
const product = { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 };
const req = (name: GeneratedFieldName, extra: Partial<PlanRequest> = {}): PlanRequest => ({
  field: makeField({ boundary: generatedFields[name]() }),
  drone,
  product,
  ...extra,
});

/** Every 0.5 m along every leg must be on allowed ground: inside the field, off holes and exclusions. */
function legsLeavingAllowed(plan: Plan, allowed: (p: [number, number]) => boolean, kinds: string[]): string[] {
  const bad: string[] = [];
  plan.legs.forEach((leg, li) => {
    if (!kinds.includes(leg.kind)) return;
    for (let i = 1; i < leg.coordinates.length; i++) {
      const a = leg.coordinates[i - 1]!,
        b = leg.coordinates[i]!;
      const n = Math.max(1, Math.ceil(distance(a, b, { units: 'meters' }) / 0.5));
      for (let k = 0; k <= n; k++) {
        const p: [number, number] = [a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n];
        if (!allowed(p)) {
          bad.push(`${leg.kind} leg ${li} at ${p.join(',')}`);
          return;
        }
      }
    }
  });
  return bad;
}

describe('planner on generated fields', () => {
  it.each(['rotatedRectangle', 'strip'] as const)(
    'covers the convex %s fully, sprays nothing outside and stays within 1.10 × the lower bound',
    (name) => {
      const m = planMission(req(name)).metrics;
      expect(m.coverage).toBeGreaterThanOrEqual(0.995);
      expect(m.overspray).toBeLessThanOrEqual(0.01);
      expect(m.pathRatio).toBeLessThanOrEqual(1.1);
      expect(m.pathRatio).toBeGreaterThanOrEqual(1);
    },
  );

  it.each(['lShape', 'withHoles', 'irregular60'] as const)(
    'keeps every pass, turn and transit of %s on allowed ground',
    (name) => {
      const r = req(name);
      const plan = planMission(r);
      const field = polygon(r.field.boundary.coordinates);
      expect(
        legsLeavingAllowed(plan, (p) => booleanPointInPolygon(point(p), field), ['spray', 'transit', 'ferry']),
      ).toEqual([]);
      expect(plan.metrics.coverage).toBeGreaterThanOrEqual(0.995);
      expect(plan.metrics.overspray).toBeLessThanOrEqual(0.01);
    },
  );

  it('keeps off an exclusion (a canal) and its buffer, and sprays only sprayable ground', () => {
    const field = parseFieldFile(
      readFileSync(new URL('../cloud/missions/fixtures/field-l-canal.geojson', import.meta.url)),
      { filename: 'x.geojson' },
    );
    const plan = planMission({ field, drone, product, buffers: { boundaryM: 2 } });
    const shell = polygon(field.boundary.coordinates);
    const canal = polygon(field.exclusions[0]!.polygon.coordinates);
    const allowed = (p: [number, number]) =>
      booleanPointInPolygon(point(p), shell) && !booleanPointInPolygon(point(p), canal);
    expect(legsLeavingAllowed(plan, allowed, ['spray', 'transit'])).toEqual([]);
    const sprayable = plan.sprayable.coordinates.map((c) => polygon(c));
    const offSprayable = legsLeavingAllowed(plan, (p) => sprayable.some((s) => booleanPointInPolygon(point(p), s)), [
      'spray',
    ]);
    expect(offSprayable).toEqual([]);
    expect(plan.metrics.sprayableAreaHa).toBeLessThan(plan.metrics.fieldAreaHa - 0.3);
    expect(plan.metrics.overspray).toBeLessThanOrEqual(0.01);
  });

  it('splits into sorties that each start and end at the refill point and fit the tank', () => {
    const plan = planMission(req('lShape'));
    expect(plan.metrics.sorties).toBeGreaterThan(1);
    for (const s of plan.sorties) {
      const legs = plan.legs.filter((l) => l.sortie === s.sortie);
      expect(legs[0]!.coordinates[0]).toEqual(plan.home);
      expect(legs.at(-1)!.coordinates.at(-1)).toEqual(plan.home);
      expect(s.litres).toBeLessThanOrEqual(drone.tankL + 0.1);
    }
    expect(plan.metrics.litres).toBeCloseTo(
      plan.sorties.reduce((a, s) => a + s.litres, 0),
      0,
    );
  });

  it('flies along the long side of a rectangle, honours a given heading, and is deterministic', () => {
    const auto = planMission(req('rotatedRectangle'));
    expect(auto.metrics.headingDeg).toBeCloseTo(63, 0);
    const fixed = planMission(req('rotatedRectangle', { heading: 153 }));
    expect(fixed.metrics.headingDeg).toBe(153);
    expect(fixed.metrics.turns).toBeGreaterThan(auto.metrics.turns);
    expect(planMission(req('rotatedRectangle'))).toEqual(auto);
  });

  it('refuses a rate the pump cannot deliver, naming the limit and what would fit', () => {
    let err: unknown;
    try {
      planMission(req('strip', { product: { ...product, rateLPerHa: 80 } })); // needs 17.28 L/min
    } catch (e) {
      err = e;
    }
    expect((err as { code: string }).code).toBe('PLAN_FLOW_EXCEEDED');
    expect((err as Error).message).toMatch(
      /needs 17\.28 L\/min, over the drone's max flow of 16 L\/min: fly at most 5\.56 m\/s, or apply at most 74\.1 L\/ha/,
    );
  });

  it('says when buffers leave nothing to spray', () => {
    expect(() => planMission(req('strip', { buffers: { boundaryM: 16 } }))).toThrow(
      /nothing is left to spray|narrower/,
    );
  });
});
