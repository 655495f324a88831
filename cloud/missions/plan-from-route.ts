import type { MultiPolygon } from 'geojson';
import { measureCoverage } from './coverage.js';
import type { Field } from './field.js';
import type { FlightRoute } from './flight-route.js';
import { frameFor, type XY } from './geo/local-frame.js';
import { MissionError } from './errors.js';
import { requiredFlowLpm } from './planner.js';
import type { DroneProfile, Plan, PlanLeg, Product, SortieSummary } from './types.js';

const TURN_S = 2;
const dist = (a: XY, b: XY) => Math.hypot(b[0] - a[0], b[1] - a[1]);

/**
 * A Plan (the shape missions store, export and verify) of a route flown as uploaded — e.g. a
 * QGroundControl `.plan` — on a registered field: the flow comes from the product's rate at the
 * route's speed and swath, the sprayable area is the field minus its holes (an uploaded route
 * brings no buffers), and coverage/overspray are measured exactly as for our own plans.
 */
export function planFromRoute(route: FlightRoute, o: { field: Field; drone: DroneProfile; product: Product }): Plan {
  const flowLpm = route.flowLpm || requiredFlowLpm(o.product.rateLPerHa, route.swathM, route.speedMps);
  if (flowLpm > o.drone.maxFlowLpm) {
    throw new MissionError('PLAN_FLOW_EXCEEDED', `the uploaded route needs ${flowLpm.toFixed(2)} L/min at ${route.speedMps} m/s and ${route.swathM} m swath; the drone's pump gives ${o.drone.maxFlowLpm} L/min`);
  }
  const frame = frameFor(o.field.boundary.coordinates[0]!);
  const sprayable: MultiPolygon = { type: 'MultiPolygon', coordinates: [o.field.boundary.coordinates] };
  const legs: PlanLeg[] = [];
  const sorties = new Map<number, SortieSummary>();
  const sprayLines: XY[][] = [];
  let turns = 0;
  for (const [i, l] of route.legs.entries()) {
    const pts = l.coordinates.map((p) => frame.toLocal(p));
    let lengthM = 0;
    for (let k = 1; k < pts.length; k++) lengthM += dist(pts[k - 1]!, pts[k]!);
    turns += Math.max(0, pts.length - 2);
    const prev = route.legs[i - 1], next = route.legs[i + 1];
    const ferry = !l.spray && (prev?.sortie !== l.sortie || next?.sortie !== l.sortie);
    legs.push({ sortie: l.sortie, kind: l.spray ? 'spray' : ferry ? 'ferry' : 'transit', spray: l.spray, coordinates: l.coordinates, lengthM });
    if (l.spray) sprayLines.push(pts);
    const s = sorties.get(l.sortie) ?? { sortie: l.sortie, litres: 0, sprayM: 0, lengthM: 0, timeS: 0 };
    s.lengthM += lengthM;
    s.timeS += lengthM / route.speedMps;
    if (l.spray) { s.sprayM += lengthM; s.litres += (lengthM / route.speedMps / 60) * flowLpm; }
    sorties.set(l.sortie, s);
  }
  const local = [frame.polygonToLocal(o.field.boundary.coordinates)];
  const cov = measureCoverage(sprayLines, local, route.swathM);
  const sum = (f: (s: SortieSummary) => number) => [...sorties.values()].reduce((a, s) => a + f(s), 0);
  const sprayLengthM = sum((s) => s.sprayM), pathLengthM = sum((s) => s.lengthM);
  const ferryLengthM = legs.filter((l) => l.kind === 'ferry').reduce((a, l) => a + l.lengthM, 0);
  const lowerBoundM = cov.sprayableM2 / route.swathM;
  return {
    kind: 'ruongso-spray-plan', version: 1, ...(o.field.name ? { fieldName: o.field.name } : {}), home: route.home,
    altitudeM: route.altitudeM, speedMps: route.speedMps, swathM: route.swathM, rateLPerHa: o.product.rateLPerHa, flowLpm,
    tankL: route.tankL ?? o.drone.tankL, product: o.product, drone: o.drone, legs, sorties: [...sorties.values()],
    metrics: {
      fieldAreaHa: o.field.areaM2 / 10_000, sprayableAreaHa: cov.sprayableM2 / 10_000, pathLengthM, lowerBoundM, ferryLengthM,
      pathRatio: lowerBoundM > 0 ? (pathLengthM - ferryLengthM) / lowerBoundM : 0, sprayLengthM, turns,
      sprayTimeS: sprayLengthM / route.speedMps, totalTimeS: pathLengthM / route.speedMps + turns * TURN_S,
      litres: sum((s) => s.litres), sorties: sorties.size, coverage: cov.coverage, overspray: cov.overspray, flowLpm, headingDeg: 0,
    },
    sprayable,
  };
}
