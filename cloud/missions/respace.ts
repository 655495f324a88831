import { EdgeIndex, bboxOf, edgesOf, mergeIntervals } from './geo/scanline.js';
import type { LocalMulti } from './geo/local-frame.js';
import type { Cell, Pass } from './passes.js';

/**
 * Passes one swath apart from the bottom of a cell leave its last pass hanging over the headland
 * by up to a swath: ground the headland loop already sprayed, sprayed again. Spreading the
 * cell's passes evenly over its true height, allowing gaps of at most `maxGap` (2 %) of a swath (the
 * nozzle bar's tapered edges fill them: the effective swath is measured that way), removes most
 * of that double dose without leaving ground out.
 */
export function respaceCells(cells: Cell[], inner: LocalMulti, swathM: number, maxGap = 0.02): Cell[] {
  if (inner.length === 0) return cells;
  const bb = bboxOf(inner);
  const index = new EdgeIndex(edgesOf(inner), bb.minY - swathM, bb.maxY + swathM, swathM / 2);
  const vertexYs = inner.flatMap((poly) => poly.flatMap((r) => r.map((p) => p[1])));
  const hits = (y: number, x0: number, x1: number) => index.intervals(y).some(([a, b]) => a < x1 && b > x0);
  return cells
    .map((cell) => {
      const first = cell[0]!,
        last = cell[cell.length - 1]!;
      const step = swathM / 40;
      let lo = first.y - swathM / 2,
        hi = last.y + swathM / 2;
      while (lo < first.y + swathM / 2 && !hits(lo + step / 2, first.x0, first.x1)) lo += step;
      while (hi > last.y - swathM / 2 && !hits(hi - step / 2, last.x0, last.x1)) hi -= step;
      // to a centimetre: a band edge short of the true one leaves a strip along a whole pass
      if (lo > first.y - swathM / 2) lo = refineEdge(lo, -step, (y) => hits(y, first.x0, first.x1));
      if (hi < last.y + swathM / 2) hi = refineEdge(hi, step, (y) => hits(y, last.x0, last.x1));
      const h = hi - lo;
      const n = Math.max(1, Math.ceil(h / (swathM * (1 + maxGap)) - 1e-9));
      if (n > cell.length) return cell.map((p) => ({ ...p, runs: sprayRuns(index, p.y, p, swathM) }));
      const s = h / n;
      const place = (ys: number[], band: number): Pass[] =>
        ys.map((y) => {
          const near = cell.reduce((a, p) => (Math.abs(p.y - y) < Math.abs(a.y - y) ? p : a));
          const span = spanAt(index, vertexYs, y, band, near);
          return { row: near.row, y, ...span, runs: sprayRuns(index, y, span, swathM) };
        });
      const even = place(
        Array.from({ length: n }, (_, k) => lo + (k + 0.5) * s),
        s,
      );
      return cheaperOverlap(even, s, swathM, lo, hi, place).filter((p) => p.runs!.length > 0);
    })
    .filter((c) => c.length > 0);
}

