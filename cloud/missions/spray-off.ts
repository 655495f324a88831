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

/** A spray leg with its open nozzle sections, left to right in the direction of flight (absent: all open). */
export type SectionLeg = LocalLeg & { sections?: boolean[] };

/** samples across each section's strip, its edges included */
const ACROSS_SECTION = 5;
/** the samples at a strip's edges and a station's ends sit this far in */
const EDGE_M = 0.01;
/** a section goes off where at least this share of its strip's samples are over sprayed ground */
const SECTION_COVERED = 0.7;
/** a section state held for less than this is not worth switching for */
const MIN_SECTION_M = 1;

/** Lateral offsets (left positive) of section `j` of `k`'s strip edges across a swath `w`. */
export function sectionStrip(j: number, k: number, w: number): [number, number] {
  return [w / 2 - ((j + 1) * w) / k, w / 2 - (j * w) / k];
}

/** The open share of the swath on a leg. */
export const openShare = (l: { sections?: boolean[] }) =>
  l.sections ? l.sections.filter(Boolean).length / l.sections.length : 1;

/**
 * Sectional spray control, in flight order, for a drone whose boom has `k` > 1 equal nozzle
 * sections: every spray leg (passes and headland loops) is judged every half metre, and each
 * section goes off where at least 70 % of its own strip (sampled edge to edge, at the station's
 * start, middle and end) is over ground a leg judged before it (or this one, earlier) sprays: a
 * narrow strip risks little coverage, and the narrower the sections the more of a pass end's
 * triangle over the headland they save (0.7 rather than the whole boom's 0.75: on the bench it
 * keeps coverage within 0.1 point of one section's and every concave field within 3 %). A leg
 * is split where the open sections change; a state held for under a metre takes the sections
 * open on either side (more open: coverage first); a stretch with every section off becomes a
 * `transit` leg on the same line, one with all open carries no `sections`.
 */
export function switchSections(legs: LocalLeg[], swathM: number, k: number): SectionLeg[] {
  if (k <= 1) return legs;
  const strip = swathM / k;
  const index = new SwathIndex(2 * swathM);
  // judged loops first, then passes (each in flight order): a pass end is switched against the
  // headland loop whether the loop is flown before or after it — the ground ends up covered either
  // way, and a loop's strips are seldom all under a slanted pass end
  const judged = new Map<number, SectionLeg[]>();
  const order = [
    ...legs.flatMap((l, i) => (l.kind === 'spray' && l.pts.length > 2 ? [i] : [])),
    ...legs.flatMap((l, i) => (l.kind === 'spray' && l.pts.length <= 2 ? [i] : [])),
  ];
  for (const li of order) {
    const leg = legs[li]!;
    const stretches: Array<{ mask: boolean[]; pts: XY[]; len: number }> = [];
    for (let i = 1; i < leg.pts.length; i++) {
      const a = leg.pts[i - 1]!,
        b = leg.pts[i]!;
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (len < 1e-9) continue;
      const ux = (b[0] - a[0]) / len,
        uy = (b[1] - a[1]) / len;
      const n = Math.max(1, Math.ceil(len / STEP_M));
      const at = (s: number): XY => (s >= len ? b : [a[0] + ux * s, a[1] + uy * s]);
      let from = 0,
        mask: boolean[] | null = null;
      const close = (to: number) => {
        const p0 = at((from * len) / n),
          p1 = at((to * len) / n);
        const last = stretches.at(-1);
        const d = ((to - from) * len) / n;
        if (last && same(last.mask, mask!) && last.pts.at(-1) === p0) last.pts.push(p1);
        else if (last && same(last.mask, mask!) && near(last.pts.at(-1)!, p0)) last.pts.push(p1);
        else stretches.push({ mask: mask!, pts: [p0, p1], len: 0 });
        stretches.at(-1)!.len += d;
        for (let j = 0; j < k; j++) if (mask![j]) addStrip(index, p0, p1, j, k, swathM, ux, uy);
      };
      for (let st = 0; st < n; st++) {
        const s = ((st + 0.5) * len) / n;
        const m: boolean[] = [];
        for (let j = 0; j < k; j++) {
          const [lo] = sectionStrip(j, k, swathM);
          // sampled across the strip edge to edge (1 cm in), at the station's start, middle and end
          let covered = 0;
          for (const along of [s - len / n / 2 + EDGE_M, s, s + len / n / 2 - EDGE_M]) {
            const px = a[0] + ux * along,
              py = a[1] + uy * along;
            for (let q = 0; q < ACROSS_SECTION; q++) {
              const o = lo + EDGE_M + (q * (strip - 2 * EDGE_M)) / (ACROSS_SECTION - 1);
              if (index.covers(px - uy * o, py + ux * o)) covered++;
            }
          }
          m.push(covered < SECTION_COVERED * 3 * ACROSS_SECTION);
        }
        if (mask && !same(mask, m)) {
          close(st);
          from = st;
        }
        mask = m;
      }
      close(n);
    }
    judged.set(li, settle(stretches, leg));
  }
  return legs.flatMap((l, i) => judged.get(i) ?? [l]);
}

const same = (a: boolean[], b: boolean[]) => a.every((v, i) => v === b[i]);
const near = (a: XY, b: XY) => Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9;

/** Section j's strip of a segment a→b (unit direction ux, uy) into the index. */
function addStrip(index: SwathIndex, a: XY, b: XY, j: number, k: number, w: number, ux: number, uy: number) {
  const [lo, hi] = sectionStrip(j, k, w);
  const o = (lo + hi) / 2;
  index.add([a[0] - uy * o, a[1] + ux * o], [b[0] - uy * o, b[1] + ux * o], (hi - lo) / 2);
}

/** Short states take the open sections of their neighbours; stretches → legs. */
function settle(stretches: Array<{ mask: boolean[]; pts: XY[]; len: number }>, leg: LocalLeg): SectionLeg[] {
  let list = stretches;
  for (let pass = 0; pass < 4; pass++) {
    const i = list.findIndex((s) => s.len < MIN_SECTION_M);
    if (i < 0 || list.length < 2) break;
    const merged: typeof list = [];
    for (let j = 0; j < list.length; j++) {
      const s = list[j]!;
      const last = merged.at(-1);
      if (s.len < MIN_SECTION_M && last) {
        // a short state joins the stretch before it, with the sections open in either
        last.mask = last.mask.map((v, q) => v || s.mask[q]!);
        last.pts.push(...s.pts.slice(1));
        last.len += s.len;
      } else if (last && last.len < MIN_SECTION_M) {
        // a short first stretch joins the next one
        s.mask = s.mask.map((v, q) => v || last.mask[q]!);
        merged[merged.length - 1] = { mask: s.mask, pts: [...last.pts, ...s.pts.slice(1)], len: last.len + s.len };
      } else if (last && same(last.mask, s.mask)) {
        last.pts.push(...s.pts.slice(1));
        last.len += s.len;
      } else merged.push({ mask: s.mask.slice(), pts: s.pts.slice(), len: s.len });
    }
    list = merged;
  }
  // neighbours left equal by the merging become one
  const joined: typeof list = [];
  for (const s of list) {
    const last = joined.at(-1);
    if (last && same(last.mask, s.mask)) {
      last.pts.push(...s.pts.slice(1));
      last.len += s.len;
    } else joined.push(s);
  }
  return joined.map((s): SectionLeg => {
    const open = s.mask.filter(Boolean).length;
    if (open === 0) return { ...leg, kind: 'transit', pts: s.pts };
    if (open === s.mask.length) return { ...leg, pts: s.pts };
    return { ...leg, pts: s.pts, sections: s.mask };
  });
}
