import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';
import { MissionError } from './errors.js';
import { DEFAULT_FIELD_LIMITS, makeField, type Exclusion, type Field, type FieldLimits } from './field.js';
import type { LonLat } from './geo/local-frame.js';

export type FieldFormat = 'geojson' | 'kml';

/**
 * Reads a field file. GeoJSON may be a Polygon geometry, a Feature, or a FeatureCollection in
 * which features with `properties.role`:
 *   "field" (or no role) — the boundary (exactly one polygon),
 *   "exclusion"          — a no-spray polygon with `properties.bufferM` (default 0),
 *   "home"               — a Point: the refill / take-off point.
 * KML placemarks carry the same `role` / `bufferM` as ExtendedData.
 */
export function parseFieldFile(
  data: string | Uint8Array,
  opts: { filename?: string; format?: FieldFormat; limits?: FieldLimits } = {},
): Field {
  const limits = opts.limits ?? DEFAULT_FIELD_LIMITS;
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  if (bytes > limits.maxFileBytes) {
    throw new MissionError(
      'FIELD_FILE_TOO_LARGE',
      `the field file is ${bytes} bytes; the limit is ${limits.maxFileBytes} bytes`,
      { context: { params: { bytes, maxBytes: limits.maxFileBytes } } },
    );
  }
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  const format = opts.format ?? detectFormat(text, opts.filename);
  const fc = format === 'kml' ? kmlToFeatures(text) : jsonToFeatures(text);
  return makeField(fromFeatures(fc), limits);
}

function detectFormat(text: string, filename?: string): FieldFormat {
  if (filename && /\.kml$/i.test(filename)) return 'kml';
  if (filename && /\.(geo)?json$/i.test(filename)) return 'geojson';
  return text.trimStart().startsWith('<') ? 'kml' : 'geojson';
}

function kmlToFeatures(text: string): FeatureCollection {
  const errors: string[] = [];
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') errors.push(msg);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    throw new MissionError('FIELD_PARSE_ERROR', `not a KML document: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
      context: { params: { format: 'kml' } },
    });
  }
  if (errors.length || !doc.documentElement || doc.getElementsByTagName('kml').length === 0) {
    throw new MissionError('FIELD_PARSE_ERROR', `not a KML document${errors[0] ? `: ${errors[0]}` : ''}`, {
      context: { params: { format: 'kml' } },
    });
  }
  return kml(doc) as FeatureCollection;
}

function jsonToFeatures(text: string): FeatureCollection {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new MissionError('FIELD_PARSE_ERROR', `not valid JSON: ${(err as Error).message}`, {
      cause: err,
      context: { params: { format: 'geojson' } },
    });
  }
  const o = json as { type?: string };
  if (o?.type === 'FeatureCollection') return json as FeatureCollection;
  if (o?.type === 'Feature') return { type: 'FeatureCollection', features: [json as Feature] };
  if (typeof o?.type === 'string') {
    return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: json as Geometry }] };
  }
  throw new MissionError('FIELD_PARSE_ERROR', 'not GeoJSON: expected a Polygon, a Feature or a FeatureCollection', {
    context: { params: { format: 'geojson' } },
  });
}

/**
 * Positions as [lon, lat]: Fields2Cover's fields and Google Earth's KML carry a third number
 * (altitude, often 0) that a field on the ground has no use for. Anything not an array of
 * numbers is left for validation to name.
 */
function flat(rings: unknown): Polygon['coordinates'] {
  if (!Array.isArray(rings)) return rings as Polygon['coordinates'];
  return rings.map((r: unknown) =>
    Array.isArray(r) ? r.map((p: unknown) => (Array.isArray(p) && p.length > 2 ? p.slice(0, 2) : p)) : r,
  ) as Polygon['coordinates'];
}

function asPolygon(g: Geometry | null, what: string): Polygon {
  if (g?.type === 'Polygon') return { type: 'Polygon', coordinates: flat(g.coordinates) };
  if (g?.type === 'MultiPolygon' && g.coordinates.length === 1)
    return { type: 'Polygon', coordinates: flat(g.coordinates[0]) };
  if (g?.type === 'MultiPolygon') {
    throw new MissionError(
      'FIELD_MULTIPLE_POLYGONS',
      `${what} is a MultiPolygon of ${g.coordinates.length} parts: plan one field (one polygon) at a time`,
      { context: { params: { polygons: g.coordinates.length } } },
    );
  }
  throw new MissionError('FIELD_NOT_POLYGON', `${what} is a ${g?.type ?? 'null geometry'}; a field must be a Polygon`, {
    context: { params: { geometryType: String(g?.type ?? 'null') } },
  });
}

/** `name` (ours, KML), else `Name` (QGIS and Fields2Cover exports). */
function nameOf(f: Feature): string | undefined {
  const p: Record<string, unknown> = f.properties ?? {};
  const n = p.name ?? p.Name;
  return typeof n === 'string' || typeof n === 'number' ? String(n) || undefined : undefined;
}

function fromFeatures(fc: FeatureCollection): {
  boundary: Polygon;
  exclusions: Exclusion[];
  home?: LonLat;
  name?: string;
} {
  const fields: Feature[] = [];
  const exclusions: Exclusion[] = [];
  let home: LonLat | undefined;
  for (const f of fc.features ?? []) {
    const role = String(f.properties?.role ?? 'field').toLowerCase();
    const name = nameOf(f);
    if (role === 'home' && f.geometry?.type === 'Point') {
      home = [f.geometry.coordinates[0]!, f.geometry.coordinates[1]!]; // altitude dropped
    } else if (role === 'exclusion') {
      const bufferM = Number(f.properties?.bufferM ?? 0);
      exclusions.push({ name, polygon: asPolygon(f.geometry, `exclusion${name ? ` "${name}"` : ''}`), bufferM });
    } else if (f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')) {
      fields.push(f);
    }
  }
  if (fields.length === 0) {
    throw new MissionError(
      'FIELD_NOT_POLYGON',
      'the file holds no polygon: a field must be a Polygon (holes allowed)',
      { context: { params: { geometryType: 'none' } } },
    );
  }
  if (fields.length > 1) {
    throw new MissionError(
      'FIELD_MULTIPLE_POLYGONS',
      `the file holds ${fields.length} field polygons: plan one field at a time, or mark the others with properties.role "exclusion"`,
      { context: { params: { polygons: fields.length } } },
    );
  }
  const f = fields[0]!;
  return { boundary: asPolygon(f.geometry, 'the field'), exclusions, home, name: nameOf(f) };
}
