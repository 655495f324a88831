import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { ZoneWeather } from './weather-rules.js';

/**
 * ruongso/v1/gw/{id}/config — retained, cloud → edge. What a farmer or technician sets:
 * zones, their mode and thresholds. Hardware (buses, devices, coils) stays in the gateway's
 * local file; zones refer to its sensor and valve ids.
 */

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time as HH:MM, 00:00–23:59');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');

export const SensorRef = z.object({ sensor: Id, metric: z.string().min(1) });
export type SensorRef = z.infer<typeof SensorRef>;

export const TimeWindow = z.object({
  /** 0 = Sunday … 6 = Saturday; empty = every day */
  days: z.array(z.number().int().min(0).max(6)).max(7).default([]),
  start: HHMM,
  end: HHMM,
});
export type TimeWindow = z.infer<typeof TimeWindow>;

export const KeepFlooded = z
  .object({
    from: IsoDate,
    to: IsoDate,
    minCm: z.number().min(-30).max(30),
    maxCm: z.number().min(-30).max(30),
  })
  .refine((k) => k.minCm < k.maxCm, { message: 'minCm must be below maxCm', path: ['minCm'] })
  .refine((k) => k.from <= k.to, { message: '"from" must not be after "to"', path: ['from'] });

export const AwdSettings = z
  .object({
    // re-flood at −15 cm, flood to +5 cm: IRRI "safe AWD"
    refloodCm: z.number().min(-40).max(0).default(-15),
    targetCm: z.number().min(0).max(20).default(5),
    /** e.g. one week before to one week after flowering */
    keepFlooded: z.array(KeepFlooded).max(10).default([]),
  })
  .refine((a) => a.refloodCm < a.targetCm, { message: 'refloodCm must be below targetCm', path: ['refloodCm'] });

export const ThresholdSettings = z
  .object({
    refillPct: z.number().min(0).max(100),
    fieldCapacityPct: z.number().min(0).max(100),
    minOffMinutes: z
      .number()
      .min(0)
      .max(24 * 60)
      .default(30),
  })
  .refine((t) => t.refillPct < t.fieldCapacityPct, {
    message: 'refillPct must be below fieldCapacityPct',
    path: ['refillPct'],
  });

export const ScheduleSettings = z.object({
  windows: z.array(TimeWindow).max(50),
  /** irrigate: run inside the windows; allow: other modes may only irrigate inside them */
  use: z.enum(['irrigate', 'allow']).default('irrigate'),
});

/** the metric each sensor role of a zone reads (canonical units: cm, %VWC, ppt) */
export const ROLE_METRICS = {
  waterLevel: 'water_level',
  soilMoisture: 'soil_moisture',
  intakeSalinity: 'salinity',
} as const;

export const ZoneMode = z.enum(['awd', 'threshold', 'schedule', 'off']);
export type ZoneMode = z.infer<typeof ZoneMode>;

export const Zone = z
  .object({
    id: Id,
    name: z.string().max(100).optional(),
    mode: ZoneMode,
    /** valves this zone opens (ids of the gateway's actuators) */
    valves: z.array(Id).min(1, 'a zone needs at least one valve').max(32),
    /** the valve that lets canal water in (salinity interlock applies to it) */
    intakeValve: Id.optional(),
    pump: Id.optional(),
    sensors: z
      .object({
        waterLevel: SensorRef.optional(),
        soilMoisture: SensorRef.optional(),
        intakeSalinity: SensorRef.optional(),
      })
      .default({}),
    awd: AwdSettings.optional(),
    threshold: ThresholdSettings.optional(),
    schedule: ScheduleSettings.optional(),
    /** ‰ (g/L); rice grows normally below ~3 g/L */
    salinityLimitPpt: z.number().min(0).max(40).default(2),
    maxRunMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(120),
    /** a reading older than this is unknown */
    staleAfterSeconds: z.number().int().min(10).max(86400).default(300),
    areaHa: z.number().positive().max(10000).optional(),
    /** design flow through this zone's valves, for water accounting */
    flowM3PerHour: z.number().positive().max(100000).optional(),
    /** rain and forecast skips, crop ET budget (weather-rules.ts, edge/weather/README.md); they only ever keep water off */
    weather: ZoneWeather.optional(),
  })
  .superRefine((zone, ctx) => {
    const need = (cond: unknown, path: string, message: string) => {
      if (!cond) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (zone.mode === 'awd') {
      need(zone.awd, 'awd', 'AWD mode needs awd settings (refloodCm, targetCm)');
      need(zone.sensors.waterLevel, 'sensors', 'AWD mode needs a water-level sensor');
    }
    if (zone.mode === 'threshold') {
      need(zone.threshold, 'threshold', 'threshold mode needs refillPct and fieldCapacityPct');
      need(zone.sensors.soilMoisture, 'sensors', 'threshold mode needs a soil-moisture sensor');
    }
    if (zone.mode === 'schedule') need(zone.schedule, 'schedule', 'schedule mode needs schedule windows');
    // each role's thresholds are in one unit: a role fed another metric (soil_salinity in mg/L as
    // intake salinity in ‰, say) would mislead the loop
    for (const [role, metric] of Object.entries(ROLE_METRICS)) {
      const ref = zone.sensors[role as keyof typeof ROLE_METRICS];
      if (ref && ref.metric !== metric)
        ctx.addIssue({
          code: 'custom',
          path: ['sensors', role, 'metric'],
          message: `sensors.${role} must read metric ${metric}, not ${ref.metric}`,
        });
    }
    if (zone.intakeValve && !zone.valves.includes(zone.intakeValve)) {
      ctx.addIssue({
        code: 'custom',
        path: ['intakeValve'],
        message: `intake valve "${zone.intakeValve}" is not one of the zone's valves`,
      });
    }
  });
export type Zone = z.infer<typeof Zone>;

export const PumpRule = z.object({
  pump: Id,
  valves: z.array(Id).min(1),
  /** at most this many of its valves open at once */
  maxOpenValves: z.number().int().min(1).max(32).default(4),
});

export const GatewayConfig = z
  .object({
    version: z.number().int().min(1),
    issuedAt: Timestamp.optional(),
    issuedBy: z.string().max(64).optional(),
    timezone: z.string().default('Asia/Ho_Chi_Minh'),
    zones: z.array(Zone).max(64),
    pumps: z.array(PumpRule).max(16).default([]),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.zones.forEach((z, i) => {
      if (seen.has(z.id))
        ctx.addIssue({ code: 'custom', path: ['zones', i, 'id'], message: `zone id "${z.id}" is used twice` });
      seen.add(z.id);
    });
  });
export type GatewayConfig = z.infer<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;
