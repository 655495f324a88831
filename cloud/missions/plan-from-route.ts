import type { MultiPolygon } from 'geojson';
import { measureCoverage } from './coverage.js';
import type { Field } from './field.js';
import type { FlightRoute } from './flight-route.js';
import { frameFor, type LocalFrame, type LocalMulti, type XY } from './geo/local-frame.js';
import { bufferLocal, unionLocal } from './geo/ops.js';
import { MissionError } from './errors.js';
import { fieldAreas, requiredFlowLpm } from './planner.js';
import type { DroneProfile, Plan, PlanLeg, Product, RouteCheck, SortieSummary } from './types.js';

/** What an uploaded route must do on its field to be accepted; the cooperative may set both. */
export interface RouteLimits {
  /** least share of the field the route must cover (default 0.9) */
  minCoverage: number;
  /** most ground sprayed outside the field, as a share of the field (default 0.02) */
  maxOverspray: number;
  /**
   * most ground sprayed inside the no-spray zones (holes, exclusions and their buffers), m²
   * (default 1: a swath edge grazing a buffer line, not a pass across it)
   */
  maxNoSprayM2: number;
}
export const DEFAULT_ROUTE_LIMITS: RouteLimits = { minCoverage: 0.9, maxOverspray: 0.02, maxNoSprayM2: 1 };

/** A no-spray zone of a field as the planner keeps it clear: a hole or an exclusion, grown by its buffer. */
interface NoSprayZone {
  kind: 'hole' | 'exclusion';
  /** 1-based among its kind */
  index: number;
  /** for logs: its own name, else "hole N" / "exclusion N" */
  name: string;
  /** for the web app: the name the technician gave it, else "#N" (with zoneKind to word it) */
  label: string;
  bufferM: number;
  area: LocalMulti;
}

function noSprayZones(field: Field, frame: LocalFrame, holeBufferM: number): NoSprayZone[] {
  const holes = field.boundary.coordinates.slice(1).map((r, i): NoSprayZone => ({
    kind: 'hole',
    index: i + 1,
    name: `hole ${i + 1}`,
    label: `#${i + 1}`,
    bufferM: holeBufferM,
    area: bufferLocal([[frame.ringToLocal(r)]], holeBufferM),
  }));
  const excl = field.exclusions.map((e, i): NoSprayZone => ({
    kind: 'exclusion',
    index: i + 1,
    name: e.name ?? `exclusion ${i + 1}`,
    label: e.name ?? `#${i + 1}`,
    bufferM: e.bufferM,
    area: bufferLocal([frame.polygonToLocal(e.polygon.coordinates)], e.bufferM),
  }));
  return [...holes, ...excl];
}

/**
 * Ground the route sprays inside the field's no-spray zones, and the zone it sprays most; the
 * zones are measured one by one only when their union is sprayed at all.
 */
function sprayedZones(
  sprayLines: XY[][],
  zones: NoSprayZone[],
  swathM: number,
): { sprayedM2: number; worst?: { zone: NoSprayZone; sprayedM2: number } } {
  if (zones.length === 0) return { sprayedM2: 0 };
  const all = unionLocal(zones.map((z) => z.area));
  const sprayedM2 = measureCoverage(sprayLines, all, swathM).coveredM2;
  if (sprayedM2 <= 0) return { sprayedM2 };
  let worst: { zone: NoSprayZone; sprayedM2: number } | undefined;
  for (const zone of zones) {
    const m2 = measureCoverage(sprayLines, zone.area, swathM).coveredM2;
    if (!worst || m2 > worst.sprayedM2) worst = { zone, sprayedM2: m2 };
  }
  return { sprayedM2, ...(worst ? { worst } : {}) };
}

