import { readFileSync } from 'node:fs';
import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeFromGeoJson } from '../cloud/missions/export-geojson.js';
import { exportPlan } from '../cloud/missions/export.js';
import { makeField } from '../cloud/missions/field.js';
import { generatedFields } from '../cloud/missions/fixtures/fields.js';
import { planMission } from '../cloud/missions/planner.js';
import { MAV_CMD, routeFromQgc } from '../cloud/missions/qgc-plan.js';
import type { Plan } from '../cloud/missions/types.js';

const qgcFixture = JSON.parse(
  readFileSync(new URL('../cloud/missions/fixtures/qgc/PX4SITL-PX4-MultiRotor.plan', import.meta.url), 'utf8'),
);
let plan: Plan;

beforeAll(() => {
  plan = planMission({
    field: makeField({ boundary: generatedFields.lShape() }),
    drone: { swathM: 6, tankL: 40, maxFlowLpm: 16, speedMps: 6, enduranceMin: 18, altitudeM: 3 },
    product: { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 },
  });
});

describe('GeoJSON export', () => {
  it('has spray passes and transits as LineStrings with their sortie, and the metrics on top', () => {
    const fc = JSON.parse(exportPlan(plan, 'geojson'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.metrics).toEqual(plan.metrics);
    const kinds = new Set(fc.features.map((f: { properties: { spray: boolean } }) => f.properties.spray));
    expect(kinds).toEqual(new Set([true, false]));
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('LineString');
      expect(f.properties.sortie).toBeGreaterThanOrEqual(1);
      expect(f.properties.spray).toBe(f.properties.kind === 'spray');
    }
    const route = routeFromGeoJson(fc);
    expect(route.legs).toHaveLength(plan.legs.length);
    expect(route.flowLpm).toBe(plan.flowLpm);
  });
});

describe('KML export', () => {
  it('reads back in a KML reader as the same legs with their spray flags', () => {
    const text = exportPlan(plan, 'kml');
    const fc = kml(new DOMParser().parseFromString(text, 'text/xml'));
    const lines = fc.features.filter((f) => f.geometry?.type === 'LineString');
    expect(lines).toHaveLength(plan.legs.length);
    expect(lines.filter((f) => f.properties?.spray === 'true')).toHaveLength(plan.legs.filter((l) => l.spray).length);
    expect(fc.features.some((f) => f.geometry?.type === 'Point')).toBe(true);
  });
});

describe('QGroundControl .plan export', () => {
  const sortie1 = (firmware: 'px4' | 'ardupilot' = 'ardupilot') =>
    JSON.parse(exportPlan(plan, 'qgc', { sortie: 1, firmware }));
  // frame-MISSION commands PX4's parse_mavlink_mission_item accepts (src/modules/mavlink/mavlink_mission.cpp)
  const PX4_DO_COMMANDS = new Set([
    177, 80, 201, 42600, 211, 178, 179, 189, 2003, 203, 204, 205, 1000, 532, 1001, 2000, 2001, 2500, 2501, 200, 206,
    260, 214, 530, 3000, 93, 20, 196, 197, 112, 114, 187,
  ]);

  it('has the top-level and mission members of a plan QGroundControl wrote', () => {
    const ours = sortie1();
    expect(Object.keys(ours).sort()).toEqual(Object.keys(qgcFixture).sort());
    expect(Object.keys(ours.mission).sort()).toEqual(Object.keys(qgcFixture.mission).sort());
    expect(ours.fileType).toBe('Plan');
    expect(ours.version).toBe(1);
    expect(ours.groundStation).toBe('QGroundControl');
    expect(ours.mission.version).toBe(2);
    expect(ours.mission.plannedHomePosition).toHaveLength(3);
    expect(ours.mission.plannedHomePosition.slice(0, 2)).toEqual([plan.home[1], plan.home[0]]);
    expect(ours.geoFence.version).toBe(2);
    expect(ours.rallyPoints.version).toBe(2);
  });

  it('writes SimpleItems with 7 params, unique doJumpIds, take-off first and return last', () => {
    const items = sortie1().mission.items;
    const fixtureKeys = new Set(qgcFixture.mission.items.flatMap((i: object) => Object.keys(i)));
    items.forEach((it: Record<string, unknown>, i: number) => {
      expect(it.type).toBe('SimpleItem');
      expect(it.params).toHaveLength(7);
      expect(it.doJumpId).toBe(i + 1);
      expect(it.autoContinue).toBe(true);
      for (const k of Object.keys(it)) expect(fixtureKeys.has(k)).toBe(true);
    });
    expect(items[0].command).toBe(MAV_CMD.NAV_TAKEOFF);
    expect(items.at(-1).command).toBe(MAV_CMD.NAV_RETURN_TO_LAUNCH);
    expect(new Set(items.map((i: { command: number }) => i.command))).toEqual(new Set([22, 178, 16, 216, 20]));
    expect(sortie1().mission.firmwareType).toBe(3);
  });

  it('runs the pump with DO_SET_ACTUATOR for PX4, a command its mission parser accepts, never DO_SPRAYER', () => {
    const f = sortie1('px4');
    expect(f.mission.firmwareType).toBe(12);
    const doItems = f.mission.items.filter((i: { frame: number }) => i.frame === 2);
    for (const it of doItems) expect(PX4_DO_COMMANDS.has(it.command), `command ${it.command}`).toBe(true);
    const pump = doItems.filter((i: { command: number }) => i.command === MAV_CMD.DO_SET_ACTUATOR);
    expect(pump.length).toBe(2 * plan.legs.filter((l) => l.sortie === 1 && l.spray).length);
    pump.forEach((it: { params: Array<number | null> }, i: number) =>
      expect(it.params).toEqual([i % 2 === 0 ? 1 : -1, null, null, null, null, null, 0]),
    );
    const back = routeFromQgc(f, { swathM: 6, flowLpm: plan.flowLpm });
    expect(back.legs.filter((l) => l.spray)).toHaveLength(plan.legs.filter((l) => l.sortie === 1 && l.spray).length);
  });

  it('turns the sprayer on at each pass start and off at its end, alternately', () => {
    const sprayer = sortie1().mission.items.filter((i: { command: number }) => i.command === MAV_CMD.DO_SPRAYER);
    expect(sprayer.length).toBe(2 * plan.legs.filter((l) => l.sortie === 1 && l.spray).length);
    sprayer.forEach((it: { params: number[] }, i: number) => expect(it.params[0]).toBe(i % 2 === 0 ? 1 : 0));
  });

  it('reads back as the same sprayed legs', () => {
    const back = routeFromQgc(sortie1(), { swathM: 6, flowLpm: plan.flowLpm });
    expect(back.legs.filter((l) => l.spray)).toHaveLength(plan.legs.filter((l) => l.sortie === 1 && l.spray).length);
    expect(back.speedMps).toBe(6);
    expect(back.home).toEqual(plan.home);
  });
});
