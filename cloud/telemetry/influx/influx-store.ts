import { log as rootLog, type Logger } from '../../../lib/log.js';
import { storePointsRejectedTotal } from '../../metrics.js';
import {
  StoreError,
  type LatestReading,
  type RangeQuery,
  type Series,
  type StoreHealth,
  type StoredReading,
  type TelemetryStore,
  type WriteResult,
} from '../store.js';
import { isRetryable, type InfluxDialect } from './dialect.js';
import { InfluxV1 } from './influx-v1.js';
import { InfluxV2 } from './influx-v2.js';
import { toLines } from './line-protocol.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';

export interface InfluxStoreOptions {
  url: string;
  /** auto: from the X-Influxdb-Version header of /ping */
  api?: 'auto' | 'v1' | 'v2';
  /** 1.x */
  db?: string;
  username?: string;
  password?: string;
  /** 2.x */
  token?: string;
  org?: string;
  bucket?: string;
  /** points per HTTP write (InfluxDB's sweet spot is 5,000–10,000) */
  batchSize?: number;
  retry?: RetryOptions;
  timeoutMs?: number;
  log?: Logger;
}

/** Telemetry in InfluxDB 1.x or 2.x; writes are chunked, retried with backoff and jitter. */
export class InfluxTelemetryStore implements TelemetryStore {
  readonly kind = 'influx' as const;
  private dialect: InfluxDialect | undefined;
  private readonly log: Logger;
  private readonly base: string;

  constructor(private readonly opts: InfluxStoreOptions) {
    this.log = (opts.log ?? rootLog).child({ mod: 'telemetry-influx' });
    this.base = opts.url.replace(/\/+$/, '');
  }

  get api(): 'v1' | 'v2' | undefined {
    return this.dialect?.api;
  }

  async init(): Promise<void> {
    const api = this.opts.api && this.opts.api !== 'auto' ? this.opts.api : await this.detect();
    if (api === 'v1') {
      this.dialect = new InfluxV1({
        url: this.base,
        db: this.opts.db ?? 'ruongso',
        username: this.opts.username,
        password: this.opts.password,
        timeoutMs: this.opts.timeoutMs,
      });
    } else {
      if (!this.opts.token || !this.opts.org) {
        throw new StoreError(
          'STORE_CONFIG',
          `InfluxDB 2.x at ${this.base} needs INFLUX_TOKEN and INFLUX_ORG (and INFLUX_BUCKET, default ruongso)`,
        );
      }
      this.dialect = new InfluxV2({
        url: this.base,
        token: this.opts.token,
        org: this.opts.org,
        bucket: this.opts.bucket ?? 'ruongso',
        timeoutMs: this.opts.timeoutMs,
      });
    }
    await withRetry(() => this.dialect!.prepare(), isRetryable, this.opts.retry ?? DEFAULT_RETRY).catch((cause) => {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `cannot prepare InfluxDB at ${this.base}: ${(cause as Error).message}`,
        { cause },
      );
    });
    this.log.info({ url: this.base, api }, 'telemetry store ready (InfluxDB)');
  }

  /** 1.x answers /ping with X-Influxdb-Version "1.6.7…", 2.x with "v2.7.…" (or "2.…"). */
  async detect(): Promise<'v1' | 'v2'> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/ping`, { signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (cause) {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `InfluxDB at ${this.base} does not answer /ping (set INFLUX_API=v1 or v2 to skip detection): ${(cause as Error).message}`,
        { cause },
      );
    }
    const version = res.headers.get('x-influxdb-version') ?? '';
    const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? NaN);
    if (Number.isNaN(major)) {
      throw new StoreError(
        'STORE_CONFIG',
        `InfluxDB at ${this.base} sent no X-Influxdb-Version on /ping; set INFLUX_API=v1 or v2`,
      );
    }
    return major >= 2 ? 'v2' : 'v1';
  }

  private get d(): InfluxDialect {
    if (!this.dialect) throw new StoreError('STORE_UNAVAILABLE', 'InfluxDB telemetry store used before init()');
    return this.dialect;
  }

  async write(points: StoredReading[]): Promise<WriteResult> {
    const size = this.opts.batchSize ?? 5000;
    let rejected = 0;
    const details: string[] = [];
    for (let i = 0; i < points.length; i += size) {
      const chunk = points.slice(i, i + size);
      const body = toLines(chunk);
      let res: { rejectedDetail?: string };
      try {
        res = await withRetry(() => this.d.writeLines(body), isRetryable, this.opts.retry ?? DEFAULT_RETRY);
      } catch (cause) {
        throw new StoreError(
          'STORE_UNAVAILABLE',
          `InfluxDB write of ${chunk.length} points failed: ${(cause as Error).message}`,
          { cause },
        );
      }
      if (res.rejectedDetail) {
        // the server does not say how many lines it dropped in every version: count "dropped=N" when given
        const dropped = Number(/dropped=(\d+)/.exec(res.rejectedDetail)?.[1] ?? 1);
        rejected += dropped;
        details.push(res.rejectedDetail);
        storePointsRejectedTotal.inc(dropped);
        this.log.warn(
          { dropped, detail: res.rejectedDetail.slice(0, 500) },
          'InfluxDB refused points of a batch (stored the rest; not retried)',
        );
      }
    }
    return {
      written: points.length - rejected,
      rejected,
      ...(details.length ? { rejectedDetail: details.join('; ') } : {}),
    };
  }

  async query(q: RangeQuery): Promise<Series[]> {
    try {
      return await this.d.query(q);
    } catch (cause) {
      throw new StoreError(
        'STORE_QUERY',
        `InfluxDB query for gateway ${q.gatewayId} failed: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  async latest(gatewayId: string): Promise<LatestReading[]> {
    try {
      return await this.d.latest(gatewayId);
    } catch (cause) {
      throw new StoreError(
        'STORE_QUERY',
        `InfluxDB latest query for gateway ${gatewayId} failed: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  async health(): Promise<StoreHealth> {
    try {
      const res = await fetch(`${this.base}/ping`, { signal: AbortSignal.timeout(3000) });
      const version = res.headers.get('x-influxdb-version') ?? '?';
      return {
        ok: res.status === 204 || res.ok,
        kind: 'influx',
        detail: `${this.base} ${this.dialect?.api ?? ''} ${version}`.trim(),
      };
    } catch (err) {
      return { ok: false, kind: 'influx', detail: `${this.base}: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.dialect = undefined;
  }
}
