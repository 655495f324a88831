import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { GatewayConfig, Id } from '../protocol/index.js';
import { issueSummary } from '../lib/zod-issues.js';
import { GatewayError } from './errors.js';
import { WeatherFileConfig } from './weather/config.js';

/**
 * The gateway's local file (YAML or JSON): who it is, where its broker and disk are, its Modbus
 * buses, devices and actuators — the hardware, which stays on site — and optionally the zone
 * config it runs until the cloud sends one. examples/gateway.yaml documents every key.
 */
const Bus = z
  .object({
    id: z.string().min(1).max(64),
    /** tcp://host:port or rtu:///dev/ttyUSB0?baud=9600&parity=none */
    url: z.string().min(1),
    timeoutMs: z.number().int().min(50).max(60_000).default(1000),
    retries: z.number().int().min(0).max(10).default(1),
  })
  .strict();

const Device = z
  .object({
    id: Id,
    bus: z.string().min(1),
    unitId: z.number().int().min(1, 'unitId must be 1–247').max(247, 'unitId must be 1–247').default(1),
    /** a shipped profile name (edge/profiles/*.yaml) or a path to your own, relative to this file */
    profile: z.string().min(1),
    /** default: the profile's pollSeconds */
    pollSeconds: z.number().min(1).max(86_400).optional(),
    /** false for boards that only have coils (relay boards): nothing to poll */
    poll: z.boolean().default(true),
    /**
     * coils (names or 0-based addresses) of this board that start and stop leave alone; every other
     * coil of the board's profile is commanded off then, actuator or not
     */
    exemptCoils: z
      .array(z.union([z.number().int().min(0).max(0xffff), z.string().min(1)]))
      .max(256)
      .default([]),
  })
  .strict();

const Actuator = z
  .object({
    id: Id,
    kind: z.enum(['valve', 'intake', 'pump']).default('valve'),
    /** the relay board device this actuator is wired to */
    device: Id,
    /** 0-based coil address, or the coil's name in the board's profile (e.g. relay5) */
    coil: z.union([z.number().int().min(0).max(0xffff), z.string().min(1)]),
  })
  .strict();

const Loop = z
  .object({
    /** the loop also steps on this timer, not only when readings arrive (timers, max run, staleness) */
    intervalMs: z.number().int().min(100).max(60_000).default(1000),
    lockoutMinutes: z
      .number()
      .min(0)
      .max(24 * 60)
      .default(30),
    closeHoldMinutes: z
      .number()
      .min(0)
      .max(7 * 24 * 60)
      .default(60),
    stopAllHoldMinutes: z
      .number()
      .min(0)
      .max(7 * 24 * 60)
      .default(12 * 60),
    /** closing everything (start, stop, errors): pumps off first, then this long before the valves close */
    pumpStopDelayMs: z.number().int().min(0).max(60_000).default(1000),
  })
  .strict();

/** the local control endpoint (edge/local-control.ts): loopback only, it has no authentication */
const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/;
export const LOCAL_CONTROL_DEFAULT = { host: '127.0.0.1', port: 8787 } as const;
const Local = z.union([
  z.literal(false),
  z
    .object({
      host: z
        .string()
        .regex(
          LOOPBACK,
          'local.host must be a loopback address (127.0.0.1, ::1 or localhost): the endpoint has no authentication',
        )
        .default(LOCAL_CONTROL_DEFAULT.host),
      port: z.number().int().min(1).max(65_535).default(LOCAL_CONTROL_DEFAULT.port),
    })
    .strict(),
]);

export const GatewayFileSchema = z
  .object({
    gatewayId: Id,
    mqtt: z
      .object({
        url: z.string().regex(/^(mqtts?|wss?|tcp):\/\//, 'mqtt.url must start with mqtt://, mqtts://, ws:// or wss://'),
        username: z.string().optional(),
        /** or the environment variable RUONGSO_MQTT_PASSWORD */
        password: z.string().optional(),
      })
      .strict(),
    /** last applied config, loop state and the uplink queue; relative to this file */
    dataDir: z.string().min(1).default('./data'),
    buses: z.array(Bus).min(1, 'at least one bus'),
    devices: z.array(Device).default([]),
    actuators: z.array(Actuator).default([]),
    /** zones to run until the cloud sends a config (and after, if the cloud never does) */
    initialConfig: GatewayConfig.optional(),
    loop: Loop.default({
      intervalMs: 1000,
      lockoutMinutes: 30,
      closeHoldMinutes: 60,
      stopAllHoldMinutes: 720,
      pumpStopDelayMs: 1000,
    }),
    /** telemetry batching: a message closes at this many readings or this long after its first */
    telemetry: z
      .object({
        maxReadings: z.number().int().min(1).max(5000).default(500),
        maxDelayMs: z.number().int().min(0).default(5000),
      })
      .strict()
      .default({ maxReadings: 500, maxDelayMs: 5000 }),
    /** the uplink's disk queue (edge/uplink/README.md): its bound, and how much disk it leaves free */
    queue: z
      .object({
        capacityReadings: z.number().int().min(1).optional(),
        reserveBytes: z.number().int().min(0).optional(),
        bytesPerReading: z.number().int().min(16).optional(),
      })
      .strict()
      .optional(),
    /** local control endpoint for people on site (`ruongso gateway cmd …`); false turns it off */
    local: Local.default({ ...LOCAL_CONTROL_DEFAULT }),
    /** the site and its forecast source for the zones' weather rules (edge/weather/README.md); none = no weather rules */
    weather: WeatherFileConfig.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const issue = (p: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: p, message });
    const dup = (list: { id: string }[], key: string) => {
      const seen = new Set<string>();
      list.forEach((x, i) => {
        if (seen.has(x.id)) issue([key, i, 'id'], `id "${x.id}" is used twice`);
        seen.add(x.id);
      });
    };
    dup(f.buses, 'buses');
    dup(f.devices, 'devices');
    dup(f.actuators, 'actuators');
    const buses = new Set(f.buses.map((b) => b.id));
    f.devices.forEach((d, i) => {
      if (!buses.has(d.bus)) issue(['devices', i, 'bus'], `no bus "${d.bus}"; buses: ${[...buses].join(', ')}`);
    });
    const devices = new Set(f.devices.map((d) => d.id));
    f.actuators.forEach((a, i) => {
      if (!devices.has(a.device)) issue(['actuators', i, 'device'], `no device "${a.device}"`);
    });
    if (f.initialConfig) {
      for (const reason of zonesAgainstHardware(f.initialConfig, hardwareOf(f))) issue(['initialConfig'], reason);
    }
  });
