import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFieldFile } from '../cloud/missions/field-import.js';
import { makeField } from '../cloud/missions/field.js';
import { planMission } from '../cloud/missions/planner.js';
import { planFromRoute } from '../cloud/missions/plan-from-route.js';
import { routeFromQgc } from '../cloud/missions/qgc-plan.js';
import { wplToPlan } from '../cloud/missions/qgc-wpl.js';

// Every file here was written by another project (fixtures/README.md: source, commit, licence).
const FIX = new URL('../cloud/missions/fixtures/', import.meta.url);
const text = (path: string) => readFileSync(new URL(path, FIX), 'utf8');
const plan = (path: string) => routeFromQgc(JSON.parse(text(path)));

function errorOf(fn: () => unknown): { code: string; params: Record<string, unknown>; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; params: Record<string, unknown>; message: string };
  }
  throw new Error('expected an error');
}

const drone = { swathM: 6, tankL: 40, maxFlowLpm: 10, speedMps: 5, enduranceMin: 15, altitudeM: 3 };
const product = { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 };

describe("MAVSDK's QGroundControl test plans", () => {
  it('refuses the plain sample at its camera command, by number and name', () => {
    expect(errorOf(() => plan('mavsdk/qgroundcontrol_sample.plan'))).toMatchObject({
      code: 'QGC_UNSUPPORTED_COMMAND',
      params: { item: 3, command: 2000, commandName: 'IMAGE_START_CAPTURE' },
    });
    expect(errorOf(() => plan('mavsdk/qgroundcontrol_sample_with_digicam_control.plan'))).toMatchObject({
      code: 'QGC_UNSUPPORTED_COMMAND',
      params: { item: 1, command: 203, commandName: 'DO_DIGICAM_CONTROL' },
    });
  });

  it('names a survey as a survey, whatever its version or missing members, not by the camera command before it', () => {
    for (const f of ['', '_wrong_version', '_missing_items']) {
      const e = errorOf(() => plan(`mavsdk/qgroundcontrol_sample_with_survey${f}.plan`));
      expect(e).toMatchObject({
        code: 'QGC_UNSUPPORTED_ITEM',
        params: { item: 2, itemType: 'ComplexItem', complexItemType: 'survey', kind: 'survey' },
      });
      expect(e.message).toMatch(/^QGC survey items are not supported here: convert them to waypoints in QGC/);
    }
  });

  it('names a structure scan as a structure scan', () => {
    const e = errorOf(() => plan('mavsdk/qgroundcontrol_sample_with_structured_scan.plan'));
    expect(e).toMatchObject({
      code: 'QGC_UNSUPPORTED_ITEM',
      params: { item: 2, complexItemType: 'StructureScan', kind: 'structure scan' },
    });
    expect(e.message).toMatch(/^QGC structure scan items are not supported here: convert them to waypoints in QGC/);
  });

  it('says which version is wrong: the mission (7) or the file (42)', () => {
    expect(errorOf(() => plan('mavsdk/qgroundcontrol_sample_wrong_mission_version.plan'))).toMatchObject({
      code: 'QGC_UNSUPPORTED_VERSION',
      params: { what: 'missionVersion', found: '7', supported: '2' },
    });
    expect(errorOf(() => plan('mavsdk/qgroundcontrol_sample_wrong_overall_version.plan'))).toMatchObject({
      code: 'QGC_UNSUPPORTED_VERSION',
      params: { what: 'version', found: '42', supported: '1' },
    });
  });

  it('says a plan with only a geofence has no mission', () => {
    expect(errorOf(() => plan('mavsdk/qgroundcontrol_sample_without_mission.plan'))).toMatchObject({
      code: 'QGC_NO_MISSION',
      params: { members: 'fileType,geoFence,groundStation,version' },
    });
  });

  it("reads Mission Planner's QGC WPL 110 sample, and an upload of it is refused for never spraying", () => {
    const route = routeFromQgc(wplToPlan(text('mavsdk/mission_planner_sample.txt')));
    expect(route.home).toEqual([8.545538, 47.3978101]);
    expect(route.legs).toEqual([
      {
        sortie: 1,
        spray: false,
        coordinates: [
          [8.545538, 47.3978101],
          [8.5454669, 47.3977992],
          [8.5453958, 47.3977883],
          [8.545538, 47.3978101], // line 3 is RETURN_TO_LAUNCH: home, not its own lat/lon
        ],
      },
    ]);
    const field = makeField({ boundary: square(8.5454, 47.3978, 0.0004) });
    expect(errorOf(() => planFromRoute(route, { field, drone, product }))).toMatchObject({
      code: 'ROUTE_NO_SPRAY',
    });
  });
});

