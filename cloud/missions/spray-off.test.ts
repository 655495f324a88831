import { describe, expect, it } from 'vitest';
import { measureCoverage } from './coverage.js';
import type { LocalMulti, XY } from './geo/local-frame.js';
import type { LocalLeg } from './route.js';
import { sprayOffOverCovered } from './spray-off.js';

const ground: LocalMulti = [
  [
    [
      [-200, -200],
      [200, -200],
      [200, 200],
      [-200, 200],
      [-200, -200],
    ],
  ],
];
const sprayLines = (legs: LocalLeg[]) => legs.filter((l) => l.kind === 'spray').map((l) => l.pts);
const length = (legs: LocalLeg[]) =>
  legs.reduce(
    (s, l) =>
      s + l.pts.reduce((a, p, i) => (i ? a + Math.hypot(p[0] - l.pts[i - 1]![0], p[1] - l.pts[i - 1]![1]) : 0), 0),
    0,
  );

describe('sprayOffOverCovered', () => {
  it('turns the loop off where it runs back over its own swath at an acute tip, along the same line', () => {
    // a loop with a 20° tip: after the tip the swath runs over what it just sprayed
    const ring: XY[] = [
      [0, 0],
      [100, 0],
      [0, 36],
      [0, 0],
    ];
    const legs: LocalLeg[] = [{ kind: 'spray', pts: ring }];
    const out = sprayOffOverCovered(legs, 6);
    expect(out.some((l) => l.kind === 'transit')).toBe(true);
    // same line flown: the path does not change
    expect(length(out)).toBeCloseTo(length(legs), 6);
    expect(out[0]!.pts[0]).toEqual([0, 0]);
    expect(out.at(-1)!.pts.at(-1)).toEqual([0, 0]);
    const before = measureCoverage(sprayLines(legs), ground, 6);
    const after = measureCoverage(sprayLines(out), ground, 6);
    expect(after.doubleM2).toBeLessThan(before.doubleM2 * 0.7);
    // what goes unsprayed is small beside the double dose saved
    expect(before.coveredM2 - after.coveredM2).toBeLessThan((before.doubleM2 - after.doubleM2) / 2);
  });

  it('keeps a loop whole where nothing under it was sprayed before, and passes as they are', () => {
    const ring: XY[] = [
      [0, 0],
      [100, 0],
      [100, 60],
      [0, 60],
      [0, 0],
    ];
    const pass: LocalLeg = {
      kind: 'spray',
      pts: [
        [3, 30],
        [97, 30],
      ],
    };
    const out = sprayOffOverCovered([pass, { kind: 'spray', pts: ring }], 6);
    expect(out).toEqual([pass, { kind: 'spray', pts: ring }]);
  });

  it('turns a loop off over ground a pass sprayed before it', () => {
    const pass: LocalLeg = {
      kind: 'spray',
      pts: [
        [0, 3],
        [100, 3],
      ],
    };
    const ring: XY[] = [
      [0, 3],
      [100, 3],
      [100, 60],
      [0, 60],
      [0, 3],
    ];
    const out = sprayOffOverCovered([pass, { kind: 'spray', pts: ring }], 6);
    expect(out[1]).toMatchObject({ kind: 'transit' });
    expect(out[1]!.pts.at(-1)).toEqual([100, 3]);
  });
});
