import type { LonLat } from './geo/local-frame.js';

/**
 * What a drone flies: the common shape of a plan of ours, a re-read GeoJSON export and an
 * imported QGroundControl mission. A `Plan` is a FlightRoute.
 */
export interface FlightRoute {
  home: LonLat;
  altitudeM: number;
  speedMps: number;
  swathM: number;
  /** nominal pump flow while spraying, L/min */
  flowLpm: number;
  rateLPerHa?: number;
  /** tank at take-off, L */
  tankL?: number;
  /** `sections`: the open nozzle sections of a spray leg, left to right (absent: the whole swath) */
  legs: Array<{ sortie: number; spray: boolean; coordinates: LonLat[]; sections?: boolean[] }>;
}
