import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueLines, issueSummary } from './zod-issues.js';

const Schema = z.object({ a: z.object({ b: z.string() }), n: z.number().min(3), tags: z.array(z.string()) });

describe('issueSummary', () => {
  it('names each issue by its path, on one line', () => {
    const r = Schema.safeParse({ a: { b: 1 }, n: 1, tags: ['x', 2] });
    expect(r.success).toBe(false);
    expect(issueSummary(r.error!)).toBe(
      'a.b: Invalid input: expected string, received number; n: Too small: expected number to be >=3; tags.1: Invalid input: expected string, received number',
    );
  });

  it('names the whole value when the path is empty, and stops after max issues', () => {
    expect(issueSummary(z.string().safeParse(5).error!)).toBe(
      '(root): Invalid input: expected string, received number',
    );
    expect(issueSummary(z.string().safeParse(5).error!, 5, '(body)')).toMatch(/^\(body\): /);
    const many = z.array(z.number()).safeParse(['a', 'b', 'c', 'd']);
    expect(issueSummary(many.error!, 2)).toBe(
      '0: Invalid input: expected number, received string; 1: Invalid input: expected number, received string; and 2 more',
    );
  });
});

describe('issueLines', () => {
  it('gives one text per issue, every one when max is Infinity', () => {
    const r = z.array(z.number()).safeParse(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(issueLines(r.error!, Infinity)).toHaveLength(7);
    expect(issueLines(r.error!)).toEqual([
      ...[0, 1, 2, 3, 4].map((n) => `${n}: Invalid input: expected number, received string`),
      'and 2 more',
    ]);
  });

  it('names an issue as the caller says, or not at all, and cuts each text to a wire limit', () => {
    const raw = { n: 1 };
    const r = Schema.safeParse({ a: { b: 'x' }, ...raw, tags: [] });
    expect(issueSummary(r.error!, { where: (i) => `${String(i.path[0])}=${JSON.stringify(raw.n)}` })).toBe(
      'n=1: Too small: expected number to be >=3',
    );
    expect(issueSummary(r.error!, { where: () => '' })).toBe('Too small: expected number to be >=3');
    expect(issueLines(r.error!, { maxLength: 8 })).toEqual(['n: Too s']);
  });

  it('reads issues of the same shape that are not from zod', () => {
    expect(issueSummary({ issues: [{ path: ['querystring.from'], message: 'is not valid' }] })).toBe(
      'querystring.from: is not valid',
    );
  });
});
