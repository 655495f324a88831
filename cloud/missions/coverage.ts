import type { LocalMulti, XY } from './geo/local-frame.js';
import {
  EdgeIndex,
  bboxOf,
  edgesOf,
  intervalsLength,
  mergeIntervals,
  overlapLength,
  rotate,
  rotateMulti,
} from './geo/scanline.js';

export interface CoverageResult {
  /** share of the sprayable area under at least one swath */
  coverage: number;
  /** area sprayed outside the sprayable area, as a share of the sprayable area */
  overspray: number;
  sprayableM2: number;
  coveredM2: number;
  outsideM2: number;
  /** ground under two or more swaths (inside or out): sprayed twice */
  doubleM2: number;
  /** doubleM2 as a share of all ground sprayed (covered + outside) */
  doubleDose: number;
}

/**
 * A swath segment; `gentle`: it continues the line's previous segment through a direction change
 * of at most `GENTLE_DEG` — not a turn (the planner counts turns over 30°): the drone flies it as a
 * curve, and the boom does not pivot back over the inside of it.
 */
type Shape =
  | { kind: 'quad'; pts: XY[]; gentle: boolean }
  | { kind: 'disk'; c: XY; r: number }
  /** a piece of the ring a band of open sections sweeps where the drone turns (single ground, as a disc) */
  | { kind: 'fan'; pts: XY[] };

const GENTLE_DEG = 30;

/**
 * The lateral bands (left positive, in swath halves' units of metres) a line sprays: the whole
 * swath, or each run of adjacent open sections of `mask` (left to right in the direction of flight).
 */
function bandsOf(halfW: number, mask: boolean[] | undefined): Array<[number, number]> | null {
  if (!mask || mask.every(Boolean)) return null;
  const k = mask.length,
    w = 2 * halfW;
  const bands: Array<[number, number]> = [];
  for (let j = 0; j < k; j++) {
    if (!mask[j]) continue;
    const lo = halfW - ((j + 1) * w) / k,
      hi = halfW - (j * w) / k;
    const last = bands.at(-1);
    if (last && Math.abs(last[0] - hi) < 1e-9) last[0] = lo;
    else bands.push([lo, hi]);
  }
  return bands;
}

const FAN_STEP = Math.PI / 12;

/**
 * What the bands sweep while the drone turns at `v` from direction `d0` to `d1`: each band, split
 * at the track (a piece never straddles it), as chords of the ring between its two offsets.
 */
function fans(v: XY, d0: XY, d1: XY, bands: Array<[number, number]>, out: Shape[]) {
  const turn = Math.atan2(d0[0] * d1[1] - d0[1] * d1[0], d0[0] * d1[0] + d0[1] * d1[1]);
  if (Math.abs(turn) < 1e-6) return;
  const steps = Math.ceil(Math.abs(turn) / FAN_STEP);
  const base = Math.atan2(d0[0], -d0[1]); // the left normal's angle
  const at = (r: number, k: number): XY => {
    const a = base + (turn * k) / steps;
    return [v[0] + r * Math.cos(a), v[1] + r * Math.sin(a)];
  };
  for (const [lo, hi] of bands)
    for (const [r0, r1] of lo < 0 && hi > 0 ? [[lo, 0] as const, [0, hi] as const] : [[lo, hi] as const])
      for (let k = 0; k < steps; k++)
        out.push({ kind: 'fan', pts: [at(r0, k), at(r0, k + 1), at(r1, k + 1), at(r1, k)] });
}

const FULL: boolean[] = [true];

