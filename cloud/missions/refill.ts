import type { Field } from './field.js';
import type { LocalFrame, LonLat, XY } from './geo/local-frame.js';
import type { LocalLeg } from './route.js';

/** boundary samples: at most this many, at least one per swath of boundary up to that */
const MAX_CANDIDATES = 2_000;

/**
 * Where a sortie may start and end: points along the field's outer boundary (`auto`: the truck
 * drives the dyke) or the given reachable points, in the local frame.
 */
export function refillCandidates(refill: 'auto' | LonLat[], field: Field, frame: LocalFrame, swathM: number): XY[] {
  if (refill !== 'auto') return refill.map((p) => frame.toLocal(p));
  const ring = frame.ringToLocal(field.boundary.coordinates[0]!);
  let perimeter = 0;
  for (let i = 1; i < ring.length; i++)
    perimeter += Math.hypot(ring[i]![0] - ring[i - 1]![0], ring[i]![1] - ring[i - 1]![1]);
  const step = Math.max(swathM, perimeter / MAX_CANDIDATES);
  const out: XY[] = [];
  for (let i = 1; i < ring.length; i++) {
    const a = ring[i - 1]!,
      b = ring[i]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const n = Math.max(1, Math.ceil(len / step));
    for (let k = 0; k < n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return out;
}

/** The candidate nearest a point (straight distance): what the sortie splitter asks. */
export function nearestOf(candidates: XY[]): (at: XY) => XY {
  return (at) => {
    let best = candidates[0]!,
      bestD = Infinity;
    for (const c of candidates) {
      const d = (c[0] - at[0]) ** 2 + (c[1] - at[1]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best;
  };
}

/** Distinct take-off and landing points of the sorties, in order of first use (WGS84). */
export function refillPointsOf(legs: LocalLeg[], frame: LocalFrame): LonLat[] {
  const seen = new Map<string, LonLat>();
  const outbound = new Set<number>();
  for (const l of legs) {
    if (l.kind !== 'ferry') continue;
    // a sortie's first ferry leaves its refill point, its second arrives at one
    const first = !outbound.has(l.sortie!);
    outbound.add(l.sortie!);
    const ll = frame.toLonLat(first ? l.pts[0]! : l.pts.at(-1)!);
    const key = `${ll[0].toFixed(6)},${ll[1].toFixed(6)}`;
    if (!seen.has(key)) seen.set(key, ll);
  }
  return [...seen.values()];
}
