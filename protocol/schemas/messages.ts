import { z } from 'zod';
import { BootId, Id, Seq, Timestamp } from './common.js';

export const Metric = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'metric: snake_case, e.g. water_level');

/** One sensor value. `quality: 'bad'` carries a fault instead of trusting the value. */
export const Reading = z
  .object({
    sensor: Id,
    metric: Metric,
    value: z.number().finite('value must be a finite number').nullable(),
    unit: z.string().max(16),
    ts: Timestamp,
    quality: z.enum(['good', 'bad']).default('good'),
    fault: z.enum(['timeout', 'crc', 'exception', 'out_of_range', 'stale', 'unit_id', 'disconnected']).optional(),
  })
  .refine((r) => r.quality === 'bad' || r.value !== null, { message: 'a good reading needs a value', path: ['value'] });
export type Reading = z.infer<typeof Reading>;

export const MAX_READINGS_PER_MESSAGE = 5000;

/** ruongso/v1/gw/{id}/telemetry — seq grows by one per message within a bootId. */
export const Telemetry = z.object({
  bootId: BootId,
  seq: Seq,
  ts: Timestamp.optional(),
  readings: z.array(Reading).min(1, 'telemetry needs at least one reading').max(MAX_READINGS_PER_MESSAGE),
});
export type Telemetry = z.infer<typeof Telemetry>;

/** A gateway's hardware inventory, sent with its birth so the cloud can offer zones and valves. */
export const MAX_INVENTORY_SENSORS = 512;
export const MAX_INVENTORY_VALVES = 256;
export const Inventory = z.object({
  sensors: z
    .array(z.object({ sensor: Id, metric: z.string().max(64), unit: z.string().max(16) }))
    .max(MAX_INVENTORY_SENSORS)
    .default([]),
  valves: z
    .array(z.object({ valve: Id, kind: z.enum(['valve', 'intake', 'pump']).default('valve') }))
    .max(MAX_INVENTORY_VALVES)
    .default([]),
});

/** ruongso/v1/gw/{id}/state, retained. Birth: online true; last will: online false. */
export const GatewayState = z.object({
  online: z.boolean(),
  bootId: BootId.optional(),
  fw: z.string().max(64).optional(),
  ts: Timestamp.optional(),
  configVersion: z.number().int().nonnegative().optional(),
  inventory: Inventory.optional(),
  /** codes of what the gateway cannot do right now (e.g. `disk_full`); absent or empty = healthy */
  degraded: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/))
    .max(16)
    .optional(),
});
export type GatewayState = z.infer<typeof GatewayState>;

export const EVENT_KINDS = [
  'valve_opened',
  'valve_closed',
  'pump_on',
  'pump_off',
  'blocked',
  'interlock',
  'max_run_time',
  'sensor_fault',
  'sensor_recovered',
  'alarm',
  'queue_dropped',
  'config_applied',
  'config_rejected',
  'cmd_executed',
  'cmd_rejected',
  'started',
] as const;
export const EventKind = z.enum(EVENT_KINDS);

export const MAX_EVENT_DATA_KEYS = 32;

/** ruongso/v1/gw/{id}/event — every decision with its reason, faults and alarms. */
export const GatewayEvent = z.object({
  bootId: BootId,
  seq: Seq.optional(),
  ts: Timestamp,
  kind: EventKind,
  /**
   * stable snake_case reason code, its parameters in `data` (listed in edge/README.md "Event
   * codes"); what the web app translates. Every gateway of this version sends it; optional only
   * so events queued by older gateways are still accepted.
   */
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'code: snake_case, e.g. salinity_interlock')
    .optional(),
  zone: Id.optional(),
  valve: Id.optional(),
  sensor: Id.optional(),
  severity: z.enum(['info', 'warning', 'critical']).default('info'),
  /** person-readable reason, e.g. "blocked: intake salinity 3.4‰ > 2.0‰" */
  reason: z.string().min(1).max(500),
  data: z
    .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
    .refine((d) => Object.keys(d).length <= MAX_EVENT_DATA_KEYS, {
      message: `event data holds at most ${MAX_EVENT_DATA_KEYS} keys`,
    })
    .optional(),
});
export type GatewayEvent = z.infer<typeof GatewayEvent>;

/** ruongso/v1/gw/{id}/cmd — executed at most once, never after expiresAt. */
export const Command = z
  .discriminatedUnion('kind', [
    z.object({
      id: z.string().min(1).max(64),
      kind: z.literal('open'),
      zone: Id.optional(),
      valve: Id.optional(),
      minutes: z
        .number()
        .positive()
        .max(24 * 60),
      issuedAt: Timestamp,
      expiresAt: Timestamp,
      by: z.string().max(64).optional(),
    }),
    z.object({
      id: z.string().min(1).max(64),
      kind: z.literal('close'),
      zone: Id.optional(),
      valve: Id.optional(),
      issuedAt: Timestamp,
      expiresAt: Timestamp,
      by: z.string().max(64).optional(),
    }),
    z.object({
      id: z.string().min(1).max(64),
      kind: z.literal('stop-all'),
      issuedAt: Timestamp,
      expiresAt: Timestamp,
      by: z.string().max(64).optional(),
    }),
    /** ends the manual holds (open or close) of a valve, a zone, or — naming neither — every valve: automatic decides again */
    z.object({
      id: z.string().min(1).max(64),
      kind: z.literal('resume'),
      zone: Id.optional(),
      valve: Id.optional(),
      issuedAt: Timestamp,
      expiresAt: Timestamp,
      by: z.string().max(64).optional(),
    }),
  ])
  .superRefine((c, ctx) => {
    if ((c.kind === 'open' || c.kind === 'close') && !c.zone && !c.valve) {
      ctx.addIssue({ code: 'custom', message: `${c.kind} needs a zone or a valve`, path: ['valve'] });
    }
    if (c.expiresAt <= c.issuedAt)
      ctx.addIssue({ code: 'custom', message: 'expiresAt must be after issuedAt', path: ['expiresAt'] });
  });
export type Command = z.infer<typeof Command>;

/** ruongso/v1/gw/{id}/cmd/ack */
export const CommandAck = z.object({
  id: z.string().min(1).max(64),
  outcome: z.enum(['done', 'rejected', 'expired', 'duplicate']),
  reason: z.string().max(500).optional(),
  ts: Timestamp,
});
export type CommandAck = z.infer<typeof CommandAck>;

/** ruongso/v1/gw/{id}/config/ack — applied, or rejected with reasons (the old config stays). */
export const ConfigAck = z.object({
  version: z.number().int().nonnegative(),
  status: z.enum(['applied', 'rejected']),
  reasons: z.array(z.string().max(500)).max(100).optional(),
  ts: Timestamp,
});
export type ConfigAck = z.infer<typeof ConfigAck>;

/**
 * ruongso/v1/host/{hostId}/state, retained, published by the cloud's ingest (Sparkplug B's
 * primary host STATE): online true at connect, false as its last will and on a clean stop.
 * A gateway sends telemetry only while its ingest host says online.
 */
export const HostState = z.object({
  online: z.boolean(),
  ts: Timestamp,
  /**
   * one per host connection, shared by its "online" and its last will (Sparkplug's bdSeq): a
   * will of that connection counts; an older connection's will arriving late (ts older) does not
   */
  session: z.string().min(1).max(64).optional(),
});
export type HostState = z.infer<typeof HostState>;
