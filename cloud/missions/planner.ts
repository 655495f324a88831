import { z } from 'zod';
import { issueSummary } from '../../lib/zod-issues.js';
import type { MultiPolygon } from 'geojson';
import { MissionError } from './errors.js';
import type { Field } from './field.js';
import { frameFor, type LocalFrame, type LocalMulti, type LonLat } from './geo/local-frame.js';
import { bufferLocal, differenceLocal, intersectLocal, multiArea, unionLocal } from './geo/ops.js';
import { chooseHeading } from './heading.js';
import { chooseHeadingForDose, interiorCells } from './overlap.js';
import { measureCoverage } from './coverage.js';
import { orderRoute, type LocalLeg } from './route.js';
import { TransitRouter, polylineLength } from './router.js';
import { nearestOf, refillCandidates, refillPointsOf } from './refill.js';
import { splitSorties } from './sorties.js';
import { openShare, sprayOffOverCovered, switchSections, type SectionLeg } from './spray-off.js';
import {
  DroneProfile,
  Heading,
  PlanBuffers,
  Product,
  type Plan,
  type PlanLeg,
  type PlanMetrics,
  type SortieSummary,
} from './types.js';

export interface PlanRequest {
  field: Field;
  drone: z.input<typeof DroneProfile>;
  product: z.input<typeof Product>;
  buffers?: z.input<typeof PlanBuffers>;
  heading?: Heading;
  /** refill / take-off point; default: the field file's home point, else the boundary's southernmost corner */
  home?: LonLat;
  /** spray only this part of the field (WGS84), e.g. a respray of missed ground */
  area?: MultiPolygon;
  /**
   * where the drone may take off and refill: `'auto'` = anywhere along the field boundary (the
   * truck follows on the dyke), or a list of reachable points (a dyke road, a canal landing);
   * each sortie uses the one nearest where it starts and ends. Default: `home` only.
   */
  refill?: 'auto' | LonLat[];
}

/** L/min a drone must pump to lay `rate` L/ha over a swath at a speed. */
export const requiredFlowLpm = (rateLPerHa: number, swathM: number, speedMps: number) =>
  rateLPerHa * swathM * speedMps * 0.006;

const RESERVE = 0.1; // endurance kept back for the way home
const TURN_S = 2; // decelerate, yaw and accelerate at a pass end
const TURN_DEG = 30; // a direction change above this counts as a turn

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((x) => ({
      path: `${what.replace(/ /g, '_')}.${x.path.join('.')}`,
      code: x.code,
      params: {},
    }));
    throw new MissionError('PLAN_INVALID_INPUT', `${what}: ${issueSummary(r.error, { root: 'value' })}`, {
      context: { issues, params: { path: issues[0]!.path } },
    });
  }
  return r.data;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

function checkFlow(drone: DroneProfile, product: Product): number {
  const flow = requiredFlowLpm(product.rateLPerHa, drone.swathM, drone.speedMps);
  if (flow > drone.maxFlowLpm + 1e-9) {
    const maxSpeed = drone.maxFlowLpm / (product.rateLPerHa * drone.swathM * 0.006);
    const maxRate = drone.maxFlowLpm / (drone.swathM * drone.speedMps * 0.006);
    throw new MissionError(
      'PLAN_FLOW_EXCEEDED',
      `${product.rateLPerHa} L/ha over a ${drone.swathM} m swath at ${drone.speedMps} m/s needs ${flow.toFixed(2)} L/min, over the drone's max flow of ${drone.maxFlowLpm} L/min: fly at most ${maxSpeed.toFixed(2)} m/s, or apply at most ${maxRate.toFixed(1)} L/ha at this speed`,
      {
        context: {
          params: {
            flowLpm: r2(flow),
            maxFlowLpm: drone.maxFlowLpm,
            maxSpeedMps: r2(maxSpeed),
            maxRateLPerHa: Math.round(maxRate * 10) / 10,
          },
        },
      },
    );
  }
  return flow;
}

/** Field, allowed ground and sprayable area in the local frame. */
export function fieldAreas(field: Field, frame: LocalFrame, buffers: PlanBuffers) {
  const rings = field.boundary.coordinates.map((r) => frame.ringToLocal(r));
  const shell: LocalMulti = [[rings[0]!]];
  const holes: LocalMulti = rings.slice(1).map((r) => [r]);
  const excl = field.exclusions.map((e) => ({
    poly: [frame.polygonToLocal(e.polygon.coordinates)] as LocalMulti,
    d: e.bufferM,
  }));
  const allowed = differenceLocal([rings], ...excl.map((e) => e.poly));
  const exclusions = excl.map((e) => bufferLocal(e.poly, e.d));
  if (buffers.holeM === buffers.boundaryM) {
    // one distance for both: shrinking the polygon with its holes grows the holes by the same
    // distance, so JTS's buffer does it in one pass and the clipper only cuts exclusions
    return { allowed, sprayable: differenceLocal(bufferLocal([rings], -buffers.boundaryM), unionLocal(exclusions)) };
  }
  const noSpray = unionLocal([bufferLocal(holes, buffers.holeM), ...exclusions]);
  const sprayable = differenceLocal(bufferLocal(shell, -buffers.boundaryM), noSpray);
  return { allowed, sprayable };
}