describe("QGroundControl's and PX4's own plans", () => {
  it("reads QGroundControl's PX4 test plan (no sprayer: an upload is refused for never spraying)", () => {
    const route = plan('qgc/PX4SITL-PX4-MultiRotor.plan');
    expect(route.home).toEqual([8.5455, 47.397]);
    expect(route.legs.every((l) => !l.spray)).toBe(true);
    const field = makeField({ boundary: square(8.5455, 47.397, 0.001) });
    expect(errorOf(() => planFromRoute(route, { field, drone, product })).code).toBe('ROUTE_NO_SPRAY');
  });

  it("refuses QGroundControl's ArduCopter test plan at its region-of-interest command", () => {
    expect(errorOf(() => plan('qgc/ArduPilotSITL-ArduCopter.plan'))).toMatchObject({
      code: 'QGC_UNSUPPORTED_COMMAND',
      params: { item: 5, command: 201, commandName: 'DO_SET_ROI' },
    });
  });

  it("reads PX4's multicopter box mission: one sortie, take-off to landing", () => {
    const route = plan('px4/MC_mission_box.plan');
    expect(route.home).toEqual([8.545594, 47.397742]);
    expect(route.altitudeM).toBe(10);
    expect(route.legs).toHaveLength(1);
    expect(route.legs[0]!.coordinates.at(-1)).toEqual([8.545591354370117, 47.39773941040039]);
  });
});

describe("Fields2Cover's fields", () => {
  const parse = (s: string) => parseFieldFile(s, { filename: 'field.json' });

  it('accepts its Dutch parcel with 3-D positions, dropped to [lon, lat]', () => {
    const f = parse(text('fields2cover/test.json'));
    expect(f.name).toBe('test parcel');
    expect(f.areaM2).toBeCloseTo(35_821, -1);
    expect(f.boundary.coordinates).toHaveLength(1);
    expect(f.boundary.coordinates[0]).toHaveLength(20); // 19 vertices, closed
    expect(f.boundary.coordinates[0]!.every((p) => p.length === 2)).toBe(true);
    expect(f.boundary.coordinates[0]![0]).toEqual([6.062131843297665, 51.51238564279176]);
  });

  it('refuses its two-field file as two polygons, and accepts each field alone', () => {
    const file = text('fields2cover/test_2_cell.json');
    expect(errorOf(() => parse(file))).toMatchObject({ code: 'FIELD_MULTIPLE_POLYGONS', params: { polygons: 2 } });
    const [one, two] = (JSON.parse(file) as { features: unknown[] }).features.map((ft) => parse(JSON.stringify(ft)));
    expect(one).toMatchObject({ name: 'field1', areaM2: expect.closeTo(142_987, -1) });
    expect(two).toMatchObject({ name: 'field2', areaM2: expect.closeTo(239_675, -1) });
    expect(one!.boundary.coordinates[0]).toHaveLength(12);
  });

  it('refuses its 10° test ring as too large, with the size', () => {
    expect(errorOf(() => parse(text('fields2cover/test_ring.json')))).toMatchObject({
      code: 'FIELD_TOO_LARGE',
      params: { areaHa: expect.closeTo(44_250_008, -1), maxAreaHa: 1000 },
    });
  });

  it('plans its concave field with no overspray, reporting the double dose', () => {
    const ft = (JSON.parse(text('fields2cover/test_2_cell.json')) as { features: unknown[] }).features[0];
    const m = planMission({ field: parse(JSON.stringify(ft)), drone, product }).metrics;
    expect(m.coverage).toBeGreaterThanOrEqual(0.995);
    expect(m.overspray).toBe(0);
    expect(m.doubleDose).toBeGreaterThan(0);
    expect(m.doubleDose).toBeLessThan(0.03);
    expect(m.doubleDoseM2).toBeGreaterThan(0);
  });

  it('plans its Dutch parcel with no overspray, reporting the double dose', () => {
    const m = planMission({ field: parse(text('fields2cover/test.json')), drone, product }).metrics;
    // 3.6 ha at a 6 m swath: the pass ends against its slanted sides keep it under 99.5 %
    expect(m.coverage).toBeGreaterThanOrEqual(0.985);
    expect(m.overspray).toBe(0);
    expect(m.doubleDose).toBeGreaterThan(0);
    expect(m.doubleDose).toBeLessThan(0.03);
    expect(m.doubleDoseM2).toBeGreaterThan(0);
  });
});

describe('a KML field with holes as Google Earth saves it', () => {
  it('reads the same field as our plain KML, its lon,lat,0 triples dropped to [lon, lat]', () => {
    const ge = parseFieldFile(text('field-holes-google-earth.kml'), { filename: 'f.kml' });
    const plain = parseFieldFile(text('field-holes.kml'), { filename: 'f.kml' });
    expect(ge.name).toBe('Thửa 12');
    expect(ge.boundary).toEqual(plain.boundary);
    expect(ge.boundary.coordinates).toHaveLength(3);
    expect(ge.areaM2).toBeCloseTo(plain.areaM2, 6);
  });
});

function square(lon: number, lat: number, d: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lon, lat],
        [lon + d, lat],
        [lon + d, lat + d],
        [lon, lat + d],
        [lon, lat],
      ],
    ],
  };
}
