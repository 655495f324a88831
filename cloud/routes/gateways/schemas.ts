import { z } from 'zod';
import { EVENT_KINDS, Id, Metric } from '../../../protocol/index.js';
import { EVERY_PATTERN, parseTime } from './time-params.js';
import { pageQuery } from '../../http/paging.js';

/** Response and request schemas of /api/v1/gateways (also the OpenAPI document). */
const ms = z.number().int().describe('milliseconds since 1970-01-01 UTC');

export const LatestValue = z.object({
  sensor: z.string(),
  metric: z.string(),
  unit: z.string(),
  value: z.number().nullable(),
  quality: z.enum(['good', 'bad']),
  ts: ms,
  fault: z
    .string()
    .optional()
    .describe("a bad reading's fault kind: timeout, crc, exception, out_of_range, stale, unit_id, disconnected"),
});

const UnitRef = z.object({ id: z.string(), name: z.string(), level: z.string() });

export const GatewaySummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  farm: z.object({ id: z.string(), name: z.string(), areaHa: z.number().nullable() }).nullable(),
  commune: UnitRef.nullable(),
  online: z.boolean(),
  onlineChangedAt: ms.nullable(),
  lastSeen: ms.nullable(),
  lastSeq: z.number().int().nullable(),
  bootId: z.string().nullable(),
  fw: z.string().nullable(),
  seqGaps: z
    .number()
    .int()
    .describe('telemetry messages missing now in the current boot (seq tracker; closes when a backlog arrives)'),
  seqDups: z.number().int().describe('telemetry messages received twice in the current boot (real re-deliveries only)'),
  seq: z
    .object({ bootId: z.string(), received: z.number().int(), missing: z.number().int(), duplicates: z.number().int() })
    .nullable()
    .describe(
      'seq accounting of the current boot as this cloud instance saw it; null before its first telemetry. Details: /api/v1/gateways/:id/seq',
    ),
  desiredConfigVersion: z.number().int().nullable(),
  appliedConfigVersion: z.number().int().nullable(),
  latest: z
    .array(LatestValue)
    .nullable()
    .describe('latest value per sensor and metric; null when the telemetry store did not answer'),
});

export const EventsOut = z.array(
  z.object({
    ts: ms,
    kind: z.enum(EVENT_KINDS),
    severity: z.string(),
    reason: z.string(),
    zone: z.string().optional(),
    valve: z.string().optional(),
    sensor: z.string().optional(),
  }),
);

export const GatewayDetail = GatewaySummary.extend({
  units: z.array(UnitRef).describe('administrative units above the farm, nearest first'),
  inventory: z
    .object({
      sensors: z.array(z.object({ sensor: z.string(), metric: z.string(), unit: z.string() })),
      valves: z.array(z.object({ valve: z.string(), kind: z.string() })),
    })
    .nullable(),
  events: EventsOut.describe('the 20 most recent events, newest first'),
});

export const GatewayParams = z.object({ id: Id.describe('gateway id') });

export const ListQuery = pageQuery(500);

const time = (name: string) =>
  z
    .string()
    .refine((s) => parseTime(s) !== null, {
      message: `${name} must be an ISO 8601 time like 2026-11-28T07:00:00+07:00, or milliseconds since 1970, between 1970 and 2100`,
      params: { code: 'time_invalid' },
    })
    .optional()
    .describe(
      `${name === 'from' ? 'start (inclusive), default: to − 24 h' : 'end (exclusive), default: now'}; ISO 8601 or ms since 1970`,
    );

export const ReadingsQuery = z.object({
  metric: Metric.optional().describe('one metric, e.g. water_level; default: all'),
  sensor: Id.optional().describe('one sensor id; default: all'),
  from: time('from'),
  to: time('to'),
  every: z
    .string()
    .regex(EVERY_PATTERN, 'every must be a count and a unit: 30s, 5m, 1h or 1d')
    .optional()
    .describe('bucket width (mean/min/max per bucket); default: chosen to give about 300 points'),
});

export const SeriesOut = z.object({
  sensor: z.string(),
  metric: z.string(),
  unit: z.string(),
  points: z.array(
    z.object({
      ts: ms,
      mean: z.number().nullable(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      count: z.number().int(),
    }),
  ),
});

export const ReadingsOut = z.object({
  gatewayId: z.string(),
  from: ms,
  to: ms,
  every: z.string(),
  everyMs: z.number().int(),
  series: z.array(SeriesOut),
});
