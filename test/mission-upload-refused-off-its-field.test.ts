import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMemoryApp, bearer, demoFields, DEMO_FARMS } from './support/memory-app.js';
import { fieldOf } from '../cloud/missions/field-store.js';
import { frameFor } from '../cloud/missions/geo/local-frame.js';
import { planMission } from '../cloud/missions/planner.js';
import { planToQgc } from '../cloud/missions/qgc-plan.js';
import { DEMO_DRONES } from '../cloud/missions/catalog.js';

type Built = Awaited<ReturnType<typeof buildMemoryApp>>;
let built: Built | undefined;
afterEach(async () => {
  await built?.app.close();
  built = undefined;
});

const [fieldA, fieldB] = demoFields(DEMO_FARMS);
const { id: _i, name: _n, ...drone } = { ...DEMO_DRONES[0]!, altitudeM: 3 };
const product = { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 };
const planOf = (field: typeof fieldA) => planMission({ field: fieldOf(field!), drone, product });
const qgcOf = (field: typeof fieldA) => planToQgc(planOf(field), { sortie: 1 });
/** every sortie's .plan, as a technician uploads a mission QGroundControl planned */
const allSorties = (field: typeof fieldA) => {
  const p = planOf(field);
  return p.sorties.map((s) => planToQgc(p, { sortie: s.sortie }));
};
const zurich = fs.readFileSync(
  path.join(import.meta.dirname, '../cloud/missions/fixtures/qgc/PX4SITL-PX4-MultiRotor.plan'),
  'utf8',
);

async function upload(fieldId: string, qgcPlan: unknown, extra: Record<string, unknown> = {}) {
  const tech = await bearer(built!.app, 'kythuat');
  return built!.app.inject({
    method: 'POST',
    url: '/api/v1/missions',
    headers: tech,
    payload: { fieldId, droneId: 'drone-10l', productId: 'tricyclazole', qgcPlan, ...extra } as object,
  });
}

describe('an uploaded .plan is measured against its field', () => {
  it("refuses another farm's plan on this field, with its distance from the field", async () => {
    built = await buildMemoryApp();
    const res = await upload(fieldB!.id, qgcOf(fieldA));
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('ROUTE_OFF_FIELD');
    expect(res.json().params.distanceM).toBeGreaterThan(150);
    expect(res.json().params.distanceM).toBeLessThan(500);
  });

  it("refuses a plan on the other side of the Earth (QGroundControl's Zurich test plan, given a sprayer)", async () => {
    built = await buildMemoryApp();
    const plan = JSON.parse(zurich);
    plan.mission.items.splice(2, 0, {
      type: 'SimpleItem',
      command: 216,
      frame: 2,
      params: [1, 0, 0, 0, 0, 0, 0],
      autoContinue: true,
      doJumpId: 99,
    });
    const res = await upload(fieldA!.id, plan);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('ROUTE_OFF_FIELD');
    expect(res.json().params.distanceM).toBeGreaterThan(8_000_000);
  });

  it('refuses a plan that never turns the sprayer on', async () => {
    built = await buildMemoryApp();
    const res = await upload(fieldA!.id, zurich);
    expect(res.json()).toMatchObject({ error: 'ROUTE_NO_SPRAY' });
  });

  it('refuses a route that sprays over the field edge, and one that covers too little of it', async () => {
    built = await buildMemoryApp();
    // field A's plan shifted 40 m east: most of it still on A, the rest beyond its edge
    const shifted = allSorties(fieldA) as Array<{ mission: { items: Array<{ params: Array<number | null> }> } }>;
    for (const it of shifted.flatMap((f) => f.mission.items))
      if (it.params[5]) it.params[5] = it.params[5] + 40 / (111_320 * Math.cos((9.55 * Math.PI) / 180));
    const over = await upload(fieldA!.id, shifted);
    expect(over.statusCode).toBe(422);
    expect(over.json().error).toBe('ROUTE_SPRAYS_OUTSIDE_FIELD');
    expect(over.json().params.overspray).toBeGreaterThan(0.02);
    // the first half of field A's route only: on the field, but too little of it
    const half = qgcOf(fieldA) as { mission: { items: unknown[] } };
    const n = half.mission.items.length;
    half.mission.items.splice(Math.floor(n / 3), n - Math.floor(n / 3) - 1);
    const low = await upload(fieldA!.id, half);
    expect(low.json()).toMatchObject({ error: 'ROUTE_COVERAGE_TOO_LOW', params: { minCoverage: 0.9 } });
    expect(low.json().params.coverage).toBeLessThan(0.9);
  });

  it("accepts the field's own plan and reports what it does on the field", async () => {
    built = await buildMemoryApp();
    const res = await upload(fieldA!.id, allSorties(fieldA));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().metrics.sorties).toBeGreaterThan(1);
    expect(res.json().routeCheck).toMatchObject({ distanceFromFieldM: 0 });
    expect(res.json().routeCheck.coverage).toBeGreaterThan(0.95);
    expect(res.json().metrics.doubleDose).toBeLessThan(0.1);
  });
});

