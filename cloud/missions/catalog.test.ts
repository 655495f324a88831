import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMissionCatalog } from './catalog.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const file = (json: unknown) => {
  dir = mkdtempSync(join(tmpdir(), 'rs-cat-'));
  const f = join(dir, 'c.json');
  writeFileSync(f, JSON.stringify(json));
  return f;
};

describe('mission catalogue', () => {
  it('has no drones without a catalogue file: production never plans with the demo drones', () => {
    expect(loadMissionCatalog(undefined)).toEqual({ drones: [], products: [] });
  });

  it("reads and validates the cooperative's drones and products", () => {
    const drone = {
      id: 't40',
      name: 'DJI Agras T40',
      swathM: 7,
      tankL: 40,
      maxFlowLpm: 12,
      speedMps: 6,
      enduranceMin: 12,
    };
    const c = loadMissionCatalog(
      file({ drones: [drone], products: [{ id: 'p', name: 'Tricyclazole 75WP', rateLPerHa: 15, maxWindMps: 5 }] }),
    );
    expect(c.drones).toEqual([{ ...drone, altitudeM: 3 }]);
    expect(() => loadMissionCatalog(file({ drones: [{ ...drone, swathM: 0 }], products: [] }))).toThrow(
      expect.objectContaining({ code: 'PLAN_INVALID_INPUT', params: { path: 'drones.0.swathM' } }),
    );
  });
});