function shapesOf(
  sprayLines: XY[][],
  halfW: number,
  cos: number,
  sin: number,
  masks: Array<boolean[] | undefined> = [],
): Shape[] {
  const shapes: Shape[] = [];
  const cosGentle = Math.cos((GENTLE_DEG * Math.PI) / 180);
  // sectional legs: where one ends and the next starts at the same point (a switch point), the
  // drone turns there with the sections open on both
  let end: { p: XY; dir: XY; mask: boolean[] } | null = null;
  for (const [li, line] of sprayLines.entries()) {
    const pts = line.map((p) => rotate(p, cos, sin));
    const bands = bandsOf(halfW, masks[li]);
    const sectional = masks.length > 0;
    const joined = end !== null && pts.length > 0 && Math.hypot(pts[0]![0] - end.p[0], pts[0]![1] - end.p[1]) < 1e-6;
    let first = true;
    let prev: XY | null = null; // unit direction of the line's previous segment
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!,
        b = pts[i]!;
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (len < 1e-9) continue;
      const dir: XY = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
      const gentle = prev !== null && prev[0] * dir[0] + prev[1] * dir[1] >= cosGentle;
      if (sectional && first && joined) {
        const m0 = end!.mask,
          m1 = masks[li] ?? FULL;
        const both =
          m0.length === m1.length ? m0.map((v, q) => v && m1[q]!) : m0.length === 1 ? m1 : m1.length === 1 ? m0 : [];
        const b = bandsOf(halfW, both.some((v) => !v) ? both : undefined) ?? [[-halfW, halfW]];
        if (both.some(Boolean)) fans(a, end!.dir, dir, b, shapes);
      }
      if (bands && prev) fans(a, prev, dir, bands, shapes);
      first = false;
      prev = dir;
      if (bands) {
        // open sections only: one quad per run of adjacent open sections, no round join (the
        // closed sections' side of a turn is not swept)
        const ux = -dir[1],
          uy = dir[0];
        for (const [lo, hi] of bands)
          shapes.push({
            kind: 'quad',
            gentle: gentle && bands.length === 1,
            pts: [
              [a[0] + ux * hi, a[1] + uy * hi],
              [b[0] + ux * hi, b[1] + uy * hi],
              [b[0] + ux * lo, b[1] + uy * lo],
              [a[0] + ux * lo, a[1] + uy * lo],
            ],
          });
        continue;
      }
      const nx = (-(b[1] - a[1]) / len) * halfW,
        ny = ((b[0] - a[0]) / len) * halfW;
      shapes.push({
        kind: 'quad',
        gentle,
        pts: [
          [a[0] + nx, a[1] + ny],
          [b[0] + nx, b[1] + ny],
          [b[0] - nx, b[1] - ny],
          [a[0] - nx, a[1] - ny],
        ],
      });
      // the boom sweeps a disc where the drone turns on a polyline (round join)
      if (i < pts.length - 1) shapes.push({ kind: 'disk', c: b, r: halfW });
    }
    end = prev && pts.length > 1 ? { p: pts.at(-1)!, dir: prev, mask: masks[li] ?? FULL } : null;
  }
  return shapes;
}

function shapeY(s: Shape): [number, number] {
  if (s.kind === 'disk') return [s.c[1] - s.r, s.c[1] + s.r];
  const ys = s.pts.map((p) => p[1]);
  return [Math.min(...ys), Math.max(...ys)];
}

