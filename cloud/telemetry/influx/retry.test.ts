import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay, withRetry } from './retry.js';

describe('retry', () => {
  it('reads Retry-After as seconds, or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('backs off exponentially with jitter, capped', () => {
    const o = { minDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelay(0, { ...o, random: () => 1 })).toBe(100);
    expect(retryDelay(3, { ...o, random: () => 1 })).toBe(800);
    expect(retryDelay(10, { ...o, random: () => 1 })).toBe(1000);
    expect(retryDelay(10, { ...o, random: () => 0 })).toBe(50);
    expect(retryDelay(0, { ...o, random: () => 0 })).toBe(50);
    expect(retryDelay(2, { ...o, random: () => 0.5 })).toBe(225);
  });

  it('waits the backoff when the server asks for nothing', async () => {
    const waits: number[] = [];
    await expect(
      withRetry(
        async () => {
          throw new Error('down');
        },
        () => ({ retry: true }),
        {
          maxRetries: 4,
          minDelayMs: 100,
          maxDelayMs: 500,
          maxTotalMs: 60_000,
          random: () => 1,
          sleep: async (ms) => {
            waits.push(ms);
          },
        },
      ),
    ).rejects.toThrow('down');
    expect(waits).toEqual([100, 200, 400, 500]);
  });

  it('retries what may succeed, honours the longer server delay, and gives up after maxRetries', async () => {
    const waits: number[] = [];
    let calls = 0;
    const fail = async () => {
      calls++;
      throw new Error('down');
    };
    await expect(
      withRetry(fail, () => ({ retry: true, retryAfterMs: 2000 }), {
        maxRetries: 3,
        minDelayMs: 10,
        maxDelayMs: 100,
        maxTotalMs: 60_000,
        random: () => 1,
        sleep: async (ms) => {
          waits.push(ms);
        },
      }),
    ).rejects.toThrow('down');
    expect(calls).toBe(4);
    expect(waits).toEqual([2000, 2000, 2000]);
  });

  it('does not retry what can never succeed', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('bad request');
        },
        () => ({ retry: false }),
      ),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it('stops when the total time budget would be exceeded', async () => {
    let t = 0;
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('x');
        },
        () => ({ retry: true }),
        {
          maxRetries: 100,
          minDelayMs: 400,
          maxDelayMs: 400,
          maxTotalMs: 1000,
          random: () => 1,
          now: () => t,
          sleep: async (ms) => {
            t += ms;
          },
        },
      ),
    ).rejects.toThrow();
    expect(calls).toBe(3);
  });
});
