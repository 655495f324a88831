import { describe, expect, it } from 'vitest';
import type { LocalMulti, XY } from './geo/local-frame.js';
import { bufferLocal } from './geo/ops.js';
import { TransitRouter, polylineLength } from './router.js';

// an L: 100 × 100 with the north-east 60 × 60 quarter missing
const L: LocalMulti = [
  [
    [
      [0, 0],
      [100, 0],
      [100, 40],
      [40, 40],
      [40, 100],
      [0, 100],
      [0, 0],
    ],
  ],
];
const loops = bufferLocal(L, -3).flatMap((p) => p.map((ring, i) => ({ ring, hole: i > 0 })));

describe('TransitRouter', () => {
  it('flies straight when the segment stays on allowed ground', () => {
    const r = new TransitRouter(L, loops);
    expect(r.route([10, 10], [90, 20])).toEqual([
      [10, 10],
      [90, 20],
    ]);
  });

  it('goes around the inner corner of an L instead of cutting across the missing quarter', () => {
    const r = new TransitRouter(L, loops);
    const path = r.route([90, 30], [30, 90]);
    expect(path.length).toBeGreaterThan(2);
    for (let i = 1; i < path.length; i++) expect(r.clear(path[i - 1]!, path[i]!)).toBe(true);
    const corner = path.slice(1, -1)[0]!;
    expect(corner[0]).toBeLessThanOrEqual(40);
    expect(corner[1]).toBeLessThanOrEqual(40);
    expect(polylineLength(path)).toBeLessThan(
      polylineLength([
        [90, 30],
        [40, 40],
        [30, 90],
      ] as XY[]) + 5,
    );
  });

  it('flies a refill point off the field straight in', () => {
    const r = new TransitRouter(L, loops);
    expect(r.route([200, 200], [10, 10])).toEqual([
      [200, 200],
      [10, 10],
    ]);
  });
});
