import { describe, expect, it } from 'vitest';
import { scanProduction } from './support/source-guard.js';

/**
 * One exponential backoff, lib/backoff.ts (Backoff, backoffDelay): a production file that grows
 * a delay by powers of two itself fails here. Squares and other powers (`d ** 2`, `10 ** d`)
 * are not backoff and are not matched.
 */
const HOME = 'lib/backoff.ts';

/** Files allowed to grow a delay themselves, each with why; every entry must still offend. */
const ALLOWED: Record<string, string> = {};

const SHAPES: Array<[string, RegExp]> = [
  // a power of two of a variable (2 ** 16, a register bound, is a constant)
  ['a power of two', /\b2\s*\*\*\s*(?!\d+\b)[\w(]/],
  ['Math.pow(2, …)', /Math\.pow\(\s*2\s*,(?!\s*\d+\s*\))/],
  // a shift by an attempt counter (bit masks such as 1 << (i & 7) are not backoff)
  ['a shift by a counter', /\b1\s*<<\s*\(?[\w.]*(?:attempt|retr|tries|fail)/i],
  ['a capped power', /Math\.min\([^;]{0,160}?\*\*/],
  ['a delay doubled in place', /\b\w*(?:delay|wait|backoff|period|interval|timeout)\w*\s*\*=\s*2\b/i],
];

/** The hand-written exponential backoffs in a source text, named by shape. */
export function handWrittenBackoff(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ');
  return SHAPES.filter(([, re]) => re.test(flat)).map(([name]) => name);
}

describe('exponential backoff comes only from lib/backoff.ts', () => {
  it('recognises the backoffs this codebase had, and not squares or decimal rounding', () => {
    const written = [
      'const delay = Math.min(maxMs, baseMs * 2 ** this.reconnectAttempt++);',
      'this.later(this.opts.retryDelayMs * 2 ** (job.attempt - 1), () => {});',
      'const base = Math.min(maxMs, minMs * 2 ** Math.min(this.attempts, 20));',
      'const cap = Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** attempt);',
      'const cap = Math.min(\n  maxMs,\n  minMs * factor ** n,\n);',
      'wait = base * Math.pow(2, tries);',
      'const e = base * (1 << this.attempt);',
      'retryDelay *= 2;',
    ];
    for (const src of written) expect(handWrittenBackoff(src), src).not.toEqual([]);
    const fine = [
      'const d = (c[0] - at[0]) ** 2 + (c[1] - at[1]) ** 2;',
      'const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;',
      'const wait = backoffDelay(++this.attempts, { minMs, maxMs, jitter: "equal" });',
      'const k4 = ((w.tMaxC + 273.16) ** 4 + (w.tMinC + 273.16) ** 4) / 2;',
      'bits[i >> 3]! |= 1 << (i & 7); const max = 2 ** 16 - 1; const m = Math.pow(2, 32);',
      'const x = Math.min(a, b); const y = z ** 2;',
    ];
    for (const src of fine) expect(handWrittenBackoff(src), src).toEqual([]);
  });

  it('holds for every production file', () => {
    const { unexpected, stale } = scanProduction(handWrittenBackoff, { home: HOME, allowed: ALLOWED });
    expect(unexpected, 'use Backoff / backoffDelay from lib/backoff.ts').toEqual({});
    expect(stale, 'these no longer back off by hand: remove them from ALLOWED').toEqual([]);
  });
});
