import { describe, expect, it } from 'vitest';
import { makeField } from '../cloud/missions/field.js';
import { generatedFields, rectangle, toPolygon } from '../cloud/missions/fixtures/fields.js';
import { planMission, type PlanRequest } from '../cloud/missions/planner.js';
import { planToQgc, routeFromQgc } from '../cloud/missions/qgc-plan.js';
import { buildMemoryApp, bearer } from './support/memory-app.js';

const drone = { swathM: 6, tankL: 40, maxFlowLpm: 16, speedMps: 6, enduranceMin: 15 };
const product = { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 };
const req = (boundary: ReturnType<typeof toPolygon>, extra: Partial<PlanRequest> = {}): PlanRequest => ({
  field: makeField({ boundary }),
  drone,
  product,
  ...extra,
});
const withFerries = (p: ReturnType<typeof planMission>) => p.metrics.pathLengthM / p.metrics.lowerBoundM;

describe('refill points along the boundary', () => {
  it('keeps the whole path of a 50 ha field within 1.20 × area/swath, ferries reported apart', () => {
    const corner = planMission(req(generatedFields.big50ha()));
    const auto = planMission(req(generatedFields.big50ha(), { refill: 'auto' }));
    expect(withFerries(corner)).toBeGreaterThan(1.2);
    expect(withFerries(auto)).toBeLessThanOrEqual(1.2);
    expect(auto.metrics.ferryLengthM).toBeLessThan(corner.metrics.ferryLengthM / 2);
    expect(auto.metrics.ferries).toHaveLength(auto.metrics.sorties);
    const sum = auto.metrics.ferries!.reduce((s, f) => s + f.outM + f.backM, 0);
    expect(sum).toBeCloseTo(auto.metrics.ferryLengthM, -1);
    expect(auto.refillPoints!.length).toBeGreaterThan(1);
    expect(auto.metrics.coverage).toBeGreaterThanOrEqual(0.995);
  });

  it('plans a 100 ha field the corner refill point leaves at 1.4 ×, and a 990 ha field the corner cannot reach at all, within 1.20 ×', () => {
    const square = toPolygon([rectangle(1000, 1000, 20)]);
    expect(withFerries(planMission(req(square)))).toBeGreaterThan(1.3);
    expect(withFerries(planMission(req(square, { refill: 'auto' })))).toBeLessThanOrEqual(1.2);
    const huge = toPolygon([rectangle(3300, 3000, 10)]);
    expect(() => planMission(req(huge))).toThrow(
      expect.objectContaining({
        code: 'PLAN_ENDURANCE_TOO_SHORT',
        params: expect.objectContaining({ enduranceMin: 15 }),
      }),
    );
    const ok = planMission(req(huge, { refill: 'auto' }));
    expect(ok.metrics.fieldAreaHa).toBeGreaterThan(980);
    expect(withFerries(ok)).toBeLessThanOrEqual(1.2);
    expect(ok.metrics.coverage).toBeGreaterThan(0.98); // measured on 4,000 rows: 0.75 m apart here
  }, 60_000);

  it('uses only the reachable points it is given, and a sortie that lands elsewhere ends with a landing there', () => {
    const field = generatedFields.big50ha();
    const auto = planMission(req(field, { refill: 'auto' }));
    const two = [auto.refillPoints![0]!, auto.refillPoints!.at(-1)!];
    const plan = planMission(req(field, { refill: two }));
    for (const p of plan.refillPoints!) expect(two).toContainEqual(p);
    const moving = plan.sorties.find((s) => {
      const legs = plan.legs.filter((l) => l.sortie === s.sortie);
      return JSON.stringify(legs[0]!.coordinates[0]) !== JSON.stringify(legs.at(-1)!.coordinates.at(-1));
    });
    if (moving) {
      const qgc = planToQgc(plan, { sortie: moving.sortie }) as { mission: { items: Array<{ command: number }> } };
      expect(qgc.mission.items.at(-1)!.command).toBe(21);
      expect(routeFromQgc(qgc).legs.some((l) => l.spray)).toBe(true);
    }
  });

  it('takes refill: auto in the API', async () => {
    const built = await buildMemoryApp();
    try {
      const tech = await bearer(built.app, 'kythuat');
      const res = await built.app.inject({
        method: 'POST',
        url: '/api/v1/missions',
        headers: tech,
        payload: { fieldId: 'field-farm-dai-an-1', droneId: 'drone-10l', productId: 'tricyclazole', refill: 'auto' },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().refillPoints.length).toBeGreaterThanOrEqual(1);
      expect(res.json().metrics.ferries).toHaveLength(res.json().metrics.sorties);
    } finally {
      await built.app.close();
    }
  });
});
