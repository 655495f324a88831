import { area, booleanWithin, kinks, polygon as turfPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { MissionError, type FieldIssue } from './errors.js';
import { offshore, onLand } from './geo/land-mask.js';
import type { LonLat } from './geo/local-frame.js';

/** A no-spray area inside or beside a field (canal, shrimp pond, house) with its own buffer. */
export interface Exclusion {
  name?: string;
  polygon: Polygon;
  /** no-spray distance around it, m */
  bufferM: number;
}

/** A field ready to plan: a valid WGS84 polygon (holes = ponds, houses, graves). */
export interface Field {
  name?: string;
  boundary: Polygon;
  exclusions: Exclusion[];
  /** refill / take-off point, if the file carried one */
  home?: LonLat;
  areaM2: number;
}

/** Where fields are expected: used to tell a swapped lon/lat pair from a field elsewhere. */
export interface Region {
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
}

export interface FieldLimits {
  maxFileBytes: number;
  maxVertices: number;
  minAreaM2: number;
  maxAreaM2: number;
  /** fallback when nothing is `near`: where the service runs (default Viet Nam) */
  region: Region;
  /**
   * places the cooperative already works (its other fields, its gateways), anywhere on Earth:
   * a field over `nearKm` from all of them that lands near one when swapped is a swapped pair
   */
  near?: LonLat[];
  nearKm?: number;
}

export const DEFAULT_FIELD_LIMITS: FieldLimits = {
  maxFileBytes: 2_000_000,
  maxVertices: 5_000,
  minAreaM2: 100,
  maxAreaM2: 1_000 * 10_000,
  // Viet Nam with a margin; the Mekong Delta itself is lat 8.5–11, lon 104.5–107
  region: { minLon: 102, maxLon: 110, minLat: 7, maxLat: 24 },
};

const RING_NAME = (i: number) => (i === 0 ? 'the boundary' : `hole ${i}`);

function inRegion(lon: number, lat: number, r: Region): boolean {
  return lon >= r.minLon && lon <= r.maxLon && lat >= r.minLat && lat <= r.maxLat;
}

function ringShapeIssues(rings: unknown, out: FieldIssue[]): rings is number[][][] {
  if (!Array.isArray(rings) || rings.length === 0) {
    out.push({
      code: 'FIELD_NOT_POLYGON',
      params: {},
      message: 'the field has no rings: a Polygon needs coordinates [[[lon, lat], …]]',
    });
    return false;
  }
  for (const [i, ring] of rings.entries()) {
    const bad =
      !Array.isArray(ring) ||
      ring.some((p) => !Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]));
    if (bad) {
      out.push({
        code: 'FIELD_COORD_INVALID',
        ring: i,
        params: { ring: i },
        message: `${RING_NAME(i)} has a position that is not a pair of numbers [lon, lat]`,
      });
      return false;
    }
  }
  return true;
}

function closureIssues(rings: number[][][], out: FieldIssue[]): void {
  for (const [i, ring] of rings.entries()) {
    const distinct = new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
    if (distinct < 3) {
      out.push({
        code: 'FIELD_TOO_FEW_POINTS',
        ring: i,
        params: { ring: i, points: distinct, minPoints: 3 },
        message: `${RING_NAME(i)} has ${distinct} distinct point(s); a polygon needs at least 3`,
      });
      continue;
    }
    const a = ring[0]!,
      b = ring[ring.length - 1]!;
    if (a[0] !== b[0] || a[1] !== b[1]) {
      out.push({
        code: 'FIELD_RING_NOT_CLOSED',
        ring: i,
        params: { ring: i, lon: a[0]!, lat: a[1]! },
        message: `${RING_NAME(i)} is not closed: its last point must repeat the first (${a[0]}, ${a[1]})`,
      });
    }
  }
}

