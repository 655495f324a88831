import { describe, expect, it } from 'vitest';
import { makeField } from '../cloud/missions/field.js';
import { planMission } from '../cloud/missions/planner.js';
import { planToGeoJson, routeFromGeoJson } from '../cloud/missions/export-geojson.js';
import { planToQgc, routeFromQgc } from '../cloud/missions/qgc-plan.js';
import { joinSorties } from '../cloud/missions/plan-from-route.js';
import { verifyAsApplied } from '../cloud/missions/verify.js';
import { simulateFlight } from '../simulators/drone/flight.js';
import { demoRectangle } from '../cloud/missions/catalog.js';

// the demo's 10 L drone on a 2 ha field: several sorties
const field = makeField({ boundary: demoRectangle(106.15, 9.55, 200, 100) });
const plan = planMission({
  field,
  drone: { swathM: 5, tankL: 10, maxFlowLpm: 2.4, speedMps: 4, enduranceMin: 12 },
  product: { name: 'p', rateLPerHa: 15, maxWindMps: 5 },
});
const target = {
  sprayable: plan.sprayable,
  rateLPerHa: plan.rateLPerHa,
  swathM: plan.swathM,
  litresPlanned: plan.metrics.litres,
};

describe('the simulated drone flies a whole mission', () => {
  const logs = simulateFlight(routeFromGeoJson(planToGeoJson(plan)), {
    startTs: 1_764_300_000_000,
    seed: 4,
    windMps: 2,
  });
  const all = logs.flatMap((l) => l.samples);

  it('flies every sortie, one after the other with a refill between, in time order', () => {
    expect(plan.metrics.sorties).toBeGreaterThan(2);
    expect(logs.map((l) => l.sortie)).toEqual(plan.sorties.map((s) => s.sortie));
    for (let i = 1; i < all.length; i++) expect(all[i]!.ts).toBeGreaterThan(all[i - 1]!.ts);
    for (let k = 1; k < logs.length; k++)
      expect(logs[k]!.samples[0]!.ts - logs[k - 1]!.samples.at(-1)!.ts).toBe(300_000);
  });

  it("never holds more than the tank and sprays at the plan's flow", () => {
    expect(Math.max(...all.map((s) => s.tankL ?? 0))).toBeLessThanOrEqual(plan.tankL);
    const flows = all.filter((s) => s.spraying).map((s) => s.flowLpm);
    const mean = flows.reduce((a, b) => a + b, 0) / flows.length;
    expect(mean).toBeCloseTo(plan.flowLpm, 1);
  });

  it('verifies as pass', () => {
    const r = verifyAsApplied(target, all);
    expect(r.verdict).toBe('pass');
    expect(r.inTolerance).toBeGreaterThan(0.9);
    expect(r.litresUsed).toBeCloseTo(plan.metrics.litres, -1);
  });

  it('flies the per-sortie .plan files as one mission when given the flow and tank they do not carry', () => {
    const files = plan.sorties.map((s) =>
      routeFromQgc(planToQgc(plan, { sortie: s.sortie }), { swathM: plan.swathM, flowLpm: plan.flowLpm }),
    );
    const route = { ...joinSorties(files), tankL: plan.tankL };
    const samples = simulateFlight(route, { startTs: 1_764_300_000_000, seed: 4 }).flatMap((l) => l.samples);
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.ts).toBeGreaterThan(samples[i - 1]!.ts);
    expect(verifyAsApplied(target, samples).verdict).toBe('pass');
  });

  it('flying only the first sortie is a respray, not a pass', () => {
    const r = verifyAsApplied(target, logs[0]!.samples);
    expect(r.verdict).toBe('respray');
    expect(r.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['VERIFY_IN_TOLERANCE_LOW', 'VERIFY_MISSED_AREA', 'VERIFY_LITRES_SHORT']),
    );
  });
});
