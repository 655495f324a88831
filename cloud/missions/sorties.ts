import { MissionError } from './errors.js';
import type { XY } from './geo/local-frame.js';
import type { LocalLeg } from './route.js';
import { polylineLength, type TransitRouter } from './router.js';

export interface SortieLimits {
  /** litres sprayed per metre of pass: rate × swath / 10 000 */
  litresPerM: number;
  tankL: number;
  speedMps: number;
  enduranceS: number;
  /** share of endurance kept in reserve for the flight home */
  reserve: number;
  /** where the drone takes off / lands to refill nearest a point (default: always `home`) */
  refillNear?: (at: XY) => XY;
}

const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);
/** a cut this much farther from a refill point than where the drone is ends the sortie early */
const EARLY_END_M = 50;

/** Splits a polyline at distance d from its start. */
export function splitAt(pts: XY[], d: number): [XY[], XY[]] {
  let acc = 0;
  for (let i = 1; i < pts.length; i++) {
    const seg = dist(pts[i - 1]!, pts[i]!);
    if (acc + seg >= d) {
      const t = seg === 0 ? 0 : (d - acc) / seg;
      const a = pts[i - 1]!,
        b = pts[i]!;
      const m: XY = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
      return [
        [...pts.slice(0, i), m],
        [m, ...pts.slice(i)],
      ];
    }
    acc += seg;
  }
  return [pts, [pts[pts.length - 1]!]];
}

function pointAt(pts: XY[], d: number): XY {
  return splitAt(pts, d)[0].at(-1)!;
}

/**
 * Cuts the route into sorties: each starts with a ferry from the refill point and ends with
 * one back to it, when the tank runs dry or when flying on would leave less than the reserve
 * for the way home. A pass may be cut mid-way; the next sortie resumes at the cut.
 */
export function splitSorties(route: LocalLeg[], home: XY, router: TransitRouter, lim: SortieLimits): LocalLeg[] {
  const out: LocalLeg[] = [];
  const budgetS = lim.enduranceS * (1 - lim.reserve);
  let sortie = 0,
    inFlight = false,
    fresh = false,
    tank = 0,
    timeS = 0;
  let pos: XY = home;
  const near = lim.refillNear ?? (() => home);
  const begin = (at: XY) => {
    sortie++;
    const pts = router.route(near(at), at);
    out.push({ kind: 'ferry', pts, sortie });
    inFlight = true;
    fresh = true;
    tank = lim.tankL;
    timeS = polylineLength(pts) / lim.speedMps;
    pos = at;
  };
  const end = () => {
    out.push({ kind: 'ferry', pts: router.route(pos, near(pos)), sortie });
    inFlight = false;
  };
  const fits = (extraM: number, at: XY) => timeS + (extraM + dist(at, near(at))) / lim.speedMps <= budgetS;

  for (const leg of route) {
    if (leg.kind !== 'spray') {
      if (!inFlight) continue; // the next sortie's ferry flies straight to the next pass
      const len = polylineLength(leg.pts);
      if (!fits(len, leg.pts.at(-1)!)) {
        end();
        continue;
      }
      out.push({ ...leg, sortie });
      fresh = false;
      timeS += len / lim.speedMps;
      pos = leg.pts.at(-1)!;
      continue;
    }
    let pts = leg.pts;
    while (polylineLength(pts) > 0.01) {
      if (!inFlight) begin(pts[0]!);
      const len = polylineLength(pts);
      let d = Math.min(len, tank / lim.litresPerM, maxByTime(pts, len, fits));
      // never leave a stub under half a metre for another sortie: a few millilitres over is fine
      if (len - d < 0.5) d = len;
      if (d < Math.min(0.5, len) - 1e-9) {
        if (fresh) {
          const ferryM = dist(near(pts[0]!), pts[0]!);
          throw new MissionError(
            'PLAN_ENDURANCE_TOO_SHORT',
            `endurance ${(lim.enduranceS / 60).toFixed(1)} min is too short to reach this part of the field (${Math.round(ferryM)} m from the refill point) and back: use --refill auto, a closer refill point, or a drone that flies longer`,
            {
              context: {
                params: {
                  enduranceMin: lim.enduranceS / 60,
                  ferryM: Math.round(ferryM),
                  neededMin: Math.round(((2 * ferryM) / lim.speedMps / (1 - lim.reserve) / 60) * 10) / 10,
                },
              },
            },
          );
        }
        end();
        continue;
      }
      // with refill points all along the boundary, a sortie that would stop mid-pass far from any
      // ends where it is (a pass end, by the headland) and the next one flies the pass whole
      if (lim.refillNear && !fresh && d < len && pts === leg.pts) {
        const cut = pointAt(pts, d);
        if (dist(cut, near(cut)) > dist(pos, near(pos)) + EARLY_END_M) {
          end();
          continue;
        }
      }
      const [head, tail] = d >= len - 1e-6 ? [pts, [pts.at(-1)!]] : splitAt(pts, d);
      out.push({ kind: 'spray', pts: head, sortie });
      fresh = false;
      tank -= d * lim.litresPerM;
      timeS += d / lim.speedMps;
      pos = head.at(-1)!;
      pts = tail;
      if (polylineLength(pts) > 0.01) end();
    }
  }
  if (inFlight) end();
  return out;
}

/** Furthest distance along pts after which the drone can still fly home within budget. */
function maxByTime(pts: XY[], len: number, fits: (m: number, at: XY) => boolean): number {
  if (fits(len, pts.at(-1)!)) return len;
  let lo = 0,
    hi = len;
  for (let i = 0; i < 30 && hi - lo > 0.1; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid, pointAt(pts, mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}
