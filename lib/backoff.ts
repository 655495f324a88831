/**
 * Exponential backoff, one implementation for every retry loop (Modbus reconnects and per-unit
 * holds, the MQTT uplink's reconnects, InfluxDB write retries, the ingest's spool replay).
 *
 * delay(n) = min(maxMs, minMs × factor^n) for the n-th retry (0-based), then jittered:
 * - 'none'  : exactly that
 * - 'full'  : uniform in [minMs, cap] — many clients retrying at once spread out (a district of
 *             gateways after a broker restart); never below minMs, so a retry loop never spins
 * - 'equal' : cap/2 + uniform in [0, cap/2] — spread, but at least half the cap
 */
export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  /** growth per attempt, default 2 */
  factor?: number;
  /** default 'none' */
  jitter?: 'none' | 'full' | 'equal';
  /** [0, 1), default Math.random; inject for deterministic tests */
  random?: () => number;
}

// 2^64 × any sane minMs is already past every maxMs: stop growing before Infinity
const MAX_EXPONENT = 64;

export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const { minMs, maxMs, factor = 2, jitter = 'none', random = Math.random } = opts;
  if (!(minMs >= 0) || !(maxMs >= minMs) || !(factor >= 1))
    throw new RangeError(`backoff needs 0 ≤ minMs ≤ maxMs and factor ≥ 1 (got ${minMs}, ${maxMs}, ${factor})`);
  const n = Math.max(0, Math.min(Math.floor(attempt), MAX_EXPONENT));
  const cap = Math.min(maxMs, minMs * factor ** n);
  if (jitter === 'full') return Math.round(minMs + (cap - minMs) * random());
  if (jitter === 'equal') return Math.round(cap / 2 + (cap / 2) * random());
  return Math.round(cap);
}

/** The attempt counter around backoffDelay: next() after a failure, reset() after a success. */
export class Backoff {
  #attempt = 0;
  constructor(private readonly opts: BackoffOptions) {
    backoffDelay(0, opts); // validate now, not at the first failure
  }

  /** retries so far since the last reset */
  get attempt(): number {
    return this.#attempt;
  }

  /** the wait before the next try; counts one more attempt */
  next(): number {
    return backoffDelay(this.#attempt++, this.opts);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
