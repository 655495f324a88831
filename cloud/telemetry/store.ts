import type { Reading } from '../../protocol/index.js';

/**
 * Telemetry store port. Adapters: SQLite (embedded default) and InfluxDB (1.x and 2.x).
 * One shared test suite (store-contract.ts) runs against every adapter.
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
  /** default: mean, min and max per bucket */
}

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
}

export interface StoreHealth {
  ok: boolean;
  kind: string;
  detail?: string;
}

export interface TelemetryStore {
  readonly kind: 'sqlite' | 'influx';
  init(): Promise<void>;
  /** durably stores a batch, or throws (nothing of a failed batch is counted as stored) */
  write(points: StoredReading[]): Promise<void>;
  query(q: RangeQuery): Promise<Series[]>;
  latest(gatewayId: string): Promise<LatestReading[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
