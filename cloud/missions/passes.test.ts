import { describe, expect, it } from 'vitest';
import type { LocalMulti } from './geo/local-frame.js';
import { buildCells, interiorPasses } from './passes.js';

describe('interior passes and cells', () => {
  it('lays one pass per swath band across a rectangle, in one cell', () => {
    const rect: LocalMulti = [
      [
        [
          [0, 0],
          [100, 0],
          [100, 30],
          [0, 30],
          [0, 0],
        ],
      ],
    ];
    const rows = interiorPasses(rect, 6);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.length === 1 && r[0]!.x0 === 0 && r[0]!.x1 === 100)).toBe(true);
    expect(buildCells(rows)).toHaveLength(1);
  });

  it('splits a U shape into a base and two arms so no turn crosses the gap', () => {
    const u: LocalMulti = [
      [
        [
          [0, 0],
          [90, 0],
          [90, 60],
          [60, 60],
          [60, 24],
          [30, 24],
          [30, 60],
          [0, 60],
          [0, 0],
        ],
      ],
    ];
    const cells = buildCells(interiorPasses(u, 6));
    expect(cells).toHaveLength(3);
    const arms = cells.filter((c) => c[0]!.x1 - c[0]!.x0 < 40);
    expect(arms).toHaveLength(2);
  });

  it('reaches into a slanted corner: a pass spans all of the shape within its band', () => {
    const tri: LocalMulti = [
      [
        [
          [0, 0],
          [60, 0],
          [0, 60],
          [0, 0],
        ],
      ],
    ];
    const rows = interiorPasses(tri, 6);
    // the band 0–6 m holds the shape out to x = 60, though the centre line only reaches 57
    expect(rows[0]![0]!.x1).toBeCloseTo(60, 3);
  });
});