function shapeInterval(s: Shape, y: number): [number, number] | null {
  if (s.kind === 'disk') {
    const dy = y - s.c[1];
    if (Math.abs(dy) >= s.r) return null;
    const h = Math.sqrt(s.r * s.r - dy * dy);
    return [s.c[0] - h, s.c[0] + h];
  }
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < 4; i++) {
    const p = s.pts[i]!,
      q = s.pts[(i + 1) % 4]!;
    if ((p[1] <= y && y < q[1]) || (q[1] <= y && y < p[1])) {
      const x = p[0] + ((y - p[1]) * (q[0] - p[0])) / (q[1] - p[1]);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  return hi > lo ? [lo, hi] : null;
}

/**
 * Length of a row under two or more swaths, from the row's quad intervals (a turn's round join
 * is single ground beside its two segments). Two segments of one line that overlap count — the
 * inside of a sharp turn is sprayed twice — but the shared edge of consecutive segments has no
 * length.
 */
function doubleLength(ivs: Array<[number, number]>): number {
  if (ivs.length < 2) return 0;
  const ev: Array<[number, number]> = [];
  for (const [a, b] of ivs) {
    ev.push([a, 1], [b, -1]);
  }
  ev.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let depth = 0,
    from = 0,
    len = 0;
  for (const [x, d] of ev) {
    if (depth >= 2) len += x - from;
    depth += d;
    from = x;
  }
  return len;
}

/**
 * Coverage and overspray of swaths (spray lines widened to the swath, round joins) against
 * the sprayable area, measured by integrating exact scanline intervals over fine rows in the
 * heading-aligned frame (where interior swaths are axis-aligned, so rows lose nothing there).
 */
export function measureCoverage(
  sprayLines: XY[][],
  sprayable: LocalMulti,
  swathM: number,
  cos = 1,
  sin = 0,
  maxRows = 4_000,
  /** per line, its open nozzle sections (left to right in the direction of flight); absent = whole swath */
  masks: Array<boolean[] | undefined> = [],
): CoverageResult {
  const area = rotateMulti(sprayable, cos, sin);
  const shapes = shapesOf(sprayLines, swathM / 2, cos, sin, masks);
  const bb = bboxOf(area);
  let y0 = bb.minY,
    y1 = bb.maxY;
  for (const s of shapes) {
    const [a, b] = shapeY(s);
    y0 = Math.min(y0, a);
    y1 = Math.max(y1, b);
  }
  const step = Math.max(0.02, (y1 - y0) / maxRows);
  // rows fall between, never on, swath edges: offset by an irrational share of a step
  const rows = Math.ceil((y1 - y0) / step);
  const buckets: number[][] = Array.from({ length: rows }, () => []);
  shapes.forEach((s, i) => {
    const [a, b] = shapeY(s);
    const lo = Math.max(0, Math.floor((a - y0) / step)),
      hi = Math.min(rows - 1, Math.floor((b - y0) / step));
    for (let k = lo; k <= hi; k++) buckets[k]!.push(i);
  });
  const index = new EdgeIndex(edgesOf(area), y0, y1, Math.max(step, 1));
  let inside = 0,
    covered = 0,
    outside = 0,
    twice = 0;
  for (let k = 0; k < rows; k++) {
    const y = y0 + (k + 0.5 + 0.0123) * step;
    const s = index.intervals(y);
    const hits = buckets[k]!.map((i) => shapeInterval(shapes[i]!, y));
    const c = mergeIntervals(hits.filter((v): v is [number, number] => v !== null));
    // a segment that continues the previous one gently (`gentle`, flown as a curve) is one sweep
    // with it: their intervals are joined before counting (consecutive segments of a line sit two
    // apart in shape order, a disc between)
    const quadIvs: Array<[number, number]> = [];
    let lastAt = -3;
    const bucket = buckets[k]!;
    for (let j = 0; j < bucket.length; j++) {
      const i = bucket[j]!,
        sh = shapes[i]!,
        iv = hits[j];
      if (sh.kind !== 'quad' || !iv) continue;
      const last = quadIvs[quadIvs.length - 1];
      if (last && sh.gentle && i - lastAt <= 2 && iv[0] <= last[1] && iv[1] >= last[0]) {
        if (iv[0] < last[0]) last[0] = iv[0];
        if (iv[1] > last[1]) last[1] = iv[1];
      } else quadIvs.push([iv[0], iv[1]]);
      lastAt = i;
    }
    twice += doubleLength(quadIvs) * step;
    const inS = overlapLength(s, c);
    inside += intervalsLength(s) * step;
    covered += inS * step;
    outside += (intervalsLength(c) - inS) * step;
  }
  return {
    coverage: inside > 0 ? covered / inside : 0,
    overspray: inside > 0 ? outside / inside : 0,
    sprayableM2: inside,
    coveredM2: covered,
    outsideM2: outside,
    doubleM2: twice,
    doubleDose: covered + outside > 0 ? twice / (covered + outside) : 0,
  };
}
