import { backoffDelay } from '../../../lib/backoff.js';

/**
 * Retry with exponential backoff and full jitter, bounded by attempts and by total time.
 * The delay a server asks for (Retry-After, in SECONDS per RFC 9110 — influxdb-client reads
 * it as milliseconds) wins over the backoff when it is longer.
 */
export interface RetryOptions {
  /** retries after the first attempt */
  maxRetries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** give up when the next wait would end later than this after the first attempt */
  maxTotalMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 5, minDelayMs: 100, maxDelayMs: 5_000, maxTotalMs: 10_000 };

/** An error a retry may help with; `retryAfterMs` is what the server asked for, if anything. */
export interface RetryDecision {
  retry: boolean;
  retryAfterMs?: number;
}

/**
 * The wait before retry `attempt` (0-based): uniform between half the first delay and
 * min(maxDelayMs, minDelayMs × 2^attempt), so writers retrying at once do not hit the server in
 * step. lib/backoff's full jitter starts at its minMs: started at minDelayMs / 2 one attempt
 * on, its caps are the same.
 */
export function retryDelay(attempt: number, opts: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs' | 'random'>): number {
  return backoffDelay(attempt + 1, {
    minMs: opts.minDelayMs / 2,
    maxMs: opts.maxDelayMs,
    jitter: 'full',
    ...(opts.random ? { random: opts.random } : {}),
  });
}

/** Parses a Retry-After header: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export async function withRetry<T>(
  fn: () => Promise<T>,
  classify: (err: unknown) => RetryDecision,
  opts: RetryOptions = DEFAULT_RETRY,
): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const started = now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const decision = classify(err);
      if (!decision.retry || attempt >= opts.maxRetries) throw err;
      const wait = Math.max(retryDelay(attempt, opts), decision.retryAfterMs ?? 0);
      if (now() + wait - started > opts.maxTotalMs) throw err;
      await sleep(wait);
    }
  }
}
