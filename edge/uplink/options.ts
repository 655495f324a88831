import { z } from 'zod';
import { Id, Inventory } from '../../protocol/index.js';
import { MAX_READINGS_PER_MESSAGE } from '../../protocol/index.js';
import type { Clock } from '../../lib/time.js';
import type { Logger } from '../../lib/log.js';
import { issueSummary } from '../../lib/zod-issues.js';
import { UplinkError } from './errors.js';
import type { StatFs } from './disk-guard.js';

// 7 days × 24 h × 60 min × 32 sensors, one reading per sensor per minute
export const SEVEN_DAYS_OF_32_SENSORS = 7 * 24 * 60 * 32;

// 16 MiB for logs and the gateway's own state; ~180 B per reading measured on the queue (JSON + SQLite + WAL)
export const DEFAULT_RESERVE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_BYTES_PER_READING = 180;

export const UplinkSettings = z.object({
  gatewayId: Id,
  /** mqtt://host:1883, mqtts://…, ws://… */
  url: z.string().min(1),
  username: z.string().optional(),
  password: z.string().optional(),
  /** where the queue lives: a directory on persistent storage */
  dataDir: z.string().min(1),
  /** firmware / software version sent in the birth message */
  fw: z.string().max(64),
  batch: z
    .object({
      /** a telemetry message closes at this many readings… */
      maxReadings: z.number().int().min(1).max(MAX_READINGS_PER_MESSAGE).default(500),
      /** …or this long after its first reading, whichever comes first (only while connected) */
      maxDelayMs: z.number().int().min(0).default(5000),
    })
    .default({ maxReadings: 500, maxDelayMs: 5000 }),
  queue: z
    .object({
      /** bound of the on-disk queue in readings (events and acks count one each) */
      capacityReadings: z.number().int().min(1).default(SEVEN_DAYS_OF_32_SENSORS),
      /** backlog messages sent per second after a reconnect; fresh data is not capped */
      drainPerSecond: z.number().positive().default(5),
      /** messages awaiting PUBACK at once */
      maxInflight: z.number().int().min(1).max(1000).default(32),
      /** at most one queue_dropped event per this interval (drops in between are summed) */
      dropReportIntervalMs: z.number().int().min(0).default(60_000),
      /** bytes always left free on the data directory's file system; the queue shrinks to fit the rest */
      reserveBytes: z.number().int().min(0).default(DEFAULT_RESERVE_BYTES),
      /** bytes one queued reading takes on disk, to turn free space into a capacity */
      bytesPerReading: z.number().int().min(16).default(DEFAULT_BYTES_PER_READING),
      /** how often free space is checked (statfs) */
      diskCheckMs: z.number().int().min(100).default(30_000),
    })
    .default({
      capacityReadings: SEVEN_DAYS_OF_32_SENSORS,
      drainPerSecond: 5,
      maxInflight: 32,
      dropReportIntervalMs: 60_000,
      reserveBytes: DEFAULT_RESERVE_BYTES,
      bytesPerReading: DEFAULT_BYTES_PER_READING,
      diskCheckMs: 30_000,
    }),
  reconnect: z
    .object({
      minMs: z.number().int().min(10).default(500),
      // ≤ 5 s: gateways are back within 5 s of the broker's return
      maxMs: z.number().int().min(10).default(5000),
    })
    .default({ minMs: 500, maxMs: 5000 }),
  keepaliveSeconds: z.number().int().min(5).max(3600).default(30),
  /**
   * Sparkplug-B-style host state: send queued messages only while an ingest host's retained
   * state (ruongso/v1/host/+/state) says online, and keep them on disk otherwise — a broker
   * that restarts while the cloud is down would acknowledge and drop them.
   */
  host: z
    .object({
      /** false: send whenever connected (a broker with no cloud behind it, e.g. tests of the edge alone) */
      required: z.boolean().default(true),
      /** after a reconnect, how long a host's retained "online" is trusted before a fresh one arrives */
      graceMs: z.number().int().min(0).default(3000),
    })
    .default({ required: true, graceMs: 3000 }),
  inventory: Inventory.optional(),
  /** the config version the gateway has applied and persisted (sent in the birth) */
  configVersion: z.number().int().nonnegative().default(0),
});
export type UplinkSettings = z.infer<typeof UplinkSettings>;

export type UplinkOptions = z.input<typeof UplinkSettings> & { clock?: Clock; log?: Logger; statfs?: StatFs };

export function parseUplinkOptions(opts: UplinkOptions): UplinkSettings {
  const { clock: _c, log: _l, statfs: _s, ...rest } = opts;
  const r = UplinkSettings.safeParse(rest);
  if (!r.success) {
    throw new UplinkError('UPLINK_OPTIONS_INVALID', `uplink options are invalid: ${issueSummary(r.error, Infinity)}`);
  }
  return r.data;
}