/** Great-circle distance, km. */
function km(a: LonLat, b: LonLat): number {
  const r = Math.PI / 180;
  const h =
    Math.sin(((b[1] - a[1]) * r) / 2) ** 2 +
    Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function nearKnown(p: LonLat, limits: FieldLimits): boolean {
  return (limits.near ?? []).some((q) => km(p, q) <= (limits.nearKm ?? 50));
}

// rice, wheat or pasture: none beyond Tierra del Fuego (−55°) or northern Norway (71°)
const farmland = (p: LonLat) => p[1] >= -56 && p[1] <= 72 && onLand(p[0], p[1]);
// open sea, Antarctica, the high Arctic
const noFarmland = (p: LonLat) => p[1] < -60 || p[1] > 80 || offshore(p[0], p[1]);

/**
 * Why the pair [lon, lat] reads better as [lat, lon], or undefined: far from every place the
 * cooperative works while swapped it lands near one; out at sea (or on the ice) while swapped
 * it lands on farmland — anywhere on Earth, first field included; outside the service region
 * while swapped it lands inside.
 */
function swapReason(p: LonLat, limits: FieldLimits): 'far' | 'ocean' | 'region' | undefined {
  const q: LonLat = [p[1], p[0]];
  if (Math.abs(p[0]) > 90) return undefined; // swapped it would be a latitude beyond ±90
  if (limits.near && limits.near.length > 0) {
    if (nearKnown(p, limits)) return undefined;
    if (nearKnown(q, limits)) return 'far';
  }
  if (noFarmland(p) && farmland(q)) return 'ocean';
  if (!limits.near?.length && !inRegion(p[0], p[1], limits.region) && inRegion(q[0], q[1], limits.region))
    return 'region';
  return undefined;
}

function swapIssues(rings: number[][][], limits: FieldLimits, out: FieldIssue[]): void {
  const pts = rings.flat();
  if (pts.some((p) => Math.abs(p[1]!) > 90 || Math.abs(p[0]!) > 180)) {
    const swappedOk = pts.every((p) => Math.abs(p[0]!) <= 90 && Math.abs(p[1]!) <= 180);
    const bad = pts.find((p) => Math.abs(p[1]!) > 90 || Math.abs(p[0]!) > 180)!;
    out.push(
      swappedOk
        ? {
            code: 'FIELD_LONLAT_SWAPPED',
            params: { lon: bad[0]!, lat: bad[1]!, reason: 'range' },
            message: 'latitude outside ±90°: the positions look like [lat, lon]; GeoJSON wants [lon, lat]',
          }
        : {
            code: 'FIELD_COORD_INVALID',
            params: { lon: bad[0]!, lat: bad[1]! },
            message: 'positions outside the range of longitude (±180°) and latitude (±90°)',
          },
    );
    return;
  }
  const n = pts.length;
  const lon = pts.reduce((s, p) => s + p[0]!, 0) / n;
  const lat = pts.reduce((s, p) => s + p[1]!, 0) / n;
  const reason = swapReason([lon, lat], limits);
  if (reason) {
    const r = (v: number) => Math.round(v * 1e6) / 1e6;
    const where = {
      far: 'far from where this cooperative works, but swapped it lands there',
      ocean: 'out at sea, but swapped it lands on farmland',
      region: 'outside the service region, but swapped it lands inside',
    }[reason];
    out.push({
      code: 'FIELD_LONLAT_SWAPPED',
      params: { lon: r(lon), lat: r(lat), swappedLon: r(lat), swappedLat: r(lon), reason },
      message: `the field lies at lon ${lon.toFixed(3)}, lat ${lat.toFixed(3)}, ${where}: the positions look like [lat, lon]; GeoJSON wants [lon, lat]`,
    });
  }
}

function topologyIssues(rings: number[][][], limits: FieldLimits, out: FieldIssue[]): void {
  const vertices = rings.reduce((s, r) => s + r.length - 1, 0);
  if (vertices > limits.maxVertices) {
    out.push({
      code: 'FIELD_TOO_MANY_VERTICES',
      params: { vertices, maxVertices: limits.maxVertices },
      message: `the field has ${vertices} vertices; the limit is ${limits.maxVertices} (simplify it first)`,
    });
    return;
  }
  for (const [i, ring] of rings.entries()) {
    const k = kinks(turfPolygon([ring])).features[0];
    if (k) {
      const [x, y] = k.geometry.coordinates;
      out.push({
        code: 'FIELD_SELF_INTERSECTION',
        ring: i,
        params: { ring: i, lon: Math.round(x! * 1e6) / 1e6, lat: Math.round(y! * 1e6) / 1e6 },
        message: `${RING_NAME(i)} crosses itself near lon ${x!.toFixed(6)}, lat ${y!.toFixed(6)}`,
      });
    }
  }
  if (out.length > 0) return;
  const shell = turfPolygon([rings[0]!]);
  for (let i = 1; i < rings.length; i++) {
    if (!booleanWithin(turfPolygon([rings[i]!]), shell)) {
      out.push({
        code: 'FIELD_HOLE_OUTSIDE',
        ring: i,
        params: { ring: i },
        message: `hole ${i} is not inside the boundary: holes must lie wholly within the field`,
      });
    }
  }
}

function sizeIssues(rings: number[][][], limits: FieldLimits, out: FieldIssue[]): number {
  const m2 = area(turfPolygon(rings));
  if (m2 < limits.minAreaM2) {
    out.push({
      code: 'FIELD_TOO_SMALL',
      params: { areaM2: Math.round(m2 * 10) / 10, minAreaM2: limits.minAreaM2 },
      message: `the field is ${m2.toFixed(1)} m²; the smallest plannable field is ${limits.minAreaM2} m² (are the coordinates in degrees?)`,
    });
  } else if (m2 > limits.maxAreaM2) {
    out.push({
      code: 'FIELD_TOO_LARGE',
      params: { areaHa: Math.round(m2 / 100) / 100, maxAreaHa: limits.maxAreaM2 / 10_000 },
      message: `the field is ${(m2 / 10_000).toFixed(1)} ha; the limit is ${limits.maxAreaM2 / 10_000} ha (split it into blocks)`,
    });
  }
  return m2;
}

/**
 * Checks a polygon's coordinates and returns every problem found, most basic first
 * (later checks are skipped when an earlier one makes them meaningless).
 */
export function fieldIssues(
  coordinates: unknown,
  limits: FieldLimits = DEFAULT_FIELD_LIMITS,
): { issues: FieldIssue[]; areaM2: number } {
  const issues: FieldIssue[] = [];
  if (!ringShapeIssues(coordinates, issues)) return { issues, areaM2: 0 };
  closureIssues(coordinates, issues);
  if (issues.length) return { issues, areaM2: 0 };
  swapIssues(coordinates, limits, issues);
  if (issues.length) return { issues, areaM2: 0 };
  topologyIssues(coordinates, limits, issues);
  if (issues.length) return { issues, areaM2: 0 };
  const areaM2 = sizeIssues(coordinates, limits, issues);
  return { issues, areaM2 };
}

/** Throws MissionError with the first issue's code; all issues are in `context.issues`. */
export function throwIssues(issues: FieldIssue[], what = 'field'): never {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : '';
  // the contract's issue shape: {path, code, params}; ring and message stay for older clients and logs
  const shaped = issues.map((i) => ({
    ...i,
    path: i.ring === undefined ? 'field' : i.ring === 0 ? 'field.boundary' : `field.holes.${i.ring - 1}`,
    params: i.params ?? {},
  }));
  throw new MissionError(first.code, `${what}: ${first.message}${more}`, {
    context: { issues: shaped, params: { ...(first.params ?? {}), issues: issues.length } },
  });
}

export function validateBoundary(boundary: Polygon, limits: FieldLimits = DEFAULT_FIELD_LIMITS): number {
  const { issues, areaM2 } = fieldIssues(boundary.coordinates, limits);
  if (issues.length) throwIssues(issues);
  return areaM2;
}

/** Exclusions are checked like fields but may be tiny (a grave, a pump house). */
export function validateExclusion(e: Exclusion, limits: FieldLimits = DEFAULT_FIELD_LIMITS): void {
  const { issues } = fieldIssues(e.polygon.coordinates, { ...limits, minAreaM2: 0.5 });
  if (issues.length) throwIssues(issues, `exclusion${e.name ? ` "${e.name}"` : ''}`);
  if (!(e.bufferM >= 0 && e.bufferM <= 500)) {
    throw new MissionError(
      'FIELD_COORD_INVALID',
      `exclusion${e.name ? ` "${e.name}"` : ''}: bufferM must be 0–500 m, got ${e.bufferM}`,
      { context: { params: { bufferM: e.bufferM, maxBufferM: 500 } } },
    );
  }
}

export function makeField(
  input: { boundary: Polygon; exclusions?: Exclusion[]; home?: LonLat; name?: string },
  limits: FieldLimits = DEFAULT_FIELD_LIMITS,
): Field {
  const areaM2 = validateBoundary(input.boundary, limits);
  const exclusions = input.exclusions ?? [];
  for (const e of exclusions) validateExclusion(e, limits);
  return { name: input.name, boundary: input.boundary, exclusions, home: input.home, areaM2 };
}
