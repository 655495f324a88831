import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/** GeoJSON position [lon, lat] (WGS84), optional altitude. */
const Position = z
  .array(z.number())
  .min(2)
  .max(3)
  .refine((p) => Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90, {
    message: 'position must be [lon, lat] in degrees',
  });
/** A closed ring: first position repeated last, so at least 4. */
const Ring = z.array(Position).min(4, 'a polygon ring needs at least 4 positions (closed)');

export const FieldGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);
export type FieldGeometry = z.infer<typeof FieldGeometry>;

export const MISSION_STATUSES = ['planned', 'approved', 'flying', 'done', 'cancelled'] as const;

/**
 * ruongso/v1/mission/{missionId}/status — cloud → anyone, QoS 1. Published when a spray
 * mission changes status; neighbour notices (bees, fish and shrimp ponds) hang on `approved`.
 */
export const MissionStatus = z.object({
  missionId: Id,
  status: z.enum(MISSION_STATUSES),
  ts: Timestamp,
  fieldName: z.string().max(100).optional(),
  farmId: Id.optional(),
  /** the sprayed field boundary */
  field: FieldGeometry,
  product: z.string().max(100).optional(),
  /** planned spray window */
  window: z
    .object({ start: Timestamp, end: Timestamp })
    .refine((w) => w.end > w.start, { message: 'window end must be after its start', path: ['end'] }),
  by: z.string().max(64).optional(),
});
export type MissionStatus = z.infer<typeof MissionStatus>;
