import { randomUUID } from 'node:crypto';
import type { Polygon } from 'geojson';

/** Drones and products the mission routes plan with; fields and missions live in cloud/missions stores. */
export { MemoryFieldStore, type FieldRecord, type FieldStore } from '../../missions/field-store.js';
export { MemoryMissionStore, type MissionRecord, type MissionStore } from '../../missions/store.js';
export interface DroneRecord { id: string; name: string; swathM: number; tankL: number; maxFlowLpm: number; speedMps: number; enduranceMin: number; altitudeM?: number }
export interface ProductRecord { id: string; name: string; rateLPerHa: number; maxWindMps: number }

export const newMissionId = () => randomUUID();

/** A typical 10 L spray drone and a common fungicide rate: demo catalogue, editable data. */
export const DEMO_DRONES: DroneRecord[] = [
  { id: 'drone-10l', name: 'Máy bay phun 10 L (demo)', swathM: 5, tankL: 10, maxFlowLpm: 2.4, speedMps: 4, enduranceMin: 12, altitudeM: 3 },
  { id: 'drone-30l', name: 'Máy bay phun 30 L (demo)', swathM: 7, tankL: 30, maxFlowLpm: 8, speedMps: 6, enduranceMin: 10, altitudeM: 3 },
];
export const DEMO_PRODUCTS: ProductRecord[] = [
  { id: 'tricyclazole', name: 'Thuốc trừ đạo ôn (demo)', rateLPerHa: 15, maxWindMps: 5 },
  { id: 'foliar-k', name: 'Phân bón lá kali (demo)', rateLPerHa: 12, maxWindMps: 6 },
];

/** A rectangle of w × h metres whose south-west corner is at lon/lat (near enough for a demo). */
export function demoRectangle(lon: number, lat: number, wM: number, hM: number): Polygon {
  const dLat = hM / 110_574;
  const dLon = wM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat], [lon, lat]]] };
}
