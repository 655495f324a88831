import type { LocalMulti, XY } from './geo/local-frame.js';
import { rotateMulti } from './geo/scanline.js';
import { measureCoverage, type CoverageResult } from './coverage.js';
import { headingCandidates, headingPassCount, headingRotation } from './heading.js';
import { buildCells, interiorPasses } from './passes.js';
import { respaceCells } from './respace.js';
import { cellsToLocal, type LocalPass } from './route.js';

/** Interior cells flown at a heading, in the local frame, with the rotation used. */
export function interiorCells(
  inner: LocalMulti,
  w: number,
  headingDeg: number,
): { cells: LocalPass[][]; cos: number; sin: number } {
  const { cos, sin } = headingRotation(headingDeg);
  const innerRot = rotateMulti(inner, cos, sin);
  return {
    cells: cellsToLocal(respaceCells(buildCells(interiorPasses(innerRot, w)), innerRot, w), cos, sin),
    cos,
    sin,
  };
}

/**
 * What a pattern sprays: headland loops plus the passes' nozzle-on stretches. Transits and
 * turns spray nothing, so this is the plan's coverage and double dose before it is ordered.
 */
export function patternDose(
  loops: XY[][],
  cells: LocalPass[][],
  sprayable: LocalMulti,
  w: number,
  cos: number,
  sin: number,
): CoverageResult {
  const lines = [...loops, ...cells.flatMap((c) => c.flatMap((p) => p.runs.map(([a, b]) => [a, b])))];
  return measureCoverage(lines, sprayable, w, cos, sin, 1_500);
}

export interface DoseChoice {
  headingDeg: number;
  passes: number;
  doubleDose: number;
  coverage: number;
  /** the pattern's length: passes from first to last spray, the turns between a cell's passes, the loops */
  pathM: number;
}

const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Length of loops and cells as flown (transits between elements left out: they are short). */
export function patternLength(loops: XY[][], cells: LocalPass[][]): number {
  let len = 0;
  for (const ring of loops) for (let i = 1; i < ring.length; i++) len += dist(ring[i - 1]!, ring[i]!);
  for (const c of cells)
    c.forEach((p, i) => {
      len += dist(p.ends[0], p.ends[1]);
      // boustrophedon: pass i ends where pass i + 1 starts, on alternating sides
      if (i > 0) len += dist(c[i - 1]!.ends[i % 2 === 1 ? 1 : 0], p.ends[i % 2 === 1 ? 1 : 0]);
    });
  return len;
}

/**
 * The fewest-passes heading double-doses too much on some concave fields: a pass band that
 * straddles a notch's side sprays half its swath over headland all along an arm, and passes
 * meeting a slanted edge at a shallow angle leave long triangles over it. When the heading
 * chosen for turns double-doses more than `maxDouble` of the sprayed ground, every candidate
 * heading is measured; the one with the fewest passes among those within `maxDouble` (not
 * losing more than `covSlack` of coverage nor needing over `maxPassGrowth` × the passes) wins;
 * when none is, the fewest-passes heading stays — unless it double-doses over twice
 * `maxDouble`: then the heading with the least double dose among those whose pattern is at
 * most `maxPathGrowth` longer (more passes are then allowed: a narrow strip flown across) is
 * taken, refined to 2.5°, when it cuts the double dose by at least a third.
 */
export function chooseHeadingForDose(p: {
  sprayable: LocalMulti;
  inner: LocalMulti;
  loops: XY[][];
  w: number;
  base: number;
  maxDouble?: number;
  covSlack?: number;
  maxPassGrowth?: number;
  maxPathGrowth?: number;
}): DoseChoice {
  const maxDouble = p.maxDouble ?? 0.03,
    covSlack = p.covSlack ?? 0.001,
    growth = p.maxPassGrowth ?? 1.4,
    pathGrowth = p.maxPathGrowth ?? 1.05;
  const target = p.inner.length ? p.inner : p.sprayable;
  const measure = (b: number): DoseChoice => {
    const { cells, cos, sin } = interiorCells(p.inner, p.w, b);
    const r = patternDose(p.loops, cells, p.sprayable, p.w, cos, sin);
    return {
      headingDeg: b,
      passes: headingPassCount(target, p.w, b),
      doubleDose: r.doubleDose,
      coverage: r.coverage,
      pathM: patternLength(p.loops, cells),
    };
  };
  const base = measure(p.base);
  if (base.doubleDose <= maxDouble || p.inner.length === 0) return base;
  const all = [
    base,
    ...headingCandidates(p.sprayable, p.w)
      .map(([b]) => b)
      .filter((b) => b !== p.base)
      .map(measure),
  ];
  // every pass end is a nozzle switch and a turn where a real boom under-doses: not twice as many
  const ok = all.filter((c) => c.coverage >= base.coverage - covSlack && c.passes <= base.passes * growth);
  const within = ok.filter((c) => c.doubleDose <= maxDouble);
  // a heading that only trims the double dose a little is not worth its extra turns
  if (within.length === 0) return base.doubleDose > 2 * maxDouble ? leastDouble(all, base) : base;
  return within.reduce((a, c) =>
    c.passes < a.passes || (c.passes === a.passes && c.doubleDose < a.doubleDose) ? c : a,
  );

  function leastDouble(all: DoseChoice[], base: DoseChoice): DoseChoice {
    const fits = (c: DoseChoice) => c.coverage >= base.coverage - covSlack && c.pathM <= base.pathM * pathGrowth;
    let best = all.filter(fits).reduce((a, c) => (c.doubleDose < a.doubleDose ? c : a), base);
    if (best === base) return base;
    for (const step of [5, 2.5]) {
      for (const b of [best.headingDeg - step, best.headingDeg + step]) {
        const c = measure((b + 180) % 180);
        if (fits(c) && c.doubleDose < best.doubleDose) best = c;
      }
    }
    return best.doubleDose <= (base.doubleDose * 2) / 3 ? best : base;
  }
}
