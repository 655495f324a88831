import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Polygon } from 'geojson';
import { z } from 'zod';
import { issueSummary } from '../../lib/zod-issues.js';
import { DroneProfile, Product } from './types.js';
import { MissionError } from './errors.js';

/** Drones and products the mission routes plan with; fields and missions live in cloud/missions stores. */
export { MemoryFieldStore, type FieldRecord, type FieldStore } from './field-store.js';
export { MemoryMissionStore, type MissionRecord, type MissionStore } from './store.js';
export interface DroneRecord {
  id: string;
  name: string;
  swathM: number;
  tankL: number;
  maxFlowLpm: number;
  speedMps: number;
  enduranceMin: number;
  altitudeM?: number;
  /** nozzle sections switched one by one (absent: one, the whole boom); ArduPilot valve outputs */
  sprayer?: { sections: number; servoChannels?: number[] };
}
export interface ProductRecord {
  id: string;
  name: string;
  rateLPerHa: number;
  maxWindMps: number;
}

export const newMissionId = () => randomUUID();

/**
 * The drones and products a cooperative plans with, in production from its own catalogue file
 * (`MISSION_CATALOG_FILE`: `{drones: [{id, name, swathM, tankL, maxFlowLpm, speedMps,
 * enduranceMin, altitudeM?, sprayer?: {sections (1–8, default 1), servoChannels?}}], products:
 * [{id, name, rateLPerHa, maxWindMps}]}`), validated here.
 */
export interface MissionCatalog {
  drones: DroneRecord[];
  products: ProductRecord[];
}
const Ident = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i);
const CatalogFile = z.object({
  drones: z
    .array(DroneProfile.partial({ altitudeM: true }).extend({ id: Ident, name: z.string().min(1).max(100) }))
    .max(200),
  products: z.array(Product.extend({ id: Ident })).max(500),
});

export function loadMissionCatalog(file: string | undefined): MissionCatalog {
  if (!file) return { drones: [], products: [] }; // nothing to plan with until the cooperative lists its drones
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new MissionError(
      'PLAN_INVALID_INPUT',
      `cannot read the mission catalogue ${file}: ${(cause as Error).message}`,
      { cause, context: { params: { path: file } } },
    );
  }
  const r = CatalogFile.safeParse(json);
  if (!r.success) {
    throw new MissionError('PLAN_INVALID_INPUT', `mission catalogue ${file}: ${issueSummary(r.error)}`, {
      context: { params: { path: r.error.issues[0]!.path.join('.') } },
    });
  }
  return r.data;
}

/** A typical 10 L spray drone and a common fungicide rate: the demo's catalogue, for demo seeding only. */
export const DEMO_DRONES: DroneRecord[] = [
  {
    id: 'drone-10l',
    name: 'Máy bay phun 10 L (demo)',
    swathM: 5,
    tankL: 10,
    maxFlowLpm: 2.4,
    speedMps: 4,
    enduranceMin: 12,
    altitudeM: 3,
    // a nozzle pair on each arm, left and right switched apart
    sprayer: { sections: 2 },
  },
  {
    id: 'drone-30l',
    name: 'Máy bay phun 30 L (demo)',
    swathM: 7,
    tankL: 30,
    maxFlowLpm: 8,
    speedMps: 6,
    enduranceMin: 10,
    altitudeM: 3,
    // four nozzles under the four arms, each with its own valve (a T30/T40-class drone)
    sprayer: { sections: 4 },
  },
];
export const DEMO_PRODUCTS: ProductRecord[] = [
  { id: 'tricyclazole', name: 'Thuốc trừ đạo ôn (demo)', rateLPerHa: 15, maxWindMps: 5 },
  { id: 'foliar-k', name: 'Phân bón lá kali (demo)', rateLPerHa: 12, maxWindMps: 6 },
];
export const DEMO_CATALOG: MissionCatalog = { drones: DEMO_DRONES, products: DEMO_PRODUCTS };

/** A rectangle of w × h metres whose south-west corner is at lon/lat (near enough for a demo). */
export function demoRectangle(lon: number, lat: number, wM: number, hM: number): Polygon {
  const dLat = hM / 110_574;
  const dLon = wM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dLon, lat],
        [lon + dLon, lat + dLat],
        [lon, lat + dLat],
        [lon, lat],
      ],
    ],
  };
}
