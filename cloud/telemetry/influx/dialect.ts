import type { LatestReading, RangeQuery, Series } from '../store.js';

/** What differs between InfluxDB 1.x (/write, InfluxQL) and 2.x (/api/v2/write, Flux). */
export interface InfluxDialect {
  readonly api: 'v1' | 'v2';
  /** v1: create the database if missing; v2: nothing (the bucket is provisioned) */
  prepare(): Promise<void>;
  /** one HTTP write of line protocol; resolves with what the server refused for good */
  writeLines(body: string): Promise<{ rejectedDetail?: string }>;
  query(q: RangeQuery): Promise<Series[]>;
  latest(gatewayId: string): Promise<LatestReading[]>;
}

/** A failed HTTP exchange with InfluxDB, with what the retry logic needs to decide. */
export class InfluxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfterMs: number | null,
  ) {
    super(`InfluxDB answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'InfluxHttpError';
  }
}

/** 429 and 5xx (not 501) may pass; network errors too; other 4xx never will. */
export function isRetryable(err: unknown): { retry: boolean; retryAfterMs?: number } {
  if (err instanceof InfluxHttpError) {
    const retry = err.status === 429 || err.status === 408 || (err.status >= 500 && err.status !== 501);
    return { retry, retryAfterMs: err.retryAfterMs ?? undefined };
  }
  return { retry: true };
}

/** Assembles bucket rows into series (sorted by sensor, metric; points by ts). */
export class SeriesBuilder {
  private readonly map = new Map<string, Series>();
  constructor(
    private readonly gatewayId: string,
    private readonly units: Map<string, string>,
  ) {}
  static key(sensor: string, metric: string): string {
    return `${sensor}\u0000${metric}`;
  }
  add(sensor: string, metric: string, point: Series['points'][number]): void {
    const key = SeriesBuilder.key(sensor, metric);
    let s = this.map.get(key);
    if (!s)
      this.map.set(
        key,
        (s = { gatewayId: this.gatewayId, sensor, metric, unit: this.units.get(key) ?? '', points: [] }),
      );
    s.points.push(point);
  }
  build(): Series[] {
    const all = [...this.map.values()].sort((a, b) =>
      a.sensor === b.sensor ? cmp(a.metric, b.metric) : cmp(a.sensor, b.sensor),
    );
    for (const s of all) s.points.sort((a, b) => a.ts - b.ts);
    return all;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sortLatest(rows: LatestReading[]): LatestReading[] {
  return rows.sort((a, b) => (a.sensor === b.sensor ? cmp(a.metric, b.metric) : cmp(a.sensor, b.sensor)));
}

/** A string tag or field from a query result; '' when absent (fields come back as JSON scalars). */
export function textOf(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
