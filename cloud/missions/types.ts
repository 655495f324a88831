import { z } from 'zod';
import type { MultiPolygon } from 'geojson';
import type { LonLat } from './geo/local-frame.js';
import type { LegKind } from './route.js';

/** Nozzle sections across the swath, switched one by one (absent: one section, the whole boom). */
export const Sprayer = z.object({
  sections: z
    .number()
    .int()
    .min(1)
    .max(8)
    .default(1)
    .describe('equal-width nozzle sections across the swath, left to right'),
  /** ArduPilot: the servo output of each section's valve (default consecutive from SECTION_SERVO_FIRST) */
  servoChannels: z.array(z.number().int().min(1).max(32)).min(1).max(8).optional(),
});
export type Sprayer = z.infer<typeof Sprayer>;

export const DroneProfile = z.object({
  swathM: z.number().min(1).max(50).describe('effective swath width, m'),
  tankL: z.number().positive().max(500).describe('spray tank, litres'),
  maxFlowLpm: z.number().positive().max(100).describe('pump limit, L/min'),
  speedMps: z.number().min(0.5).max(20).describe('cruise / spray speed, m/s'),
  enduranceMin: z.number().min(1).max(120).describe('flight time per battery, min'),
  altitudeM: z.number().min(1).max(30).default(3).describe('spray height above take-off, m'),
  sprayer: Sprayer.optional(),
});
export type DroneProfile = z.infer<typeof DroneProfile>;

export const Product = z.object({
  name: z.string().min(1).max(120),
  rateLPerHa: z.number().min(1).max(200).describe('application rate, L/ha (drones: typically 10–20)'),
  maxWindMps: z.number().positive().max(20).describe('label limit on wind, m/s'),
});
export type Product = z.infer<typeof Product>;

export const PlanBuffers = z.object({
  boundaryM: z.number().min(0).max(100).default(0).describe('no-spray distance inward from the boundary'),
  holeM: z.number().min(0).max(100).default(0).describe('no-spray distance around holes'),
});
export type PlanBuffers = z.infer<typeof PlanBuffers>;

export const Heading = z.union([z.literal('auto'), z.number().min(0).max(360)]);
export type Heading = z.infer<typeof Heading>;

export interface PlanLeg {
  sortie: number;
  kind: LegKind;
  spray: boolean;
  coordinates: LonLat[];
  lengthM: number;
  /**
   * open nozzle sections on a spray leg, left to right in the direction of flight (a drone with
   * `sprayer.sections` > 1); absent = all open
   */
  sections?: boolean[];
}

export interface SortieSummary {
  sortie: number;
  litres: number;
  sprayM: number;
  lengthM: number;
  timeS: number;
}

export interface PlanMetrics {
  fieldAreaHa: number;
  sprayableAreaHa: number;
  pathLengthM: number;
  /** sprayable area ÷ swath: no route can be shorter */
  lowerBoundM: number;
  /** flights between the refill point and the field, included in pathLengthM */
  ferryLengthM: number;
  /** (path − ferries) ÷ lower bound */
  pathRatio: number;
  sprayLengthM: number;
  turns: number;
  sprayTimeS: number;
  totalTimeS: number;
  litres: number;
  sorties: number;
  /** fractions of the sprayable area */
  coverage: number;
  overspray: number;
  /** share of the sprayed ground under two or more swaths (a double dose), and its area */
  doubleDose?: number;
  doubleDoseM2?: number;
  flowLpm: number;
  headingDeg: number;
  /** flights from the refill point to the field and back, per sortie (also in ferryLengthM) */
  ferries?: Array<{ sortie: number; outM: number; backM: number }>;
}

/** How an uploaded route lies on its field (set on plans made from an uploaded route). */
export interface RouteCheck {
  /** shortest distance from any sprayed point to the field, m (0 when it sprays on it) */
  distanceFromFieldM: number;
  /** sprayed ground outside the field (and its holes), m² */
  outsideM2: number;
  coverage: number;
  overspray: number;
  doubleDose: number;
}

/** A spray plan: pure data, JSON-serialisable, WGS84 coordinates. */
export interface Plan {
  kind: 'ruongso-spray-plan';
  version: 1;
  fieldName?: string;
  home: LonLat;
  altitudeM: number;
  speedMps: number;
  swathM: number;
  rateLPerHa: number;
  flowLpm: number;
  tankL: number;
  product: Product;
  drone: DroneProfile;
  legs: PlanLeg[];
  sorties: SortieSummary[];
  metrics: PlanMetrics;
  sprayable: MultiPolygon;
  /** set when the plan is an uploaded route measured on its field */
  routeCheck?: RouteCheck;
  /** the take-off / refill points the sorties use, in order of first use */
  refillPoints?: LonLat[];
}