export type GatewayFile = z.infer<typeof GatewayFileSchema>;

/** What a zone config may refer to: the sensors and actuators this gateway really has. */
export interface Hardware {
  sensors: Set<string>;
  actuators: Map<string, 'valve' | 'intake' | 'pump'>;
}

export function hardwareOf(f: Pick<GatewayFile, 'devices' | 'actuators'>): Hardware {
  return {
    sensors: new Set(f.devices.filter((d) => d.poll).map((d) => d.id)),
    actuators: new Map(f.actuators.map((a) => [a.id, a.kind])),
  };
}

/**
 * Reasons a (schema-valid) zone config cannot run on this hardware; empty = it can.
 * The cloud's config is rejected with these, and the old one stays in force.
 */
export function zonesAgainstHardware(cfg: GatewayConfig, hw: Hardware): string[] {
  const out: string[] = [];
  const owner = new Map<string, string>();
  for (const z of cfg.zones) {
    for (const v of z.valves) {
      const kind = hw.actuators.get(v);
      if (!kind) out.push(`zone ${z.id}: no actuator "${v}" on this gateway`);
      else if (kind === 'pump') out.push(`zone ${z.id}: "${v}" is a pump, not a valve`);
      const other = owner.get(v);
      if (other) out.push(`zone ${z.id}: valve "${v}" already belongs to zone ${other}`);
      owner.set(v, z.id);
    }
    if (z.pump && hw.actuators.get(z.pump) !== 'pump')
      out.push(`zone ${z.id}: pump "${z.pump}" is not a pump actuator on this gateway`);
    for (const [role, ref] of Object.entries(z.sensors)) {
      if (ref && !hw.sensors.has(ref.sensor))
        out.push(`zone ${z.id}: sensors.${role}: no sensor device "${ref.sensor}" on this gateway`);
    }
    const gauge = z.weather?.measuredRain?.sensor;
    if (gauge && !hw.sensors.has(gauge))
      out.push(`zone ${z.id}: weather.measuredRain.sensor: no sensor device "${gauge}" on this gateway`);
    if (z.intakeValve && !z.sensors.intakeSalinity)
      out.push(`zone ${z.id}: intake valve "${z.intakeValve}" needs sensors.intakeSalinity (salinity interlock)`);
  }
  cfg.pumps.forEach((p, i) => {
    if (hw.actuators.get(p.pump) !== 'pump') out.push(`pumps.${i}: "${p.pump}" is not a pump actuator on this gateway`);
    for (const v of p.valves) if (!hw.actuators.has(v)) out.push(`pumps.${i}: no actuator "${v}" on this gateway`);
  });
  return out;
}

/** Parses an already-read object; relative paths are resolved against `baseDir`. */
export function parseGatewayFile(raw: unknown, source: string, baseDir: string, env = process.env): GatewayFile {
  const r = GatewayFileSchema.safeParse(raw);
  if (!r.success) {
    throw new GatewayError('GATEWAY_CONFIG_INVALID', `${source}: ${issueSummary(r.error, 10)}`, {
      cause: r.error,
    });
  }
  const f = r.data;
  const isPath = (p: string) => /[\\/]/.test(p) || /\.(ya?ml|json)$/i.test(p);
  return {
    ...f,
    mqtt: {
      ...f.mqtt,
      ...(f.mqtt.password === undefined && env.RUONGSO_MQTT_PASSWORD ? { password: env.RUONGSO_MQTT_PASSWORD } : {}),
    },
    dataDir: path.resolve(baseDir, f.dataDir),
    devices: f.devices.map((d) => (isPath(d.profile) ? { ...d, profile: path.resolve(baseDir, d.profile) } : d)),
  };
}

export function loadGatewayFile(file: string, env = process.env): GatewayFile {
  const abs = path.resolve(file);
  if (!existsSync(abs))
    throw new GatewayError(
      'GATEWAY_CONFIG_NOT_FOUND',
      `gateway config ${abs} does not exist (see examples/gateway.yaml)`,
    );
  let raw: unknown;
  try {
    // YAML is a superset of JSON: one parser for both
    raw = YAML.parse(readFileSync(abs, 'utf8'));
  } catch (err) {
    throw new GatewayError('GATEWAY_CONFIG_INVALID', `${abs} is not valid YAML/JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseGatewayFile(raw, abs, path.dirname(abs), env);
}