function defaultHome(field: Field): LonLat {
  const ring = field.boundary.coordinates[0]!;
  const s = ring.reduce((a, b) => (b[1]! < a[1]! ? b : a));
  return [s[0]!, s[1]!];
}

function countTurns(legs: LocalLeg[]): number {
  let turns = 0;
  let prevDir: number | null = null;
  let sortie = -1;
  for (const leg of legs) {
    if (leg.sortie !== sortie) {
      prevDir = null;
      sortie = leg.sortie!;
    }
    for (let i = 1; i < leg.pts.length; i++) {
      const a = leg.pts[i - 1]!,
        b = leg.pts[i]!;
      if (Math.hypot(b[0] - a[0], b[1] - a[1]) < 0.05) continue;
      const dir = Math.atan2(b[1] - a[1], b[0] - a[0]);
      if (prevDir !== null) {
        let d = Math.abs(dir - prevDir) * (180 / Math.PI);
        if (d > 180) d = 360 - d;
        if (d > TURN_DEG) turns++;
      }
      prevDir = dir;
    }
  }
  return turns;
}

/**
 * Plans a spray mission: headland loops one swath wide around the sprayable area (and around
 * every hole and exclusion), back-and-forth passes over the rest at the heading needing the
 * fewest turns (unless it double-doses over 3 % and another does not), ordered greedily, joined by transits that stay on allowed ground, cut into
 * sorties by tank and endurance. Pure and deterministic.
 */