/** The edge between `at − step/2` (inside) and `at + step/2` (outside), bisected. */
function refineEdge(at: number, step: number, inside: (y: number) => boolean): number {
  let a = at - step / 2,
    b = at + step / 2;
  for (let i = 0; i < 6; i++) {
    const m = (a + b) / 2;
    if (inside(m)) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

const runsLength = (p: Pass) => (p.runs ?? [[p.x0, p.x1]]).reduce((a, [x0, x1]) => a + x1 - x0, 0);

/**
 * Spread evenly, n passes over a height under n swaths overlap each other by (w − s) along
 * every pair. The same surplus laid in one place — passes a swath apart from both ends, the
 * overlap between the two shortest neighbours where they meet (a kite's waist), or as an
 * overhang of the shorter end pass over the headland — costs only there: on a cell that
 * narrows that is far less. An end overhang only under half a swath, so the nozzles stay on.
 */
function cheaperOverlap(
  even: Pass[],
  s: number,
  w: number,
  lo: number,
  hi: number,
  place: (ys: number[], band: number) => Pass[],
): Pass[] {
  const n = even.length,
    over = n * w - (hi - lo);
  if (n < 2 || s >= w || over >= w) return even;
  let spread = 0;
  for (let k = 1; k < n; k++) spread += (w - s) * Math.min(runsLength(even[k - 1]!), runsLength(even[k]!));
  const fromLo = place(
    Array.from({ length: n }, (_, k) => lo + (k + 0.5) * w),
    w,
  );
  const fromHi = place(
    Array.from({ length: n }, (_, k) => hi - (n - k - 0.5) * w),
    w,
  );
  // k passes from the bottom, n − k from the top: the overlap sits between pass k − 1 and k
  let best = -1,
    bestCost = spread;
  for (let k = 0; k <= n; k++) {
    if ((k === 0 || k === n) && over >= w / 2) continue;
    const cost =
      over *
      (k === 0
        ? runsLength(fromHi[0]!)
        : k === n
          ? runsLength(fromLo[n - 1]!)
          : Math.min(runsLength(fromLo[k - 1]!), runsLength(fromHi[k]!)));
    if (cost < bestCost) {
      bestCost = cost;
      best = k;
    }
  }
  return best < 0 ? even : [...fromLo.slice(0, best), ...fromHi.slice(best)];
}

const BAND_SAMPLES = 8;
/** along a pass, nozzles stay on where at least this share of the swath lies over unsprayed interior */
const MIN_NEW_SHARE = 0.5;
/** at a pass's ends (a slanted edge) they stay on longer: a missed triangle weighs more than a double one */
const MIN_END_SHARE = 0.25;
/** shorter stretches are not worth switching the pump for */
const MIN_RUN_M = 1;

/**
 * Spray off over already covered headland: along the pass, the share of the swath over the
 * interior (the rest is headland the loop sprayed) is piecewise constant between the ends of
 * the interior's intervals at a few heights of the band; nozzles run where it is at least half.
 */
function sprayRuns(index: EdgeIndex, y: number, span: { x0: number; x1: number }, w: number): Array<[number, number]> {
  const ev: Array<[number, number]> = [];
  for (let k = 0; k < BAND_SAMPLES; k++) {
    const yk = y - w / 2 + ((k + 0.5) * w) / BAND_SAMPLES;
    for (const [a, b] of index.intervals(yk)) {
      const lo = Math.max(a, span.x0),
        hi = Math.min(b, span.x1);
      if (hi > lo) ev.push([lo, 1], [hi, -1]);
    }
  }
  ev.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const runs = runsAbove(ev, Math.ceil(MIN_NEW_SHARE * BAND_SAMPLES));
  const ends = runsAbove(ev, Math.ceil(MIN_END_SHARE * BAND_SAMPLES));
  if (runs.length === 0) return ends;
  runs[0]![0] = Math.min(runs[0]![0], ends[0]![0]);
  runs.at(-1)![1] = Math.max(runs.at(-1)![1], ends.at(-1)![1]);
  return runs;
}

/** Stretches where at least `need` of the band's sample lines are over interior. */
function runsAbove(ev: Array<[number, number]>, need: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let depth = 0,
    start = NaN;
  for (const [x, d] of ev) {
    const before = depth;
    depth += d;
    if (before < need && depth >= need) start = x;
    if (before >= need && depth < need) {
      const last = runs.at(-1);
      if (last && x - last[1] < MIN_RUN_M) last[1] = x;
      else runs.push([start, x]);
    }
  }
  return runs.filter(([a, b]) => b - a >= MIN_RUN_M);
}

/** The interior's extent over the band [y − s/2, y + s/2] around the original pass nearest it. */
function spanAt(index: EdgeIndex, vertexYs: number[], y: number, s: number, near: Pass): { x0: number; x1: number } {
  const lo = y - s / 2,
    hi = y + s / 2;
  const samples = [lo + 1e-6, y - s / 4, y, y + s / 4, hi - 1e-6, ...vertexYs.filter((v) => v > lo && v < hi)];
  const merged = mergeIntervals(samples.flatMap((v) => index.intervals(v)));
  const overlap = (a: number, b: number) => Math.min(b, near.x1) - Math.max(a, near.x0);
  let best: [number, number] | undefined,
    bestO = 0;
  for (const [a, b] of merged) {
    const o = overlap(a, b);
    if (o > bestO) {
      bestO = o;
      best = [a, b];
    }
  }
  return best ? { x0: best[0], x1: best[1] } : { x0: near.x0, x1: near.x1 };
}
