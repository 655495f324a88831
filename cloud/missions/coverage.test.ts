import { describe, expect, it } from 'vitest';
import { measureCoverage } from './coverage.js';
import type { LocalMulti } from './geo/local-frame.js';

const square: LocalMulti = [
  [
    [
      [0, 0],
      [60, 0],
      [60, 60],
      [0, 60],
      [0, 0],
    ],
  ],
];

describe('measureCoverage', () => {
  it('counts ten 6 m passes over a 60 m square as full coverage without overspray', () => {
    const lines = Array.from(
      { length: 10 },
      (_, i) =>
        [
          [0, 3 + 6 * i],
          [60, 3 + 6 * i],
        ] as Array<[number, number]>,
    );
    const r = measureCoverage(lines, square, 6);
    expect(r.coverage).toBeCloseTo(1, 3);
    expect(r.overspray).toBeCloseTo(0, 3);
  });

  it('measures a gap and a swath hanging over the edge', () => {
    const lines = [
      [
        [0, 3],
        [60, 3],
      ],
      [
        [0, 60],
        [60, 60],
      ],
    ] as Array<Array<[number, number]>>;
    const r = measureCoverage(lines, square, 6);
    expect(r.coverage).toBeCloseTo((6 + 3) / 60, 2); // one full band + half of the one on the edge
    expect(r.overspray).toBeCloseTo(3 / 60, 2);
  });

  it('gives the same answer in a rotated frame', () => {
    const lines = [
      [
        [10, 10],
        [50, 50],
      ],
    ] as Array<Array<[number, number]>>;
    const a = measureCoverage(lines, square, 6);
    const b = measureCoverage(lines, square, 6, Math.cos(0.3), Math.sin(0.3));
    expect(b.coveredM2).toBeCloseTo(a.coveredM2, -1);
  });
});

describe('double dose', () => {
  it('measures the strip two overlapping passes spray twice', () => {
    const lines = [
      [
        [0, 3],
        [60, 3],
      ],
      [
        [0, 7],
        [60, 7],
      ],
    ] as Array<Array<[number, number]>>; // 2 m overlap
    const r = measureCoverage(lines, square, 6);
    expect(r.doubleM2).toBeCloseTo(2 * 60, -1);
    expect(r.doubleDose).toBeCloseTo(120 / (10 * 60), 2);
  });

  it('counts nothing twice where passes only touch or a line bends gently', () => {
    const lines = Array.from(
      { length: 10 },
      (_, i) =>
        [
          [0, 3 + 6 * i],
          [30, 3 + 6 * i],
          [60, 3 + 6 * i],
        ] as Array<[number, number]>,
    );
    expect(measureCoverage(lines, square, 6).doubleM2).toBeLessThan(1);
  });

  it('counts the inside of a turn twice only where the drone turns (over 30°), not along a curve', () => {
    const big: LocalMulti = [
      [
        [
          [-100, -100],
          [100, -100],
          [100, 100],
          [-100, 100],
          [-100, -100],
        ],
      ],
    ];
    // a loop of radius 40 m in 5° steps: flown as a curve, its boom never sweeps back
    const circle = Array.from({ length: 73 }, (_, i) => {
      const a = (i * 5 * Math.PI) / 180;
      return [40 * Math.cos(a), 40 * Math.sin(a)] as [number, number];
    });
    expect(measureCoverage([circle], big, 6).doubleM2).toBeLessThan(1);
    // a square loop stops and yaws at each of its four corners (the start too): 3 × 3 m inside each twice
    const square40: Array<[number, number]> = [
      [-40, -40],
      [40, -40],
      [40, 40],
      [-40, 40],
      [-40, -40],
    ];
    expect(measureCoverage([square40], big, 6).doubleM2).toBeCloseTo(4 * 9, 0);
    // an acute tip (a 150° turn) overlaps for metres along both sides
    const tip: Array<[number, number]> = [
      [-50, 0],
      [0, 0],
      [-50, 13.4],
    ];
    expect(measureCoverage([tip], big, 6).doubleM2).toBeGreaterThan(30);
  });
});
