import type { LocalMulti, XY } from './local-frame.js';

/** A polygon edge prepared for horizontal scanlines. */
export interface Edge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export function edgesOf(m: LocalMulti): Edge[] {
  const out: Edge[] = [];
  for (const poly of m) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[j]!,
          b = ring[i]!;
        if (a[1] !== b[1]) out.push({ x1: a[0], y1: a[1], x2: b[0], y2: b[1] });
      }
    }
  }
  return out;
}

/** Rows sorted into buckets of height `step` so a scanline only looks at edges near it. */
export class EdgeIndex {
  private readonly buckets: Edge[][];
  private readonly y0: number;
  private readonly step: number;

  constructor(edges: Edge[], y0: number, y1: number, step: number) {
    this.y0 = y0;
    this.step = Math.max(step, 1e-6);
    const n = Math.max(1, Math.ceil((y1 - y0) / this.step) + 1);
    this.buckets = Array.from({ length: n }, () => []);
    for (const e of edges) {
      const lo = Math.max(0, Math.floor((Math.min(e.y1, e.y2) - y0) / this.step));
      const hi = Math.min(n - 1, Math.floor((Math.max(e.y1, e.y2) - y0) / this.step));
      for (let k = lo; k <= hi; k++) this.buckets[k]!.push(e);
    }
  }

  /** Inside intervals of the polygon set on the line Y = y (even–odd rule, so holes work). */
  intervals(y: number): Array<[number, number]> {
    const k = Math.floor((y - this.y0) / this.step);
    const edges = this.buckets[k];
    if (!edges) return [];
    const xs: number[] = [];
    for (const e of edges) {
      if ((e.y1 <= y && y < e.y2) || (e.y2 <= y && y < e.y1)) {
        xs.push(e.x1 + ((y - e.y1) * (e.x2 - e.x1)) / (e.y2 - e.y1));
      }
    }
    xs.sort((a, b) => a - b);
    const out: Array<[number, number]> = [];
    for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i + 1]! > xs[i]!) out.push([xs[i]!, xs[i + 1]!]);
    return out;
  }
}

export function bboxOf(m: LocalMulti): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const poly of m)
    for (const p of poly[0]!) {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
  return { minX, minY, maxX, maxY };
}

/** Rotates by -angle (radians) about the origin: a heading becomes the +x axis. */
export function rotate(p: XY, cos: number, sin: number): XY {
  return [p[0] * cos + p[1] * sin, -p[0] * sin + p[1] * cos];
}

export function unrotate(p: XY, cos: number, sin: number): XY {
  return [p[0] * cos - p[1] * sin, p[0] * sin + p[1] * cos];
}

export function rotateMulti(m: LocalMulti, cos: number, sin: number): LocalMulti {
  return m.map((poly) => poly.map((ring) => ring.map((p) => rotate(p, cos, sin))));
}

/** Sorted union of intervals. */
export function mergeIntervals(iv: Array<[number, number]>): Array<[number, number]> {
  if (iv.length < 2) return iv.slice();
  const s = iv.slice().sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [[s[0]![0], s[0]![1]]];
  for (let i = 1; i < s.length; i++) {
    const last = out[out.length - 1]!;
    const cur = s[i]!;
    if (cur[0] <= last[1]) last[1] = Math.max(last[1], cur[1]);
    else out.push([cur[0], cur[1]]);
  }
  return out;
}

export function intervalsLength(iv: Array<[number, number]>): number {
  return iv.reduce((s, [a, b]) => s + (b - a), 0);
}

/** Length of the overlap of two sorted, disjoint interval lists. */
export function overlapLength(a: Array<[number, number]>, b: Array<[number, number]>): number {
  let i = 0,
    j = 0,
    s = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (hi > lo) s += hi - lo;
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return s;
}
