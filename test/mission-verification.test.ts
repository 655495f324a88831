import { describe, expect, it } from 'vitest';
import { makeField } from '../cloud/missions/field.js';
import { generatedFields } from '../cloud/missions/fixtures/fields.js';
import { planMission } from '../cloud/missions/planner.js';
import { gridToGeoJson, verifyAsApplied } from '../cloud/missions/verify.js';
import { simulateFlight } from '../simulators/drone/flight.js';

const plan = planMission({
  field: makeField({ boundary: generatedFields.irregular60() }),
  drone: { swathM: 6, tankL: 40, maxFlowLpm: 16, speedMps: 6, enduranceMin: 18 },
  product: { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 },
});
const target = {
  sprayable: plan.sprayable,
  rateLPerHa: plan.rateLPerHa,
  swathM: plan.swathM,
  litresPlanned: plan.metrics.litres,
};
const fly = (extra = {}) =>
  simulateFlight(plan, { startTs: 1_764_288_000_000, seed: 3, windMps: 3, gpsNoiseM: 0.1, ...extra }).flatMap(
    (s) => s.samples,
  );

describe('verification of the as-applied log', () => {
  it('finds a simulated flight of the plan on target almost everywhere', () => {
    const r = verifyAsApplied(target, fly());
    expect(r.inTolerance).toBeGreaterThan(0.85);
    expect(r.missedM2 / r.sprayableM2).toBeLessThan(0.02);
    expect(r.sprayableM2 / 10_000).toBeCloseTo(plan.metrics.sprayableAreaHa, 1);
    expect(Math.abs(r.litresUsed - plan.metrics.litres) / plan.metrics.litres).toBeLessThan(0.03);
    expect(r.grid.values).toHaveLength(r.grid.cols * r.grid.rows);
  });

  it('detects the strip missed while the nozzles were blocked', () => {
    const good = verifyAsApplied(target, fly());
    // 60 s of a 6 m/s, 6 m swath ≈ 2,160 m² if all of it was over spray passes
    const gap = verifyAsApplied(target, fly({ nozzleFailure: { sortie: 1, fromS: 100, toS: 160 } }));
    expect(gap.missedM2 - good.missedM2).toBeGreaterThan(1_200);
    expect(gap.inTolerance).toBeLessThan(good.inTolerance - 0.015);
    expect(gap.litresUsed).toBeLessThan(good.litresUsed - 1);
  });

  it('gives the grid as a GeoJSON map layer of applied L/ha', () => {
    const r = verifyAsApplied(target, fly(), { cellM: 4 });
    const layer = gridToGeoJson(r.grid);
    expect(layer.features.length).toBeGreaterThan(2000);
    const inside = layer.features.filter((f) => f.properties?.inside);
    const mean = inside.reduce((s, f) => s + (f.properties!.appliedLPerHa as number), 0) / inside.length;
    expect(mean).toBeGreaterThan(13);
    expect(mean).toBeLessThan(18);
  });
});
