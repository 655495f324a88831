import { EdgeIndex, bboxOf, edgesOf, mergeIntervals } from './geo/scanline.js';
import type { LocalMulti } from './geo/local-frame.js';

/** One straight spray pass in the heading-aligned frame: flown along Y = y from x0 to x1. */
export interface Pass {
  row: number;
  y: number;
  x0: number;
  x1: number;
  /** stretches of [x0, x1] flown with nozzles on (ascending); absent = all of it */
  runs?: Array<[number, number]>;
}

/** Passes that stack one per row with one neighbour above and below: flown back and forth. */
export type Cell = Pass[];

/**
 * Interior passes over the polygon set `inner` (the sprayable area shrunk by one swath, so
 * the headland loop covers the rest). Each row's band [y − w/2, y + w/2] is sampled at several
 * heights and at every vertex inside it, so a pass reaches every bit of `inner` its swath can
 * cover; anything it then sprays outside `inner` still lies within one swath of it, i.e.
 * inside the sprayable area.
 */
export function interiorPasses(inner: LocalMulti, swathM: number): Pass[][] {
  if (inner.length === 0) return [];
  const bb = bboxOf(inner);
  const index = new EdgeIndex(edgesOf(inner), bb.minY - 1, bb.maxY + 1, swathM / 2);
  const vertexYs = inner.flatMap((poly) => poly.flatMap((r) => r.map((p) => p[1]))).sort((a, b) => a - b);
  const rows: Pass[][] = [];
  const height = bb.maxY - bb.minY;
  // a sliver under 2 % of a swath past the last band is projection noise, not a pass
  const count = Math.max(1, Math.ceil(height / swathM - 0.02));
  for (let r = 0; r < count; r++) {
    const y = bb.minY + swathM / 2 + r * swathM;
    const lo = y - swathM / 2,
      hi = y + swathM / 2;
    const samples = [lo + 1e-6, y - swathM / 4, y, y + swathM / 4, hi - 1e-6];
    for (const vy of verticesBetween(vertexYs, lo, hi)) samples.push(vy - 1e-6, vy + 1e-6);
    const iv = samples.flatMap((s) => index.intervals(s));
    rows.push(
      mergeIntervals(iv)
        .filter(([a, b]) => b - a > 1e-3)
        .map(([x0, x1]) => ({ row: r, y, x0, x1 })),
    );
  }
  return rows;
}

function verticesBetween(sorted: number[], lo: number, hi: number): number[] {
  let a = 0,
    b = sorted.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (sorted[m]! < lo) a = m + 1;
    else b = m;
  }
  const out: number[] = [];
  for (let i = a; i < sorted.length && sorted[i]! <= hi; i++) out.push(sorted[i]!);
  return out;
}

const overlaps = (a: Pass, b: Pass) => a.x0 < b.x1 && b.x0 < a.x1;

/**
 * Boustrophedon cells: a pass continues the cell of the pass below it when each is the other's
 * only overlapping neighbour; a split or merge (a hole, a concave notch) starts new cells, so
 * the turn between two passes of one cell never crosses a gap in the field.
 */
export function buildCells(rows: Pass[][]): Cell[] {
  const cells: Cell[] = [];
  let prev: Array<{ pass: Pass; cell: Cell }> = [];
  for (const row of rows) {
    const cur: Array<{ pass: Pass; cell: Cell }> = [];
    for (const p of row) {
      const below = prev.filter((q) => overlaps(q.pass, p));
      const only = below.length === 1 ? below[0]! : undefined;
      const unique = only && row.filter((o) => overlaps(o, only.pass)).length === 1;
      if (only && unique) {
        only.cell.push(p);
        cur.push({ pass: p, cell: only.cell });
      } else {
        const cell: Cell = [p];
        cells.push(cell);
        cur.push({ pass: p, cell });
      }
    }
    prev = cur;
  }
  return cells;
}

/** How many passes the interior needs at this orientation: what the heading search minimises. */
export function passCount(inner: LocalMulti, swathM: number): number {
  if (inner.length === 0) return 0;
  const bb = bboxOf(inner);
  const index = new EdgeIndex(edgesOf(inner), bb.minY - 1, bb.maxY + 1, swathM);
  let n = 0;
  const count = Math.max(1, Math.ceil((bb.maxY - bb.minY) / swathM - 0.02));
  for (let r = 0; r < count; r++) n += Math.max(1, index.intervals(bb.minY + swathM / 2 + r * swathM).length);
  return n;
}
