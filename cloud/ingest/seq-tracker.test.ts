import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeqTracker } from './seq-tracker.js';

describe('SeqTracker', () => {
  it('opens a gap for skipped seqs and closes it piece by piece as they arrive late', () => {
    const t = new SeqTracker();
    expect([0, 1, 5].map((s, i) => t.observe('gw', 'b1', s, i))).toEqual(['new', 'new', 'new']);
    expect(t.stats('gw')!.boots[0]).toMatchObject({ firstSeq: 0, lastSeq: 5, received: 3, missing: 3, gaps: [{ from: 2, to: 4 }] });
    expect(t.observe('gw', 'b1', 3, 10)).toBe('late');
    expect(t.stats('gw')!.boots[0]).toMatchObject({ missing: 2, gaps: [{ from: 2, to: 2 }, { from: 4, to: 4 }] });
    t.observe('gw', 'b1', 2, 11);
    t.observe('gw', 'b1', 4, 12);
    expect(t.stats('gw')!.boots[0]).toMatchObject({ received: 6, missing: 0, gaps: [] });
  });

  it('counts a repeat as a duplicate and something older than the first seen as late', () => {
    const t = new SeqTracker();
    t.observe('gw', 'b1', 10, 0);
    t.observe('gw', 'b1', 11, 1);
    expect(t.observe('gw', 'b1', 11, 2)).toBe('duplicate');
    expect(t.observe('gw', 'b1', 7, 3)).toBe('late');
    expect(t.stats('gw')!.boots[0]).toMatchObject({ firstSeq: 7, duplicates: 1, received: 3 });
  });

  it('keeps each boot apart, newest first, and forgets all but the last three', () => {
    const t = new SeqTracker();
    ['b1', 'b2', 'b3', 'b4'].forEach((b, i) => t.observe('gw', b, 0, i));
    expect(t.stats('gw')!.boots.map((b) => b.bootId)).toEqual(['b4', 'b3', 'b2']);
    expect(t.stats('other')).toBeUndefined();
    expect(t.all().map((g) => g.gatewayId)).toEqual(['gw']);
  });

  it('hands out copies: changing the stats changes nothing inside', () => {
    const t = new SeqTracker();
    t.observe('gw', 'b1', 0, 0);
    t.observe('gw', 'b1', 3, 1);
    t.stats('gw')!.boots[0]!.gaps[0]!.from = 99;
    expect(t.stats('gw')!.boots[0]!.gaps).toEqual([{ from: 1, to: 2 }]);
  });

  it('for any arrival order after the first message, ends with every seq received once and nothing missing', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }).chain((n) => fc.shuffledSubarray([...Array(n).keys()].slice(1), { minLength: n - 1, maxLength: n - 1 })), (rest) => {
      const t = new SeqTracker();
      const order = [0, ...rest];
      order.forEach((s, i) => t.observe('gw', 'b', s, i));
      const b = t.stats('gw')!.boots[0]!;
      expect(b).toMatchObject({ received: order.length, duplicates: 0, missing: 0, gaps: [], firstSeq: 0, lastSeq: order.length - 1 });
    }));
  });
});
