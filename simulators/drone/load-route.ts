import { readFileSync } from 'node:fs';
import { MissionError } from '../../cloud/missions/errors.js';
import { routeFromGeoJson } from '../../cloud/missions/export-geojson.js';
import type { FlightRoute } from '../../cloud/missions/flight-route.js';
import { routeFromQgc, type QgcImportOptions } from '../../cloud/missions/qgc-plan.js';
import { wplToPlan } from '../../cloud/missions/qgc-wpl.js';

/** Reads a mission file: our GeoJSON plan export, a QGroundControl `.plan`, or a QGC WPL 110 `.waypoints`. */
export function loadRoute(path: string, qgc: QgcImportOptions = {}): FlightRoute {
  let json: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    json = text.trimStart().startsWith('QGC WPL') ? wplToPlan(text) : JSON.parse(text);
  } catch (err) {
    if (err instanceof MissionError) throw err;
    throw new MissionError('QGC_PARSE_ERROR', `cannot read mission ${path}: ${(err as Error).message}`, { cause: err });
  }
  const o = json as { fileType?: unknown; type?: unknown };
  if (o && o.fileType !== undefined) return routeFromQgc(json, qgc);
  if (o && o.type === 'FeatureCollection') return routeFromGeoJson(json);
  throw new MissionError('QGC_PARSE_ERROR', `${path} is neither a spray plan GeoJSON nor a QGroundControl .plan`);
}
