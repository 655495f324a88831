import { z } from 'zod';
import { Alert } from '../alerts.js';
import { GatewayConfig, GatewayEvent, Command, Reading, Zone, PumpRule } from '../../../protocol/index.js';

export const GatewayParams = z.object({ id: z.string().min(1).max(64) });

export const ConfigRecordSchema = z.object({
  gatewayId: z.string(),
  version: z.number(),
  config: GatewayConfig,
  status: z.enum(['pending', 'applied', 'rejected']),
  reasons: z.array(z.string()),
  issuedAt: z.number(),
  issuedBy: z.string(),
  ackAt: z.number().optional(),
});

export const ConfigView = z.object({
  gatewayId: z.string(),
  /** the newest version issued, with its status on the gateway */
  desired: ConfigRecordSchema.nullable(),
  /** the newest version the gateway applied */
  appliedVersion: z.number().nullable(),
});

export const PutConfigBody = z.object({
  zones: z.array(Zone).max(64),
  pumps: z.array(PumpRule).max(16).optional(),
  timezone: z.string().max(64).optional(),
  /** the version the edit started from: a concurrent save answers 409 */
  baseVersion: z.number().int().min(0).optional(),
});

export const CommandBody = z
  .object({
    /** resume: the manual holds of a zone, a valve, or (naming neither) every valve end; automatic decides again */
    kind: z.enum(['open', 'close', 'stop-all', 'resume']),
    zone: z.string().max(64).optional(),
    valve: z.string().max(64).optional(),
    minutes: z
      .number()
      .positive()
      .max(24 * 60)
      .optional(),
    expiresInSeconds: z.number().int().min(10).max(3600).default(120),
  })
  .refine((c) => c.kind !== 'open' || c.minutes !== undefined, { message: 'open needs minutes', path: ['minutes'] })
  .refine((c) => c.kind === 'stop-all' || c.kind === 'resume' || c.zone || c.valve, {
    message: 'name a zone or a valve',
    path: ['valve'],
  });

export const CommandView = z.object({
  gatewayId: z.string(),
  command: Command,
  outcome: z.enum(['sent', 'done', 'rejected', 'expired', 'duplicate']),
  reason: z.string().optional(),
  ackAt: z.number().optional(),
});

export const LiveView = z.object({
  gatewayId: z.string(),
  online: z.boolean().nullable(),
  lastSeen: z.number().nullable(),
  readings: z.array(Reading),
  actuators: z.record(z.string(), z.boolean()),
  faults: z.record(z.string(), z.string()),
  /** codes of what the gateway reports it cannot do (e.g. disk_full); empty when healthy */
  degraded: z.array(z.string()),
});

const SeqGap = z.object({ from: z.number(), to: z.number() });
/** Per boot of a gateway: what this cloud instance received of its telemetry seqs. */
export const SeqView = z.object({
  gatewayId: z.string(),
  boots: z
    .array(
      z.object({
        bootId: z.string(),
        firstSeq: z.number(),
        lastSeq: z.number(),
        received: z.number(),
        /** real re-deliveries of a seq already received (not backlog arriving late) */
        duplicates: z.number(),
        /** seqs between firstSeq and lastSeq not received (yet): a backlog that arrives closes them */
        missing: z.number(),
        gaps: z.array(SeqGap).max(256),
        lastSeenAt: z.number(),
      }),
    )
    .max(3),
});

export const EventsView = z.object({ events: z.array(GatewayEvent) });

export const FarmView = z.object({
  id: z.string(),
  name: z.string(),
  commune: z.string(),
  cooperativeId: z.string(),
  gateways: z.array(z.object({ id: z.string(), online: z.boolean().nullable(), lastSeen: z.number().nullable() })),
});

/** The login's `start` (farmers): farms and the first gateway's view, as GET /api/v1/my/farms and the gateway routes answer them. */
export const StartView = z.object({
  farms: z.array(FarmView),
  gateway: z
    .object({
      id: z.string(),
      config: ConfigView,
      live: LiveView,
      events: z.array(GatewayEvent),
      alerts: z.array(Alert),
    })
    .nullable(),
});
export type StartView = z.infer<typeof StartView>;
