import { geoAzimuthalEquidistant, type GeoProjection } from 'd3-geo';

export type LonLat = [number, number];
/** metres east, north of the frame's origin */
export type XY = [number, number];
export type LocalRing = XY[];
/** rings: [outer, ...holes] */
export type LocalPolygon = LocalRing[];
export type LocalMulti = LocalPolygon[];

// Mean Earth radius, as turf uses: the azimuthal equidistant projection about the field's
// centre keeps distances true to well under 1 cm per km at field scale.
const EARTH_RADIUS_M = 6_371_008.8;

/**
 * A local metric frame about a point: x east, y north, in metres. Planning, buffering,
 * coverage and verification all work here; only import and export touch WGS84.
 */
export class LocalFrame {
  readonly origin: LonLat;
  private readonly proj: GeoProjection;

  constructor(origin: LonLat) {
    this.origin = origin;
    this.proj = geoAzimuthalEquidistant().rotate([-origin[0], -origin[1]]).scale(EARTH_RADIUS_M).translate([0, 0]);
  }

  toLocal(p: LonLat | number[]): XY {
    const r = this.proj([p[0], p[1]])!;
    return [r[0], -r[1]]; // d3 projects to screen space (y down)
  }

  toLonLat(p: XY): LonLat {
    const r = this.proj.invert!([p[0], -p[1]])!;
    return [round7(r[0]), round7(r[1])];
  }

  ringToLocal(ring: number[][]): LocalRing {
    return ring.map((p) => this.toLocal(p));
  }

  polygonToLocal(rings: number[][][]): LocalPolygon {
    return rings.map((r) => this.ringToLocal(r));
  }

  ringToLonLat(ring: XY[]): LonLat[] {
    return ring.map((p) => this.toLonLat(p));
  }
}

/** 1e-7° ≈ 1 cm: what GPS and QGroundControl carry. */
export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

/** Frame centred on the bounding-box centre of a polygon's outer ring. */
export function frameFor(outer: number[][]): LocalFrame {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const p of outer) {
    minX = Math.min(minX, p[0]!);
    maxX = Math.max(maxX, p[0]!);
    minY = Math.min(minY, p[1]!);
    maxY = Math.max(maxY, p[1]!);
  }
  return new LocalFrame([(minX + maxX) / 2, (minY + maxY) / 2]);
}
