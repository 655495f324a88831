import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routeFromQgc } from '../cloud/missions/qgc-plan.js';

const fixture = () =>
  JSON.parse(
    readFileSync(new URL('../cloud/missions/fixtures/qgc/PX4SITL-PX4-MultiRotor.plan', import.meta.url), 'utf8'),
  );

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('QGroundControl .plan import', () => {
  it('imports the plan QGroundControl wrote for PX4 SITL', () => {
    const route = routeFromQgc(fixture());
    expect(route.home).toEqual([8.5455, 47.397]);
    expect(route.speedMps).toBe(10); // its DO_CHANGE_SPEED item
    const pts = route.legs.flatMap((l) => l.coordinates);
    expect(pts).toContainEqual([8.565406, 47.4104747]);
    expect(pts).toContainEqual([8.5189587, 47.4194578]);
    expect(route.legs.every((l) => !l.spray)).toBe(true); // it has no sprayer commands
  });

  it('rejects other file and mission versions', () => {
    expect(codeOf(() => routeFromQgc({ ...fixture(), version: 2 })).code).toBe('QGC_UNSUPPORTED_VERSION');
    const f = fixture();
    f.mission.version = 1;
    expect(codeOf(() => routeFromQgc(f)).message).toMatch(/mission version 1/);
    expect(codeOf(() => routeFromQgc({ ...fixture(), fileType: 'GeoFence' })).code).toBe('QGC_UNSUPPORTED_VERSION');
  });

  it('rejects complex items, naming them', () => {
    const f = fixture();
    f.mission.items.splice(2, 0, { type: 'ComplexItem', complexItemType: 'survey', version: 5 });
    const e = codeOf(() => routeFromQgc(f));
    expect(e.code).toBe('QGC_UNSUPPORTED_ITEM');
    expect(e.message).toMatch(/item 3 is a ComplexItem "survey"/);
  });

  it('rejects commands we do not fly, naming the command', () => {
    const f = fixture();
    f.mission.items[2] = { ...f.mission.items[2], command: 177, params: [1, 2, 0, 0, 0, 0, 0] };
    const e = codeOf(() => routeFromQgc(f));
    expect(e.code).toBe('QGC_UNSUPPORTED_COMMAND');
    expect(e.message).toMatch(/command 177 \(DO_JUMP\)/);
  });

  it('rejects what is not a plan at all', () => {
    expect(codeOf(() => routeFromQgc({ hello: 1 })).code).toBe('QGC_PARSE_ERROR');
  });
});
