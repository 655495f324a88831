import { z } from 'zod';
import { BootId, Id, Seq, Timestamp } from './common.js';

/** One as-applied sample from a spray drone. */
export const AsAppliedSample = z.object({
  ts: Timestamp,
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  /** metres above take-off */
  alt: z.number().min(-100).max(1000),
  /** ground speed m/s */
  speed: z.number().min(0).max(60),
  flowLpm: z.number().min(0).max(100),
  spraying: z.boolean(),
  tankL: z.number().min(0).max(500),
  /** swath width in use, m */
  swathM: z.number().positive().max(50).optional(),
  /** open nozzle sections, left to right in the direction of flight (absent: the whole swath) */
  sections: z.array(z.boolean()).min(1).max(8).optional(),
});
export type AsAppliedSample = z.infer<typeof AsAppliedSample>;

/** ruongso/v1/drone/{droneId}/telemetry */
export const DroneTelemetry = z.object({
  bootId: BootId,
  seq: Seq,
  missionId: Id.optional(),
  sortie: z.number().int().min(1).optional(),
  samples: z.array(AsAppliedSample).min(1).max(1000),
});
export type DroneTelemetry = z.infer<typeof DroneTelemetry>;
