import { describe, expect, it } from 'vitest';
import type { LocalMulti } from './geo/local-frame.js';
import type { LocalLeg } from './route.js';
import { TransitRouter, polylineLength } from './router.js';
import { splitSorties } from './sorties.js';

const field: LocalMulti = [
  [
    [
      [-10, -10],
      [1010, -10],
      [1010, 100],
      [-10, 100],
      [-10, -10],
    ],
  ],
];
const router = new TransitRouter(field, []);
const passes: LocalLeg[] = [
  {
    kind: 'spray',
    pts: [
      [0, 0],
      [1000, 0],
    ],
  },
  {
    kind: 'transit',
    pts: [
      [1000, 0],
      [1000, 6],
    ],
  },
  {
    kind: 'spray',
    pts: [
      [1000, 6],
      [0, 6],
    ],
  },
];
const lim = { litresPerM: 0.009, tankL: 10, speedMps: 5, enduranceS: 3600, reserve: 0.1 };

describe('splitSorties', () => {
  it('cuts a pass where the tank runs dry and resumes there on the next sortie', () => {
    const legs = splitSorties(passes, [0, -5], router, lim);
    const spray = legs.filter((l) => l.kind === 'spray');
    const litres = (s: number) =>
      spray.filter((l) => l.sortie === s).reduce((a, l) => a + polylineLength(l.pts) * lim.litresPerM, 0);
    expect(new Set(legs.map((l) => l.sortie))).toEqual(new Set([1, 2]));
    expect(litres(1)).toBeCloseTo(10, 1);
    expect(spray.reduce((a, l) => a + polylineLength(l.pts), 0)).toBeCloseTo(2000, 3);
    const cut = spray.find((l) => l.sortie === 1 && l.pts.at(-1)![0] > 0 && l.pts.at(-1)![0] < 1000)!;
    expect(spray.find((l) => l.sortie === 2)!.pts[0]).toEqual(cut.pts.at(-1));
  });

  it('ends a sortie early enough to fly home within the endurance reserve', () => {
    const legs = splitSorties(passes, [500, -5], router, { ...lim, tankL: 100, enduranceS: 300 });
    expect(new Set(legs.map((l) => l.sortie)).size).toBeGreaterThan(1);
    for (const s of new Set(legs.map((l) => l.sortie))) {
      const len = legs.filter((l) => l.sortie === s).reduce((a, l) => a + polylineLength(l.pts), 0);
      expect(len / lim.speedMps).toBeLessThanOrEqual(300 * 0.9 + 1);
      expect(
        legs
          .filter((l) => l.sortie === s)
          .at(-1)!
          .pts.at(-1),
      ).toEqual([500, -5]);
    }
  });

  it('refuses an endurance too short to reach the field and back', () => {
    expect(() => splitSorties(passes, [0, -5000], router, { ...lim, enduranceS: 60 })).toThrow(/too short/);
  });
});