export function planMission(req: PlanRequest): Plan {
  const drone = parse(DroneProfile, req.drone, 'drone profile');
  const product = parse(Product, req.product, 'product');
  const buffers = parse(PlanBuffers, req.buffers ?? {}, 'buffers');
  const heading = parse(Heading, req.heading ?? 'auto', 'heading');
  const flowLpm = checkFlow(drone, product);
  const w = drone.swathM;
  const frame = frameFor(req.field.boundary.coordinates[0]!);
  const areas = fieldAreas(req.field, frame, buffers);
  const { allowed } = areas;
  const sprayable = req.area
    ? intersectLocal(
        areas.sprayable,
        req.area.coordinates.map((p) => frame.polygonToLocal(p)),
      )
    : areas.sprayable;
  if (multiArea(sprayable) < 1) {
    throw new MissionError(
      'PLAN_NOTHING_TO_SPRAY',
      'nothing is left to spray once the buffers are taken out: reduce the buffers',
      { context: { params: { reason: 'buffers', boundaryM: buffers.boundaryM, holeM: buffers.holeM } } },
    );
  }
  const headland = bufferLocal(sprayable, -w / 2);
  if (headland.length === 0) {
    throw new MissionError(
      'PLAN_NOTHING_TO_SPRAY',
      `the sprayable area is nowhere wider than one ${w} m swath: reduce the buffers or use a narrower swath`,
      { context: { params: { reason: 'narrow', swathM: w } } },
    );
  }
  const inner = bufferLocal(sprayable, -w);
  const loops = headland.flatMap((poly) => poly.map((ring, i) => ({ ring, hole: i > 0 })));
  // fewest turns first; a heading that double-doses over 3 % gives way to one that does not
  const headingDeg =
    heading === 'auto'
      ? chooseHeadingForDose({
          sprayable,
          inner,
          loops: loops.map((l) => l.ring),
          w,
          base: chooseHeading(sprayable, inner, w),
        }).headingDeg
      : heading % 180;
  const { cells, cos, sin } = interiorCells(inner, w, headingDeg);
  const router = new TransitRouter(allowed, loops);
  const home = req.home ?? req.field.home ?? defaultHome(req.field);
  const homeXY = frame.toLocal(home);
  // the loops' nozzles go off where they run over ground already sprayed (acute tips)
  const route = sprayOffOverCovered(
    orderRoute(
      loops.map((l) => l.ring),
      cells,
      homeXY,
      router,
    ),
    w,
  );
  const litresPerM = (product.rateLPerHa * w) / 10_000;
  const sections = drone.sprayer?.sections ?? 1;
  const sorted = splitSorties(route, homeXY, router, {
    litresPerM,
    tankL: drone.tankL,
    speedMps: drone.speedMps,
    enduranceS: drone.enduranceMin * 60,
    reserve: RESERVE,
    ...(req.refill ? { refillNear: nearestOf(refillCandidates(req.refill, req.field, frame, w)) } : {}),
  });
  // a sectional boom: each section off where its own strip is over ground already sprayed (the
  // sorties are cut by the whole swath's litres, a little on the safe side)
  const legs: SectionLeg[] = switchSections(sorted, w, sections);
  const sprayLegs = legs.filter((l) => l.kind === 'spray');
  const cov = measureCoverage(
    sprayLegs.map((l) => l.pts),
    sprayable,
    w,
    cos,
    sin,
    4_000,
    sprayLegs.map((l) => l.sections),
  );
  const metrics = planMetrics(req.field, legs, sprayable, {
    w,
    litresPerM,
    flowLpm,
    headingDeg,
    speed: drone.speedMps,
    cov,
  });
  return {
    kind: 'ruongso-spray-plan',
    version: 1,
    fieldName: req.field.name,
    home,
    altitudeM: drone.altitudeM,
    speedMps: drone.speedMps,
    swathM: w,
    rateLPerHa: product.rateLPerHa,
    flowLpm,
    tankL: drone.tankL,
    product,
    drone,
    legs: legs.map((l): PlanLeg => ({
      sortie: l.sortie!,
      kind: l.kind,
      spray: l.kind === 'spray',
      coordinates: frame.ringToLonLat(l.pts),
      lengthM: round2(polylineLength(l.pts)),
      ...(l.sections ? { sections: l.sections } : {}),
    })),
    sorties: sortieSummaries(legs, litresPerM, drone.speedMps),
    refillPoints: refillPointsOf(legs, frame),
    metrics,
    sprayable: { type: 'MultiPolygon', coordinates: sprayable.map((p) => p.map((r) => frame.ringToLonLat(r))) },
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function sortieSummaries(legs: SectionLeg[], litresPerM: number, speed: number): SortieSummary[] {
  const by = new Map<number, SortieSummary>();
  for (const l of legs) {
    const s = by.get(l.sortie!) ?? { sortie: l.sortie!, litres: 0, sprayM: 0, lengthM: 0, timeS: 0 };
    const len = polylineLength(l.pts);
    s.lengthM += len;
    if (l.kind === 'spray') {
      s.sprayM += len;
      // closed sections pump nothing
      s.litres += len * openShare(l);
    }
    by.set(l.sortie!, s);
  }
  return [...by.values()].map((s) => ({
    sortie: s.sortie,
    litres: round2(s.litres * litresPerM),
    sprayM: round2(s.sprayM),
    lengthM: round2(s.lengthM),
    timeS: Math.round(s.lengthM / speed),
  }));
}

function planMetrics(
  field: Field,
  legs: SectionLeg[],
  sprayable: LocalMulti,
  p: {
    w: number;
    litresPerM: number;
    flowLpm: number;
    headingDeg: number;
    speed: number;
    cov: ReturnType<typeof measureCoverage>;
  },
): PlanMetrics {
  const pathLengthM = legs.reduce((s, l) => s + polylineLength(l.pts), 0);
  const ferryLengthM = legs.filter((l) => l.kind === 'ferry').reduce((s, l) => s + polylineLength(l.pts), 0);
  const sprayLengthM = legs.filter((l) => l.kind === 'spray').reduce((s, l) => s + polylineLength(l.pts), 0);
  const sprayM2 = multiArea(sprayable);
  const lowerBoundM = sprayM2 / p.w;
  const turns = countTurns(legs);
  return {
    fieldAreaHa: round4(field.areaM2 / 10_000),
    sprayableAreaHa: round4(sprayM2 / 10_000),
    pathLengthM: round2(pathLengthM),
    lowerBoundM: round2(lowerBoundM),
    ferryLengthM: round2(ferryLengthM),
    // the refill point is wherever the truck parks: its ferries are reported, not held against the pattern
    pathRatio: round4((pathLengthM - ferryLengthM) / lowerBoundM),
    sprayLengthM: round2(sprayLengthM),
    turns,
    sprayTimeS: Math.round(sprayLengthM / p.speed),
    totalTimeS: Math.round(pathLengthM / p.speed + turns * TURN_S),
    litres: round2(
      legs.filter((l) => l.kind === 'spray').reduce((s, l) => s + polylineLength(l.pts) * openShare(l), 0) *
        p.litresPerM,
    ),
    sorties: new Set(legs.map((l) => l.sortie)).size,
    ferries: ferriesOf(legs),
    coverage: round4(p.cov.coverage),
    overspray: round4(p.cov.overspray),
    doubleDose: round4(p.cov.doubleDose),
    doubleDoseM2: round2(p.cov.doubleM2),
    flowLpm: round2(p.flowLpm),
    headingDeg: p.headingDeg,
  };
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** Each sortie's flight out from its refill point and back to one: reported apart from the pattern. */
function ferriesOf(legs: LocalLeg[]): NonNullable<PlanMetrics['ferries']> {
  const by = new Map<number, { sortie: number; outM: number; backM: number }>();
  for (const l of legs) {
    if (l.kind !== 'ferry') continue;
    const f = by.get(l.sortie!) ?? { sortie: l.sortie!, outM: -1, backM: 0 };
    if (f.outM < 0) f.outM = round2(polylineLength(l.pts));
    else f.backM = round2(polylineLength(l.pts));
    by.set(l.sortie!, f);
  }
  return [...by.values()];
}
