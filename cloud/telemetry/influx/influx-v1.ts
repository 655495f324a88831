import type { LatestReading, RangeQuery, Series } from '../store.js';
import { InfluxHttpError, SeriesBuilder, sortLatest, textOf, type InfluxDialect } from './dialect.js';
import { MEASUREMENT, influxqlString } from './line-protocol.js';
import { parseRetryAfter } from './retry.js';

export interface InfluxV1Options {
  url: string;
  db: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
}

interface V1Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}
interface V1Result {
  statement_id?: number;
  series?: V1Series[];
  error?: string;
}

/**
 * InfluxDB 1.x over its own HTTP API (`/write?precision=ms`, InfluxQL `/query`): the
 * @influxdata/influxdb-client only speaks /api/v2/write, which 1.6 answers with 404.
 */
export class InfluxV1 implements InfluxDialect {
  readonly api = 'v1' as const;
  private readonly base: string;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly opts: InfluxV1Options) {
    this.base = opts.url.replace(/\/+$/, '');
    if (opts.username)
      this.headers.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
  }

  async prepare(): Promise<void> {
    // idempotent in InfluxQL: an existing database is left as it is
    await this.influxql(`CREATE DATABASE ${ident(this.opts.db)}`, 'POST', false);
  }

  async writeLines(body: string): Promise<{ rejectedDetail?: string }> {
    const params = new URLSearchParams({ db: this.opts.db, precision: 'ms' });
    const res = await this.fetch(`${this.base}/write?${params}`, {
      method: 'POST',
      body,
      headers: { ...this.headers, 'content-type': 'text/plain; charset=utf-8' },
    });
    if (res.status === 204) return {};
    const text = await res.text();
    // 1.x stores the good lines of a batch with bad ones and says "partial write": retrying
    // would change nothing, so the refused lines are reported instead
    if (res.status === 400) return { rejectedDetail: errorText(text) };
    if (res.status === 404 && /database not found/i.test(text)) {
      await this.prepare();
    }
    throw new InfluxHttpError(res.status, errorText(text), parseRetryAfter(res.headers.get('retry-after')));
  }

  async query(q: RangeQuery): Promise<Series[]> {
    const where = [
      `gateway = ${influxqlString(q.gatewayId)}`,
      `time >= ${Math.trunc(q.from)}ms`,
      `time < ${Math.trunc(q.to)}ms`,
    ];
    if (q.metric) where.push(`metric = ${influxqlString(q.metric)}`);
    if (q.sensor) where.push(`sensor = ${influxqlString(q.sensor)}`);
    const w = where.join(' AND ');
    const data = q.everyMs
      ? `SELECT mean(value), min(value), max(value), count(value) FROM ${MEASUREMENT} WHERE ${w} GROUP BY time(${Math.trunc(q.everyMs)}ms), sensor, metric fill(none)`
      : `SELECT value FROM ${MEASUREMENT} WHERE ${w} GROUP BY sensor, metric`;
    const [units, rows] = await this.influxql(
      `SELECT last(unit) FROM ${MEASUREMENT} WHERE ${w} GROUP BY sensor, metric; ${data}`,
    );
    const unitMap = new Map<string, string>();
    for (const s of units?.series ?? [])
      unitMap.set(SeriesBuilder.key(s.tags!.sensor!, s.tags!.metric!), textOf(s.values[0]?.[1]));
    const out = new SeriesBuilder(q.gatewayId, unitMap);
    for (const s of rows?.series ?? []) {
      const col = (name: string) => s.columns.indexOf(name);
      for (const v of s.values) {
        if (q.everyMs) {
          const count = Number(v[col('count')] ?? 0);
          if (!count) continue;
          out.add(s.tags!.sensor!, s.tags!.metric!, {
            ts: Number(v[0]),
            mean: num(v[col('mean')]),
            min: num(v[col('min')]),
            max: num(v[col('max')]),
            count,
          });
        } else {
          const value = num(v[col('value')]);
          if (value === null) continue;
          out.add(s.tags!.sensor!, s.tags!.metric!, {
            ts: Number(v[0]),
            mean: value,
            min: value,
            max: value,
            count: 1,
          });
        }
      }
    }
    return out.build();
  }

  async latest(gatewayId: string): Promise<LatestReading[]> {
    const [res] = await this.influxql(
      `SELECT * FROM ${MEASUREMENT} WHERE gateway = ${influxqlString(gatewayId)} GROUP BY sensor, metric ORDER BY time DESC LIMIT 1`,
    );
    const rows: LatestReading[] = [];
    for (const s of res?.series ?? []) {
      const v = s.values[0]!;
      const get = (name: string) => v[s.columns.indexOf(name)];
      const quality = get('quality') === 'bad' ? 'bad' : 'good';
      rows.push({
        gatewayId,
        sensor: s.tags!.sensor!,
        metric: s.tags!.metric!,
        unit: textOf(get('unit')),
        value: num(quality === 'good' ? get('value') : get('raw')),
        quality,
        ts: Number(v[0]),
        ...(get('fault') ? { fault: textOf(get('fault')) } : {}),
      });
    }
    return sortLatest(rows);
  }

  private async influxql(q: string, method: 'GET' | 'POST' = 'GET', withDb = true): Promise<V1Result[]> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (withDb) params.set('db', this.opts.db);
    const res = await this.fetch(`${this.base}/query?${params}`, { method, headers: this.headers });
    const text = await res.text();
    if (!res.ok)
      throw new InfluxHttpError(res.status, errorText(text), parseRetryAfter(res.headers.get('retry-after')));
    const body = JSON.parse(text) as { results?: V1Result[]; error?: string };
    const failed = body.error ?? body.results?.find((r) => r.error)?.error;
    if (failed) throw new InfluxHttpError(400, failed, null);
    return body.results ?? [];
  }

  private fetch(url: string, init: RequestInit): Promise<Response> {
    return fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) });
  }
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

function ident(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function errorText(text: string): string {
  try {
    return (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    return text;
  }
}
