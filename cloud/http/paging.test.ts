import { describe, expect, it } from 'vitest';
import { MAX_PAGE, pageOf, pageQuery, readUpTo } from './paging.js';

describe('paging', () => {
  it('slices disjoint pages and says whether more follow', () => {
    const all = Array.from({ length: 5 }, (_, i) => i);
    expect(pageOf(all, { limit: 2, offset: 0 })).toEqual({ items: [0, 1], hasMore: true, nextOffset: 2 });
    expect(pageOf(all, { limit: 2, offset: 2 })).toEqual({ items: [2, 3], hasMore: true, nextOffset: 4 });
    expect(pageOf(all, { limit: 2, offset: 4 })).toEqual({ items: [4], hasMore: false, nextOffset: null });
    expect(readUpTo({ limit: 2, offset: 4 })).toBe(7);
  });

  it('refuses a limit over the cap and a negative offset, and defaults both', () => {
    const q = pageQuery(50);
    expect(q.parse({})).toEqual({ limit: 50, offset: 0 });
    expect(q.safeParse({ limit: String(MAX_PAGE + 1) }).success).toBe(false);
    expect(q.safeParse({ limit: '0' }).success).toBe(false);
    expect(q.safeParse({ offset: '-1' }).success).toBe(false);
  });
});