describe("an uploaded .plan is measured against its field's no-spray zones", () => {
  it("refuses a plan sprayed across the field's pond and its buffer, naming the pond; accepts one that skirts it", async () => {
    built = await buildMemoryApp();
    const tech = await bearer(built.app, 'kythuat');
    const bare = fieldOf(fieldA!);
    // a 30 × 30 m fish pond in the middle of field A, 10 m no-spray buffer around it
    const frame = frameFor(bare.boundary.coordinates[0]!);
    const ll = (x: number, y: number) => frame.toLonLat([x, y]);
    const pond = [[ll(-15, -15), ll(15, -15), ll(15, 15), ll(-15, 15), ll(-15, -15)]];
    const geojson = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { role: 'field' }, geometry: bare.boundary },
        {
          type: 'Feature',
          properties: { role: 'exclusion', name: 'ao cá', bufferM: 10 },
          geometry: { type: 'Polygon', coordinates: pond },
        },
      ],
    };
    const created = await built.app.inject({
      method: 'POST',
      url: '/api/v1/fields',
      headers: tech,
      payload: { farmId: fieldA!.farmId, name: 'thửa có ao', geojson },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;

    // field A's plan, made before the pond was drawn: passes straight across it
    const across = await upload(id, allSorties(fieldA));
    expect(across.statusCode).toBe(422);
    expect(across.json()).toMatchObject({
      error: 'ROUTE_SPRAYS_NO_SPRAY_ZONE',
      params: { zone: 'ao cá', zoneKind: 'exclusion', zoneIndex: 1, bufferM: 10, maxM2: 1 },
    });
    // the pond and its buffer, 50 × 50 m less the buffer's rounded corners, nearly all under the passes
    const zoneM2 = 2500 - (4 - Math.PI) * 100;
    expect(across.json().params.sprayedM2).toBeGreaterThan(0.95 * zoneM2);
    expect(across.json().params.sprayedM2).toBeLessThanOrEqual(zoneM2 + 1);

    // planned with the pond: skirts its buffer
    const withPond = fieldOf({
      ...fieldA!,
      exclusions: [{ name: 'ao cá', polygon: { type: 'Polygon', coordinates: pond }, bufferM: 10 }],
    });
    const p = planMission({ field: withPond, drone, product });
    const skirts = await upload(
      id,
      p.sorties.map((s) => planToQgc(p, { sortie: s.sortie })),
    );
    expect(skirts.statusCode, skirts.body).toBe(201);
    expect(skirts.json().routeCheck.coverage).toBeGreaterThan(0.95);
  });
});

describe("an uploaded .plan keeps the no-spray buffer asked for around the field's holes", () => {
  it('refuses a plan that sprays up to the hole when holeBufferM asks for 8 m; accepts it without the buffer and a plan made with it', async () => {
    built = await buildMemoryApp();
    const tech = await bearer(built.app, 'kythuat');
    const bare = fieldOf(fieldA!);
    const frame = frameFor(bare.boundary.coordinates[0]!);
    const ll = (x: number, y: number) => frame.toLonLat([x, y]);
    // a 20 × 20 m hole (a house plot) in the middle of field A
    const hole = [ll(-10, -10), ll(-10, 10), ll(10, 10), ll(10, -10), ll(-10, -10)];
    const holed = { type: 'Polygon', coordinates: [bare.boundary.coordinates[0]!, hole] };
    const created = await built.app.inject({
      method: 'POST',
      url: '/api/v1/fields',
      headers: tech,
      payload: { farmId: fieldA!.farmId, name: 'thửa có nhà', geojson: holed },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const field = fieldOf({ ...fieldA!, boundary: holed as typeof bare.boundary });
    const sortiesOf = (holeM: number) => {
      const p = planMission({ field, drone, product, buffers: { boundaryM: 0, holeM } });
      return p.sorties.map((s) => planToQgc(p, { sortie: s.sortie }));
    };

    // planned with no buffer: sprays right up to the hole
    const tight = sortiesOf(0);
    const refused = await upload(id, tight, { holeBufferM: 8 });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({
      error: 'ROUTE_SPRAYS_NO_SPRAY_ZONE',
      params: { zoneKind: 'hole', bufferM: 8 },
    });
    expect(refused.json().params.sprayedM2).toBeGreaterThan(100);
    // the same route with no buffer asked for is fine
    expect((await upload(id, tight, { holeBufferM: 0 })).statusCode).toBe(201);
    // planned with the 8 m buffer: accepted with it
    const kept = await upload(id, sortiesOf(8), { holeBufferM: 8 });
    expect(kept.statusCode, kept.body).toBe(201);
  });
});
