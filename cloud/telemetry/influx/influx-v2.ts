import { HttpError, InfluxDB, flux, fluxExpression } from '@influxdata/influxdb-client';
import type { LatestReading, RangeQuery, Series } from '../store.js';
import { InfluxHttpError, SeriesBuilder, sortLatest, textOf, type InfluxDialect } from './dialect.js';
import { MEASUREMENT } from './line-protocol.js';
import { parseRetryAfter } from './retry.js';

export interface InfluxV2Options {
  url: string;
  token: string;
  org: string;
  bucket: string;
  timeoutMs?: number;
}

type Row = Record<string, unknown>;

/**
 * InfluxDB 2.x through @influxdata/influxdb-client: its transport for /api/v2/write (our own
 * batching and retry, not its WriteApi, so a write resolves only when the server has the
 * points) and its QueryApi for Flux.
 */
export class InfluxV2 implements InfluxDialect {
  readonly api = 'v2' as const;
  private readonly client: InfluxDB;

  constructor(private readonly opts: InfluxV2Options) {
    this.client = new InfluxDB({ url: opts.url, token: opts.token, timeout: opts.timeoutMs ?? 30_000 });
  }

  async prepare(): Promise<void> {
    // the bucket is provisioned with the server (DOCKER_INFLUXDB_INIT_BUCKET); nothing to create
  }

  async writeLines(body: string): Promise<{ rejectedDetail?: string }> {
    const params = new URLSearchParams({ org: this.opts.org, bucket: this.opts.bucket, precision: 'ms' });
    try {
      await this.client.transport.request(`/api/v2/write?${params}`, body, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
      return {};
    } catch (err) {
      if (err instanceof HttpError) {
        // 400: malformed lines (2.x keeps the good ones, like 1.x); 422: outside retention — both for good
        if (err.statusCode === 400 || err.statusCode === 422) return { rejectedDetail: err.body ?? err.message };
        const retryAfter = err.headers?.['retry-after'];
        throw new InfluxHttpError(
          err.statusCode,
          err.body ?? err.message,
          parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
        );
      }
      throw err;
    }
  }

  /** The query's values go in through the client's `flux` template, which writes them as escaped literals. */
  private base(
    q: { gatewayId: string; from?: number; to?: number; metric?: string; sensor?: string },
    field: string | null,
  ): string {
    const conds = [flux`r._measurement == ${MEASUREMENT}`, flux`r.gateway == ${q.gatewayId}`];
    if (field) conds.push(flux`r._field == ${field}`);
    if (q.metric) conds.push(flux`r.metric == ${q.metric}`);
    if (q.sensor) conds.push(flux`r.sensor == ${q.sensor}`);
    // RFC 3339 literals made here from numbers, not from input
    const range =
      q.from === undefined
        ? 'start: 0'
        : `start: ${new Date(q.from).toISOString()}, stop: ${new Date(q.to!).toISOString()}`;
    return flux`from(bucket: ${this.opts.bucket})\n  |> range(${fluxExpression(range)})\n  |> filter(fn: (r) => ${fluxExpression(conds.join(' and '))})`.toString();
  }

  /** Flux text of a range query (exported for the request-checking tests). */
  rangeFlux(q: RangeQuery): string {
    const data = `data = ${this.base(q, 'value')}\n`;
    if (!q.everyMs) return `${data}data |> keep(columns: ["_time", "_value", "sensor", "metric"])`;
    // buckets start at multiples of every since the epoch, like InfluxQL GROUP BY time()
    const agg = (fn: string) =>
      `data |> aggregateWindow(every: ${Math.trunc(q.everyMs!)}ms, fn: ${fn}, createEmpty: false, timeSrc: "_start") |> toFloat() |> set(key: "_field", value: "${fn}")`;
    return `${data}union(tables: [${['mean', 'min', 'max', 'count'].map(agg).join(',\n  ')}])
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> keep(columns: ["_time", "sensor", "metric", "mean", "min", "max", "count"])`;
  }

  async query(q: RangeQuery): Promise<Series[]> {
    const api = this.client.getQueryApi(this.opts.org);
    const [unitRows, rows] = await Promise.all([
      api.collectRows<Row>(`${this.base(q, 'unit')}\n  |> last()`).catch(rethrow),
      api.collectRows<Row>(this.rangeFlux(q)).catch(rethrow),
    ]);
    const units = new Map<string, string>();
    for (const r of unitRows) units.set(SeriesBuilder.key(String(r.sensor), String(r.metric)), textOf(r._value));
    const out = new SeriesBuilder(q.gatewayId, units);
    for (const r of rows) {
      const ts = Date.parse(String(r._time));
      if (q.everyMs) {
        const count = Number(r.count ?? 0);
        if (count)
          out.add(String(r.sensor), String(r.metric), {
            ts,
            mean: num(r.mean),
            min: num(r.min),
            max: num(r.max),
            count,
          });
      } else {
        const v = num(r._value);
        if (v !== null) out.add(String(r.sensor), String(r.metric), { ts, mean: v, min: v, max: v, count: 1 });
      }
    }
    return out.build();
  }

  latestFlux(gatewayId: string): string {
    return `${this.base({ gatewayId }, null)}\n  |> last()\n  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`;
  }

  async latest(gatewayId: string): Promise<LatestReading[]> {
    const rows = await this.client
      .getQueryApi(this.opts.org)
      .collectRows<Row>(this.latestFlux(gatewayId))
      .catch(rethrow);
    // last() runs per field: the newest point is the row with the greatest time per series
    const newest = new Map<string, Row>();
    for (const r of rows) {
      const key = SeriesBuilder.key(String(r.sensor), String(r.metric));
      const prev = newest.get(key);
      if (!prev || Date.parse(String(r._time)) > Date.parse(String(prev._time))) newest.set(key, r);
    }
    return sortLatest(
      [...newest.values()].map((r) => {
        const quality = r.quality === 'bad' ? 'bad' : 'good';
        return {
          gatewayId,
          sensor: String(r.sensor),
          metric: String(r.metric),
          unit: textOf(r.unit),
          value: num(quality === 'good' ? r.value : r.raw),
          quality,
          ts: Date.parse(String(r._time)),
          ...(r.fault ? { fault: textOf(r.fault) } : {}),
        };
      }),
    );
  }
}

function num(v: unknown): number | null {
  return v === null || v === undefined || v === '' ? null : Number(v);
}

function rethrow(err: unknown): never {
  if (err instanceof HttpError) throw new InfluxHttpError(err.statusCode, err.body ?? err.message, null);
  throw err;
}
