import type { Feature, FeatureCollection, LineString } from 'geojson';
import { z } from 'zod';
import { issueSummary } from '../../lib/zod-issues.js';
import { MissionError } from './errors.js';
import type { FlightRoute } from './flight-route.js';
import type { LonLat } from './geo/local-frame.js';
import type { Plan, PlanMetrics } from './types.js';

export interface PlanFeatureCollection extends FeatureCollection<LineString> {
  metrics: PlanMetrics;
  /** what the drone needs to fly it again: read back by `routeFromGeoJson` */
  plan: Omit<FlightRoute, 'legs'> & { product: Plan['product']; fieldName?: string };
}

/** GeoJSON export: one LineString per leg, `spray` true on passes, false on transits. */
export function planToGeoJson(plan: Plan): PlanFeatureCollection {
  return {
    type: 'FeatureCollection',
    metrics: plan.metrics,
    plan: {
      home: plan.home,
      altitudeM: plan.altitudeM,
      speedMps: plan.speedMps,
      swathM: plan.swathM,
      flowLpm: plan.flowLpm,
      rateLPerHa: plan.rateLPerHa,
      tankL: plan.tankL,
      product: plan.product,
      fieldName: plan.fieldName,
    },
    features: plan.legs.map((l, i): Feature<LineString> => ({
      type: 'Feature',
      properties: {
        spray: l.spray,
        sortie: l.sortie,
        kind: l.kind,
        seq: i,
        lengthM: l.lengthM,
        // open nozzle sections, left to right in the direction of flight (only on a leg with some closed)
        ...(l.sections ? { sections: l.sections } : {}),
      },
      geometry: { type: 'LineString', coordinates: l.coordinates },
    })),
  };
}

const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const GeoJsonPlan = z.object({
  type: z.literal('FeatureCollection'),
  plan: z.object({
    home: Position,
    altitudeM: z.number(),
    speedMps: z.number().positive(),
    swathM: z.number().positive(),
    flowLpm: z.number().nonnegative(),
    rateLPerHa: z.number().optional(),
    tankL: z.number().positive().optional(),
  }),
  features: z
    .array(
      z.object({
        properties: z.object({
          spray: z.boolean(),
          sortie: z.number().int().min(1),
          sections: z.array(z.boolean()).min(1).max(8).optional(),
        }),
        geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(Position).min(2) }),
      }),
    )
    .min(1),
});

/** Reads a GeoJSON plan export back into something the simulator can fly. */
export function routeFromGeoJson(json: unknown): FlightRoute {
  const r = GeoJsonPlan.safeParse(json);
  if (!r.success) {
    throw new MissionError('EXPORT_INVALID', `not a spray plan GeoJSON: ${issueSummary(r.error)}`);
  }
  const p = r.data.plan;
  const pos = (c: number[]): LonLat => [c[0]!, c[1]!];
  return {
    home: pos(p.home),
    altitudeM: p.altitudeM,
    speedMps: p.speedMps,
    swathM: p.swathM,
    flowLpm: p.flowLpm,
    rateLPerHa: p.rateLPerHa,
    tankL: p.tankL,
    legs: r.data.features.map((f) => ({
      sortie: f.properties.sortie,
      spray: f.properties.spray,
      coordinates: f.geometry.coordinates.map(pos),
      ...(f.properties.sections ? { sections: f.properties.sections } : {}),
    })),
  };
}