function checkZones(z: ReturnType<typeof sprayedZones>, maxM2: number): void {
  if (z.sprayedM2 <= maxM2 || !z.worst) return;
  const { zone } = z.worst;
  throw new MissionError(
    'ROUTE_SPRAYS_NO_SPRAY_ZONE',
    `the uploaded route sprays ${Math.round(z.sprayedM2)} m² inside the field's no-spray zones, ${Math.round(z.worst.sprayedM2)} m² of it in ${zone.name} (with its ${zone.bufferM} m buffer); at most ${maxM2} m²`,
    {
      context: {
        params: {
          sprayedM2: round(z.sprayedM2, 1),
          maxM2,
          zone: zone.label.slice(0, 80),
          zoneKind: zone.kind,
          zoneIndex: zone.index,
          zoneSprayedM2: round(z.worst.sprayedM2, 1),
          bufferM: zone.bufferM,
        },
      },
    },
  );
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

/** Shortest distance from sprayed points to the field polygon (rings in the local frame), m. */
function distanceToField(lines: XY[][], rings: XY[][]): number {
  const pts = lines.flat();
  const step = Math.max(1, Math.floor(pts.length / 500)); // a far route needs no exact answer
  let best = Infinity;
  for (let i = 0; i < pts.length; i += step) {
    const p = pts[i]!;
    for (const r of rings) for (let k = 1; k < r.length; k++) best = Math.min(best, segDist(p, r[k - 1]!, r[k]!));
  }
  return best;
}

function segDist(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Several uploaded files, one per sortie, as one route: sorties renumbered in file order. */
export function joinSorties(routes: FlightRoute[]): FlightRoute {
  if (routes.length === 1) return routes[0]!;
  let offset = 0;
  const legs: FlightRoute['legs'] = [];
  for (const r of routes) {
    const n = Math.max(0, ...r.legs.map((l) => l.sortie));
    legs.push(...r.legs.map((l) => ({ ...l, sortie: l.sortie + offset })));
    offset += n;
  }
  return { ...routes[0]!, legs };
}

/**
 * Refuses a route that does not spray this field: nowhere on it (another farm's plan, a plan
 * elsewhere on Earth), over its edge beyond the limit, or over too little of it. (Its no-spray
 * zones are checked before, in `planFromRoute`, so a pass across a pond's buffer is named as such.)
 */
export function checkRoute(check: RouteCheck, limits: RouteLimits): void {
  if (check.coverage <= 0 || check.distanceFromFieldM > 0) {
    throw new MissionError(
      'ROUTE_OFF_FIELD',
      `the uploaded route sprays nowhere on this field: its nearest spray is ${Math.round(check.distanceFromFieldM)} m from it`,
      { context: { params: { distanceM: Math.round(check.distanceFromFieldM) } } },
    );
  }
  if (check.overspray > limits.maxOverspray) {
    throw new MissionError(
      'ROUTE_SPRAYS_OUTSIDE_FIELD',
      `the uploaded route sprays ${Math.round(check.outsideM2)} m² outside the field (${(check.overspray * 100).toFixed(1)} % of it; at most ${(limits.maxOverspray * 100).toFixed(1)} %)`,
      {
        context: {
          params: {
            outsideM2: Math.round(check.outsideM2),
            overspray: round(check.overspray),
            maxOverspray: limits.maxOverspray,
          },
        },
      },
    );
  }
  if (check.coverage < limits.minCoverage) {
    throw new MissionError(
      'ROUTE_COVERAGE_TOO_LOW',
      `the uploaded route covers ${(check.coverage * 100).toFixed(1)} % of the field; at least ${(limits.minCoverage * 100).toFixed(1)} % is needed`,
      { context: { params: { coverage: round(check.coverage), minCoverage: limits.minCoverage } } },
    );
  }
}

const TURN_S = 2;
const dist = (a: XY, b: XY) => Math.hypot(b[0] - a[0], b[1] - a[1]);

/**
 * A Plan (the shape missions store, export and verify) of a route flown as uploaded — e.g. a
 * QGroundControl `.plan` — on a registered field: the flow comes from the product's rate at the
 * route's speed and swath, the sprayable area is the planner's (the field minus its holes grown
 * by `holeBufferM` and its exclusions grown by their own buffers), and coverage/overspray are
 * measured exactly as for our own plans. A route that sprays inside a hole, an exclusion or
 * their buffers is refused naming the zone (`ROUTE_SPRAYS_NO_SPRAY_ZONE`).
 */
export function planFromRoute(
  route: FlightRoute,
  o: {
    field: Field;
    drone: DroneProfile;
    product: Product;
    limits?: Partial<RouteLimits>;
    /** no-spray distance around the field's holes, m (default 0: the holes themselves) */
    holeBufferM?: number;
  },
): Plan {
  const limits = { ...DEFAULT_ROUTE_LIMITS, ...o.limits };
  const flowLpm = route.flowLpm || requiredFlowLpm(o.product.rateLPerHa, route.swathM, route.speedMps);
  const frame = frameFor(o.field.boundary.coordinates[0]!);
  const holeBufferM = o.holeBufferM ?? 0;
  const areas = fieldAreas(o.field, frame, { boundaryM: 0, holeM: holeBufferM });
  const sprayable: MultiPolygon = {
    type: 'MultiPolygon',
    coordinates: areas.sprayable.map((p) => p.map((r) => frame.ringToLonLat(r))),
  };
  const legs: PlanLeg[] = [];
  const sorties = new Map<number, SortieSummary>();
  const sprayLines: XY[][] = [];
  let turns = 0;
  for (const [i, l] of route.legs.entries()) {
    const pts = l.coordinates.map((p) => frame.toLocal(p));
    let lengthM = 0;
    for (let k = 1; k < pts.length; k++) lengthM += dist(pts[k - 1]!, pts[k]!);
    turns += Math.max(0, pts.length - 2);
    const prev = route.legs[i - 1],
      next = route.legs[i + 1];
    const ferry = !l.spray && (prev?.sortie !== l.sortie || next?.sortie !== l.sortie);
    legs.push({
      sortie: l.sortie,
      kind: l.spray ? 'spray' : ferry ? 'ferry' : 'transit',
      spray: l.spray,
      coordinates: l.coordinates,
      lengthM,
    });
    if (l.spray) sprayLines.push(pts);
    const s = sorties.get(l.sortie) ?? { sortie: l.sortie, litres: 0, sprayM: 0, lengthM: 0, timeS: 0 };
    s.lengthM += lengthM;
    s.timeS += lengthM / route.speedMps;
    if (l.spray) {
      s.sprayM += lengthM;
      s.litres += (lengthM / route.speedMps / 60) * flowLpm;
    }
    sorties.set(l.sortie, s);
  }
  if (sprayLines.length === 0)
    throw new MissionError('ROUTE_NO_SPRAY', 'the uploaded route never turns the sprayer on', {
      context: { params: {} },
    });
  const local = [frame.polygonToLocal(o.field.boundary.coordinates)];
  const cov = measureCoverage(sprayLines, areas.sprayable, route.swathM);
  const onField = cov.coveredM2 >= 1 || measureCoverage(sprayLines, local, route.swathM).coveredM2 >= 1;
  const distanceFromFieldM = onField ? 0 : round(distanceToField(sprayLines, local[0]!), 1);
  const zones =
    distanceFromFieldM > 0
      ? { sprayedM2: 0 }
      : sprayedZones(sprayLines, noSprayZones(o.field, frame, holeBufferM), route.swathM);
  const routeCheck: RouteCheck & { noSprayM2: number } = {
    distanceFromFieldM,
    outsideM2: round(cov.outsideM2, 1),
    coverage: round(cov.coverage),
    overspray: round(cov.overspray),
    doubleDose: round(cov.doubleDose),
    noSprayM2: round(zones.sprayedM2, 1),
  };
  if (distanceFromFieldM === 0) checkZones(zones, limits.maxNoSprayM2);
  checkRoute(routeCheck, limits);
  if (flowLpm > o.drone.maxFlowLpm) {
    throw new MissionError(
      'PLAN_FLOW_EXCEEDED',
      `the uploaded route needs ${flowLpm.toFixed(2)} L/min at ${route.speedMps} m/s and ${route.swathM} m swath; the drone's pump gives ${o.drone.maxFlowLpm} L/min`,
      {
        context: {
          params: {
            flowLpm: round(flowLpm, 2),
            maxFlowLpm: o.drone.maxFlowLpm,
            speedMps: route.speedMps,
            swathM: route.swathM,
          },
        },
      },
    );
  }
  const sum = (f: (s: SortieSummary) => number) => [...sorties.values()].reduce((a, s) => a + f(s), 0);
  const sprayLengthM = sum((s) => s.sprayM),
    pathLengthM = sum((s) => s.lengthM);
  const ferryLengthM = legs.filter((l) => l.kind === 'ferry').reduce((a, l) => a + l.lengthM, 0);
  const lowerBoundM = cov.sprayableM2 / route.swathM;
  return {
    kind: 'ruongso-spray-plan',
    version: 1,
    ...(o.field.name ? { fieldName: o.field.name } : {}),
    home: route.home,
    altitudeM: route.altitudeM,
    speedMps: route.speedMps,
    swathM: route.swathM,
    rateLPerHa: o.product.rateLPerHa,
    flowLpm,
    tankL: route.tankL ?? o.drone.tankL,
    product: o.product,
    drone: o.drone,
    legs,
    sorties: [...sorties.values()],
    metrics: {
      fieldAreaHa: o.field.areaM2 / 10_000,
      sprayableAreaHa: cov.sprayableM2 / 10_000,
      pathLengthM,
      lowerBoundM,
      ferryLengthM,
      pathRatio: lowerBoundM > 0 ? (pathLengthM - ferryLengthM) / lowerBoundM : 0,
      sprayLengthM,
      turns,
      sprayTimeS: sprayLengthM / route.speedMps,
      totalTimeS: pathLengthM / route.speedMps + turns * TURN_S,
      litres: sum((s) => s.litres),
      sorties: sorties.size,
      coverage: cov.coverage,
      overspray: cov.overspray,
      doubleDose: routeCheck.doubleDose,
      doubleDoseM2: round(cov.doubleM2, 1),
      flowLpm,
      headingDeg: 0,
    },
    sprayable,
    routeCheck,
  };
}
