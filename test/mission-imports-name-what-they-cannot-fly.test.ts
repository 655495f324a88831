import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routeFromQgc } from '../cloud/missions/qgc-plan.js';
import { wplToPlan } from '../cloud/missions/qgc-wpl.js';
import { fieldIssues, DEFAULT_FIELD_LIMITS } from '../cloud/missions/field.js';
import { buildMemoryApp, bearer } from './support/memory-app.js';

const FIX = new URL('../cloud/missions/fixtures/', import.meta.url);
const wpl = readFileSync(new URL('ardupilot/copter_mission.waypoints', FIX), 'utf8');
const qgc = () => JSON.parse(readFileSync(new URL('qgc/PX4SITL-PX4-MultiRotor.plan', FIX), 'utf8'));

function errorOf(fn: () => unknown): { code: string; params: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; params: Record<string, unknown> };
  }
  throw new Error('expected an error');
}

describe('imports name what they cannot fly', () => {
  it("reads ArduPilot's QGC WPL 110 mission and names its first command we do not fly", () => {
    const e = errorOf(() => routeFromQgc(wplToPlan(wpl)));
    expect(e).toMatchObject({
      code: 'QGC_UNSUPPORTED_COMMAND',
      params: { item: 3, command: 115, commandName: 'CONDITION_YAW' },
    });
  });

  it('flies the same file once its condition and jump lines are gone', () => {
    const flyable = wpl
      .split('\n')
      .filter((l) => !/^\d+\t0\t3\t(115|114|113|177)\t/.test(l))
      .join('\n');
    const route = routeFromQgc(wplToPlan(flyable));
    expect(route.home).toEqual([149.165222, -35.362881]);
    const pts = route.legs.flatMap((l) => l.coordinates);
    expect(pts).toContainEqual([149.163501, -35.364652]);
    expect(pts).toContainEqual([149.164563, -35.365361]);
    expect(route.altitudeM).toBe(40);
  });

  it('refuses text that is not a waypoint file, naming the line', () => {
    expect(errorOf(() => wplToPlan('hello'))).toMatchObject({ code: 'WPL_PARSE_ERROR', params: { line: 1 } });
    expect(errorOf(() => wplToPlan('QGC WPL 110\n0\t1\t0\t16\t0\t0\n'))).toMatchObject({
      code: 'WPL_PARSE_ERROR',
      params: { line: 2 },
    });
  });

  it('names QGroundControl survey and structure-scan items as what they are', () => {
    for (const [kind, named] of [
      ['survey', 'survey'],
      ['StructureScan', 'structure scan'],
      ['CorridorScan', 'corridor scan'],
    ]) {
      const f = qgc();
      f.mission.items.splice(1, 0, { type: 'ComplexItem', complexItemType: kind, version: 5 });
      const e = errorOf(() => routeFromQgc(f)) as { code: string; params: Record<string, unknown>; message: string };
      expect(e).toMatchObject({
        code: 'QGC_UNSUPPORTED_ITEM',
        params: { item: 2, itemType: 'ComplexItem', complexItemType: kind, kind: named },
      });
      expect(e.message).toMatch(
        new RegExp(`^QGC ${named} items are not supported here: convert them to waypoints in QGC`),
      );
    }
  });

  it("says which version or member is wrong (the MAVSDK test plans' faults)", () => {
    const f = qgc();
    f.mission.version = 1;
    expect(errorOf(() => routeFromQgc(f))).toMatchObject({
      code: 'QGC_UNSUPPORTED_VERSION',
      params: { what: 'missionVersion', found: '1', supported: '2' },
    });
    expect(errorOf(() => routeFromQgc({ ...qgc(), version: 2 }))).toMatchObject({
      params: { what: 'version', found: '2' },
    });
    const { mission: _m, ...noMission } = qgc();
    expect(errorOf(() => routeFromQgc(noMission))).toMatchObject({
      code: 'QGC_NO_MISSION',
      params: { members: 'fileType,geoFence,groundStation,rallyPoints,version' },
    });
  });

  it('takes a .waypoints text in the API like a .plan', async () => {
    const built = await buildMemoryApp();
    try {
      const tech = await bearer(built.app, 'kythuat');
      const res = await built.app.inject({
        method: 'POST',
        url: '/api/v1/missions',
        headers: tech,
        payload: { fieldId: 'field-farm-dai-an-1', droneId: 'drone-10l', productId: 'tricyclazole', qgcPlan: wpl },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'QGC_UNSUPPORTED_COMMAND', params: { command: 115 } });
    } finally {
      await built.app.close();
    }
  });
});

describe('lon/lat sanity anywhere on Earth', () => {
  // a Dutch field (near Winterswijk) and the same positions swapped
  const dutch = [
    [
      [6.5401, 51.8962],
      [6.5442, 51.8962],
      [6.5442, 51.8987],
      [6.5401, 51.8987],
      [6.5401, 51.8962],
    ],
  ];
  const swapped = dutch.map((r) => r.map(([lon, lat]) => [lat!, lon!]));
  const nearDutchFarms = { ...DEFAULT_FIELD_LIMITS, near: [[6.53, 51.9]] as Array<[number, number]> };

  it('tells a swapped pair from a field elsewhere by where the cooperative already works', () => {
    const issues = fieldIssues(swapped, nearDutchFarms).issues;
    expect(issues[0]).toMatchObject({
      code: 'FIELD_LONLAT_SWAPPED',
      params: { lon: expect.closeTo(51.9, 1), swappedLon: expect.closeTo(6.54, 2) },
    });
    expect(fieldIssues(dutch, nearDutchFarms).issues).toEqual([]);
  });

  it('falls back on the service region when the cooperative has no field yet', () => {
    const vn = [
      [
        [106.15, 9.55],
        [106.152, 9.55],
        [106.152, 9.552],
        [106.15, 9.552],
        [106.15, 9.55],
      ],
    ];
    expect(
      fieldIssues(
        vn.map((r) => r.map(([a, b]) => [b!, a!])),
        DEFAULT_FIELD_LIMITS,
      ).issues[0]!.code,
    ).toBe('FIELD_LONLAT_SWAPPED');
    expect(fieldIssues(vn, DEFAULT_FIELD_LIMITS).issues).toEqual([]);
  });
});
