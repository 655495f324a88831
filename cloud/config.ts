import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { RuongSoError } from '../lib/errors.js';
import { issueSummary } from '../lib/zod-issues.js';
import { DEFAULT_TILE_URL } from './http/tiles.js';

/**
 * The one cloud configuration: environment variables over an optional file (RUONGSO_CONFIG,
 * JSON or YAML, same keys as the env names), validated at start. Each key carries its default
 * and description; the README table is this table.
 */
const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const url = (protocols: string[]) =>
  z.string().refine(
    (s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

export const CONFIG_KEYS = {
  PORT: { schema: port.default(8080), doc: 'HTTP port of the web app and API' },
  HOST: { schema: z.string().default('0.0.0.0'), doc: 'address the web app and API listen on' },
  PUBLIC_URL: { schema: z.string().optional(), doc: 'URL printed and used in links (default http://localhost:PORT)' },
  DATA_DIR: { schema: z.string().default('./data'), doc: 'where the SQLite file, spools and gateway state live' },
  MQTT_URL: {
    schema: url(['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:']).optional(),
    doc: 'external broker (e.g. mqtt://127.0.0.1:1883); unset = embedded Aedes broker',
  },
  MQTT_PORT: { schema: port.default(1883), doc: 'port of the embedded broker (when MQTT_URL is unset)' },
  MQTT_USERNAME: { schema: z.string().optional(), doc: 'cloud username on the broker' },
  MQTT_PASSWORD: { schema: z.string().optional(), doc: 'cloud password on the broker' },
  MQTT_SHARE_GROUP: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('ingest'),
    doc: 'shared-subscription group: cloud instances in one group split the ingest',
  },
  INFLUX_URL: { schema: url(['http:', 'https:']).optional(), doc: 'InfluxDB URL; unset = telemetry in SQLite' },
  INFLUX_TOKEN: { schema: z.string().optional(), doc: 'InfluxDB 2.x API token' },
  INFLUX_ORG: { schema: z.string().optional(), doc: 'InfluxDB 2.x organisation' },
  INFLUX_BUCKET: { schema: z.string().default('ruongso'), doc: 'InfluxDB 2.x bucket' },
  INFLUX_DB: { schema: z.string().default('ruongso'), doc: 'InfluxDB 1.x database (created if missing)' },
  INFLUX_USERNAME: { schema: z.string().optional(), doc: 'InfluxDB 1.x user' },
  INFLUX_PASSWORD: { schema: z.string().optional(), doc: 'InfluxDB 1.x password' },
  INFLUX_API: {
    schema: z.enum(['auto', 'v1', 'v2']).default('auto'),
    doc: 'InfluxDB API: auto-detected from /ping, or forced',
  },
  DATABASE_URL: {
    schema: url(['postgres:', 'postgresql:', 'sqlite:']).optional(),
    doc: 'registry database: postgres://… ; unset = SQLite file in DATA_DIR',
  },
  RUONGSO_MODE: {
    schema: z.enum(['demo', 'production']).default('production'),
    doc: 'production (default): no default or weak secrets, secure cookies, HSTS; demo: generated demo accounts (`ruongso demo` sets it)',
  },
  ADMIN_PASSWORD: {
    schema: z.string().optional(),
    doc: "production: the first admin's password (12+ characters, checked by the password policy; needed until an admin exists); demo: the demo accounts' password (default: generated per DATA_DIR)",
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'pino log level',
  },
  SPOOL_MAX_MB: {
    schema: z.coerce.number().positive().default(512),
    doc: 'disk spool for telemetry while the store is down',
  },
  TILE_URL: {
    schema: z
      .string()
      .refine((s) => s === '' || /^https?:\/\/[^/]+\//.test(s), {
        message: 'must be an http(s) tile template like https://tile.openstreetmap.org/{z}/{x}/{y}.png, or empty',
      })
      .default(DEFAULT_TILE_URL),
    doc: 'map tiles of the web app (Leaflet template); its host is allowed in the CSP; empty = plain background',
  },
  MISSION_CATALOG_FILE: {
    schema: z
      .string()
      .min(1)
      .refine((f) => fs.existsSync(f), { message: 'file does not exist' })
      .optional(),
    doc: "production: JSON file of the cooperative's drones and products for spray missions (cloud/missions/README.md); unset = none, nothing to plan with; demo: ignored (demo drones)",
  },
  TRUST_PROXY: { schema: bool.default(false), doc: 'trust X-Forwarded-* headers from a reverse proxy' },
} as const;

type Keys = typeof CONFIG_KEYS;
export type CloudConfig = { [K in keyof Keys]: z.output<Keys[K]['schema']> };

const schema = z.object(
  Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, v]) => [k, v.schema])) as {
    [K in keyof Keys]: Keys[K]['schema'];
  },
);

export class ConfigError extends RuongSoError<'CONFIG_INVALID' | 'CONFIG_FILE'> {}

/** Reads env (and the RUONGSO_CONFIG file); throws ConfigError naming each bad key. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof Keys, unknown>> = {},
): CloudConfig {
  let fromFile: Record<string, unknown> = {};
  const file = env.RUONGSO_CONFIG;
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (cause) {
      throw new ConfigError('CONFIG_FILE', `cannot read config file RUONGSO_CONFIG=${file}`, { cause });
    }
    try {
      fromFile =
        ((path.extname(file) === '.json' ? JSON.parse(text) : YAML.parse(text)) as Record<string, unknown> | null) ??
        {};
    } catch (cause) {
      throw new ConfigError(
        'CONFIG_FILE',
        `config file ${file} is not valid ${path.extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(cause as Error).message}`,
        { cause },
      );
    }
    const unknown = Object.keys(fromFile).filter((k) => !(k in CONFIG_KEYS));
    if (unknown.length)
      throw new ConfigError('CONFIG_INVALID', `config file ${file}: unknown key(s) ${unknown.join(', ')}`);
  }
  const raw: Record<string, unknown> = { ...fromFile };
  for (const key of Object.keys(CONFIG_KEYS)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  Object.assign(raw, Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const why = issueSummary(parsed.error, {
      max: Infinity,
      where: (i) => `${String(i.path[0])}=${JSON.stringify(raw[String(i.path[0])])}`,
    });
    throw new ConfigError('CONFIG_INVALID', `invalid configuration — ${why}`);
  }
  const cfg = parsed.data as CloudConfig;
  // the full password policy runs when the admin is created (cloud/auth/seed.ts); here the cheap part, at once
  if (
    cfg.RUONGSO_MODE === 'production' &&
    cfg.ADMIN_PASSWORD !== undefined &&
    (cfg.ADMIN_PASSWORD.length < 12 || /^(admin|password|demo|changeme)/i.test(cfg.ADMIN_PASSWORD))
  ) {
    throw new ConfigError(
      'CONFIG_INVALID',
      'ADMIN_PASSWORD: production mode needs a strong admin password (12+ characters, not a default)',
    );
  }
  return cfg;
}
