import jsts from '@turf/jsts';
import { difference, featureCollection, multiPolygon, polygon, union, booleanPointInPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { LocalMulti, LocalPolygon, LocalRing, XY } from './local-frame.js';

/**
 * Planar geometry on local metric coordinates. Clipping and buffering come from maintained
 * libraries (polyclip-ts through turf, JTS's buffer through @turf/jsts); only small predicates
 * (areas, orientation) are written here.
 */

const reader = new jsts.GeoJSONReader();
const writer = new jsts.GeoJSONWriter();

/** Arc segments per quarter circle in buffers: 8 keeps a 5 m buffer within 5 cm of the true arc. */
const QUADRANT_SEGMENTS = 8;

export function ringArea(r: LocalRing): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j]![0] - r[i]![0]) * (r[j]![1] + r[i]![1]);
  return s / 2; // > 0 counter-clockwise
}

export function polygonArea(p: LocalPolygon): number {
  return p.reduce((s, r, i) => s + (i === 0 ? 1 : -1) * Math.abs(ringArea(r)), 0);
}

export function multiArea(m: LocalMulti): number {
  return m.reduce((s, p) => s + polygonArea(p), 0);
}

function toMulti(g: { type: string; coordinates: unknown } | null | undefined): LocalMulti {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates as LocalPolygon];
  if (g.type === 'MultiPolygon') return g.coordinates as LocalMulti;
  return [];
}

function asFeature(m: LocalMulti): Feature<MultiPolygon> {
  return multiPolygon(m as number[][][][]);
}

/** Grows (d > 0) or shrinks (d < 0) a polygon set by d metres, round joins. */
export function bufferLocal(m: LocalMulti, d: number): LocalMulti {
  if (m.length === 0) return [];
  if (d === 0) return m;
  const geom = reader.read({ type: 'MultiPolygon', coordinates: m });
  return dropSlivers(toMulti(writer.write(jsts.BufferOp.bufferOp(geom, d, QUADRANT_SEGMENTS))));
}

export function differenceLocal(a: LocalMulti, ...minus: LocalMulti[]): LocalMulti {
  const rest = minus.filter((m) => m.length > 0);
  if (a.length === 0 || rest.length === 0) return a;
  const r = difference(featureCollection([asFeature(a), ...rest.map(asFeature)]));
  return dropSlivers(toMulti(r?.geometry));
}

export function unionLocal(parts: LocalMulti[]): LocalMulti {
  const ps = parts.filter((m) => m.length > 0);
  if (ps.length === 0) return [];
  if (ps.length === 1) return ps[0]!;
  return toMulti(union(featureCollection(ps.map(asFeature)))?.geometry);
}

/** Pieces under 0.01 m² are numerical dust from clipping. */
function dropSlivers(m: LocalMulti): LocalMulti {
  return m.filter((p) => Math.abs(ringArea(p[0]!)) > 0.01);
}

export function pointInMulti(p: XY, m: LocalMulti): boolean {
  return m.some((poly) => booleanPointInPolygon(p, polygon(poly as number[][][])));
}

export type { Feature, Polygon };

/**
 * The part of a that lies in b. Coordinates are snapped to the millimetre first: polyclip fails
 * ("unable to complete output ring") on JTS buffer output with nearly coincident vertices.
 */
export function intersectLocal(a: LocalMulti, b: LocalMulti): LocalMulti {
  if (a.length === 0 || b.length === 0) return [];
  const snap = (m: LocalMulti): LocalMulti =>
    m.map((p) => p.map((r) => r.map(([x, y]) => [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000] as XY)));
  const sa = snap(a);
  return differenceLocal(sa, differenceLocal(sa, snap(b)));
}
