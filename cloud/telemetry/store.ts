import type { Reading } from '../../protocol/index.js';
import { RuongSoError } from '../../lib/errors.js';

/**
 * Telemetry store port. Adapters: SQLite (embedded default) and InfluxDB (1.x and 2.x).
 * One shared test suite (test/support/store-contract.ts) runs against every adapter.
 *
 * A point's identity is (gateway, sensor, metric, ts): writing it again overwrites, never doubles.
 */
export interface StoredReading extends Reading {
  gatewayId: string;
}

export type Aggregate = 'mean' | 'min' | 'max' | 'last' | 'count';

export interface RangeQuery {
  gatewayId: string;
  metric?: string;
  sensor?: string;
  /** ms epoch, inclusive */
  from: number;
  /** ms epoch, exclusive */
  to: number;
  /** bucket width in ms; absent = raw points */
  everyMs?: number;
}

/**
 * Aggregates (and raw points) cover readings of quality 'good' only; 'bad' readings are stored
 * with their fault and show in latest(). Buckets start at multiples of everyMs since the epoch;
 * empty buckets are left out. Without everyMs each point has mean = min = max = value, count 1.
 */
export interface SeriesPoint {
  ts: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export interface Series {
  gatewayId: string;
  sensor: string;
  metric: string;
  unit: string;
  points: SeriesPoint[];
}

export interface LatestReading {
  gatewayId: string;
  sensor: string;
  metric: string;
  unit: string;
  value: number | null;
  quality: 'good' | 'bad';
  ts: number;
  /** a bad reading's fault kind (timeout, crc, out_of_range, …) */
  fault?: string;
}

export interface StoreHealth {
  ok: boolean;
  kind: string;
  detail?: string;
}

export interface WriteResult {
  /** points the store accepted */
  written: number;
  /** points the store refused for good (e.g. a field type conflict); retrying cannot help */
  rejected: number;
  /** the store's own words about the refused points (InfluxDB names the bad line) */
  rejectedDetail?: string;
}

export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_REJECTED' | 'STORE_QUERY' | 'STORE_CONFIG';

export class StoreError extends RuongSoError<StoreErrorCode> {}

export interface TelemetryStore {
  readonly kind: 'sqlite' | 'influx';
  init(): Promise<void>;
  /**
   * Durably stores a batch (after the adapter's own bounded retries), or throws a StoreError
   * `STORE_UNAVAILABLE` — then nothing of the batch may be counted as stored and the caller
   * spools it. Points refused for good are reported in the result, never thrown.
   */
  write(points: StoredReading[]): Promise<WriteResult>;
  query(q: RangeQuery): Promise<Series[]>;
  latest(gatewayId: string): Promise<LatestReading[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
