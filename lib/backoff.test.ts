import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from minMs up to maxMs without jitter', () => {
    const o = { minMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, o))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(2, { ...o, factor: 3 })).toBe(900);
  });

  it('never overflows however many attempts have failed', () => {
    expect(backoffDelay(10_000, { minMs: 1000, maxMs: 60_000 })).toBe(60_000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, { minMs: 1, maxMs: 5 })).toBe(5);
    expect(backoffDelay(-3, { minMs: 50, maxMs: 500 })).toBe(50);
  });

  it('keeps full jitter within [minMs, cap] and equal jitter within [cap/2, cap]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, minMs, extra, r) => {
          const o = { minMs, maxMs: minMs + extra, random: () => r };
          const cap = backoffDelay(attempt, o);
          const full = backoffDelay(attempt, { ...o, jitter: 'full' });
          const equal = backoffDelay(attempt, { ...o, jitter: 'equal' });
          expect(full).toBeGreaterThanOrEqual(minMs);
          expect(full).toBeLessThanOrEqual(cap);
          expect(equal).toBeGreaterThanOrEqual(Math.floor(cap / 2));
          expect(equal).toBeLessThanOrEqual(cap);
        },
      ),
    );
    expect(backoffDelay(3, { minMs: 100, maxMs: 10_000, jitter: 'full', random: () => 0.5 })).toBe(450);
  });

  it('refuses bounds that make no sense', () => {
    expect(() => backoffDelay(0, { minMs: 10, maxMs: 5 })).toThrow(RangeError);
    expect(() => backoffDelay(0, { minMs: -1, maxMs: 5 })).toThrow(RangeError);
    expect(() => backoffDelay(0, { minMs: 1, maxMs: 5, factor: 0.5 })).toThrow(RangeError);
    expect(() => new Backoff({ minMs: Number.NaN, maxMs: 5 })).toThrow(RangeError);
  });
});

describe('Backoff', () => {
  it('grows with each failure and starts over after a success', () => {
    const b = new Backoff({ minMs: 1000, maxMs: 60_000 });
    expect([b.next(), b.next(), b.next()]).toEqual([1000, 2000, 4000]);
    expect(b.attempt).toBe(3);
    b.reset();
    expect(b.next()).toBe(1000);
  });
});
