import type { XY } from './geo/local-frame.js';
import type { LocalLeg } from './route.js';

/** nozzles go off where at least this share of the swath is over ground already sprayed */
const MAX_COVERED = 0.75;
/** the loop is judged every this many metres */
const STEP_M = 0.5;
/** samples across the swath */
const ACROSS = 8;
/** an off stretch shorter than this is not worth switching the pump for */
const MIN_OFF_M = 1;

interface Quad {
  a: XY;
  dx: number;
  dy: number;
  len2: number;
  half: number;
}

/** Sprayed swaths bucketed on a grid, so a point only meets the swaths near it. */
class SwathIndex {
  private readonly grid = new Map<number, Quad[]>();
  constructor(private readonly cell: number) {}

  private key(ix: number, iy: number) {
    return (ix + 32768) * 65536 + (iy + 32768);
  }

  add(a: XY, b: XY, half: number) {
    const dx = b[0] - a[0],
      dy = b[1] - a[1];
    const len2 = dx * dx + dy * dy;
    if (len2 < 1e-12) return;
    const q: Quad = { a, dx, dy, len2, half };
    const x0 = Math.floor((Math.min(a[0], b[0]) - half) / this.cell),
      x1 = Math.floor((Math.max(a[0], b[0]) + half) / this.cell);
    const y0 = Math.floor((Math.min(a[1], b[1]) - half) / this.cell),
      y1 = Math.floor((Math.max(a[1], b[1]) + half) / this.cell);
    for (let ix = x0; ix <= x1; ix++)
      for (let iy = y0; iy <= y1; iy++) {
        const k = this.key(ix, iy);
        const list = this.grid.get(k);
        if (list) list.push(q);
        else this.grid.set(k, [q]);
      }
  }

  covers(x: number, y: number): boolean {
    const list = this.grid.get(this.key(Math.floor(x / this.cell), Math.floor(y / this.cell)));
    if (!list) return false;
    for (const q of list) {
      const px = x - q.a[0],
        py = y - q.a[1];
      const t = (px * q.dx + py * q.dy) / q.len2;
      if (t < 0 || t > 1) continue;
      if (Math.abs(px * q.dy - py * q.dx) <= q.half * Math.sqrt(q.len2)) return true;
    }
    return false;
  }
}

/**
 * Spray off over already covered ground, in flight order, for the headland loops: where a loop
 * turns back on itself (an acute tip, the inside of a tight corner) or runs over ground a pass
 * end or an earlier loop already sprayed, its nozzles go off for as long as at least three
 * quarters of its swath is over sprayed ground (the pass ends' rule: the double dose saved is
 * three times the coverage risked). Whole-boom on/off only — what a `.plan` pump command does:
 * the loop is split into spray legs and straight-through `transit` legs along the same line, so
 * the path, the turns and the allowed ground are unchanged. Passes are kept as they are (their
 * switch points are set against the interior in `respace.ts`).
 */
export function sprayOffOverCovered(legs: LocalLeg[], swathM: number): LocalLeg[] {
  const half = swathM / 2;
  const index = new SwathIndex(2 * swathM);
  const out: LocalLeg[] = [];
  for (const leg of legs) {
    if (leg.kind !== 'spray') {
      out.push(leg);
      continue;
    }
    if (leg.pts.length <= 2) {
      out.push(leg);
      if (leg.pts.length === 2) index.add(leg.pts[0]!, leg.pts[1]!, half);
      continue;
    }
    out.push(...trimLoop(leg, index, half));
  }
  return out;
}

/** One loop: stations along it marked on or off, then cut into spray and transit legs. */
function trimLoop(leg: LocalLeg, index: SwathIndex, half: number): LocalLeg[] {
  const pieces: Array<{ on: boolean; pts: XY[] }> = [];
  const push = (on: boolean, p: XY) => {
    const last = pieces.at(-1);
    if (last && last.on === on) last.pts.push(p);
    else pieces.push({ on, pts: last ? [last.pts.at(-1)!, p] : [leg.pts[0]!, p] });
  };
  for (let i = 1; i < leg.pts.length; i++) {
    const a = leg.pts[i - 1]!,
      b = leg.pts[i]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len < 1e-9) continue;
    const ux = (b[0] - a[0]) / len,
      uy = (b[1] - a[1]) / len;
    const n = Math.max(1, Math.ceil(len / STEP_M));
    const states: boolean[] = [];
    for (let k = 0; k < n; k++) {
      const s = ((k + 0.5) * len) / n;
      const cx = a[0] + ux * s,
        cy = a[1] + uy * s;
      let covered = 0;
      for (let j = 0; j < ACROSS; j++) {
        const o = -half + ((j + 0.5) * 2 * half) / ACROSS;
        if (index.covers(cx - uy * o, cy + ux * o)) covered++;
      }
      states.push(covered < MAX_COVERED * ACROSS);
    }
    // the segment's stations → stretches; its sprayed stretches join the index once judged
    let from = 0;
    for (let k = 1; k <= n; k++) {
      if (k < n && states[k] === states[from]) continue;
      const p0: XY = [a[0] + (ux * from * len) / n, a[1] + (uy * from * len) / n];
      const p1: XY = k === n ? b : [a[0] + (ux * k * len) / n, a[1] + (uy * k * len) / n];
      if (from === 0 && pieces.length === 0) pieces.push({ on: states[0]!, pts: [p0] });
      push(states[from]!, p1);
      if (states[from]) index.add(p0, p1, half);
      from = k;
    }
  }
  // an off stretch too short to switch for stays on
  const merged: Array<{ on: boolean; pts: XY[] }> = [];
  for (const p of pieces) {
    const len = p.pts.reduce(
      (s, q, i) => (i ? s + Math.hypot(q[0] - p.pts[i - 1]![0], q[1] - p.pts[i - 1]![1]) : 0),
      0,
    );
    const on = p.on || len < MIN_OFF_M;
    const last = merged.at(-1);
    if (last && last.on === on) last.pts.push(...p.pts.slice(1));
    else merged.push({ on, pts: p.pts.slice() });
  }
  return merged.map((p): LocalLeg => ({ ...leg, kind: p.on ? 'spray' : 'transit', pts: p.pts }));
}
