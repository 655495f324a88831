import { convex, featureCollection, point } from '@turf/turf';
import type { LocalMulti } from './geo/local-frame.js';
import { rotateMulti } from './geo/scanline.js';
import { passCount } from './passes.js';

/** Bearing (° clockwise from north, 0–180: a pass and its reverse are one heading) → rotation. */
export function headingRotation(bearingDeg: number): { cos: number; sin: number } {
  const a = ((90 - bearingDeg) * Math.PI) / 180;
  return { cos: Math.cos(a), sin: Math.sin(a) };
}

function bearingOf(dx: number, dy: number): number {
  const b = (Math.atan2(dx, dy) * 180) / Math.PI;
  return ((b % 180) + 180) % 180;
}

/** Candidate headings with the longest hull edge along each (0 for the 10° sweep), by bearing. */
export function headingCandidates(sprayable: LocalMulti, swathM: number): Array<[number, number]> {
  const pts = sprayable.flatMap((poly) => poly[0]!.map((p) => point(p)));
  const hull = convex(featureCollection(pts));
  const cands = new Map<number, number>(); // bearing rounded to 0.1° → longest edge with it
  const ring = hull?.geometry.coordinates[0] ?? [];
  let perimeter = 0;
  for (let i = 1; i < ring.length; i++)
    perimeter += Math.hypot(ring[i]![0]! - ring[i - 1]![0]!, ring[i]![1]! - ring[i - 1]![1]!);
  for (let i = 1; i < ring.length; i++) {
    const dx = ring[i]![0]! - ring[i - 1]![0]!,
      dy = ring[i]![1]! - ring[i - 1]![1]!;
    const len = Math.hypot(dx, dy);
    // short hull edges (buffer arcs, the facets of a round field) are not sides worth aligning to
    if (len < Math.max(swathM, 0.02 * perimeter)) continue;
    const b = Math.round(bearingOf(dx, dy) * 10) / 10;
    cands.set(b, Math.max(cands.get(b) ?? 0, len));
  }
  for (let b = 0; b < 180; b += 10) if (!cands.has(b)) cands.set(b, 0);
  return [...cands.entries()].sort((x, y) => x[0] - y[0]);
}

/**
 * The heading that needs the fewest passes over `inner` (fewest passes = fewest turns).
 * Candidates (`headingCandidates`): every edge direction of the convex hull (the optimum for a
 * convex field is parallel to one of them) plus a 10° sweep for concave ones. Ties go to the
 * longest hull edge, so a rectangle is flown along its long side.
 */
export function chooseHeading(sprayable: LocalMulti, inner: LocalMulti, swathM: number): number {
  const target = inner.length ? inner : sprayable;
  let best = 0,
    bestCount = Infinity,
    bestLen = -1;
  for (const [b, len] of headingCandidates(sprayable, swathM)) {
    const n = headingPassCount(target, swathM, b);
    if (n < bestCount || (n === bestCount && len > bestLen)) {
      best = b;
      bestCount = n;
      bestLen = len;
    }
  }
  return best;
}

/** Passes over `inner` flown at bearing `b`. */
export function headingPassCount(inner: LocalMulti, swathM: number, b: number): number {
  const { cos, sin } = headingRotation(b);
  return passCount(rotateMulti(inner, cos, sin), swathM);
}
