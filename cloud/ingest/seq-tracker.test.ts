import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeqTracker } from './seq-tracker.js';

describe('SeqTracker', () => {
  it('closes the gaps a backlog drain interleaved with live data fills, and counts no duplicate for it', () => {
    const t = new SeqTracker();
    for (let s = 0; s < 100; s++) t.observe('gw', 'boot-a', s, 1);
    // back from an outage: fresh messages 300… go out at once, the backlog 100…299 drains beside them
    let backlog = 100;
    for (let live = 300; live < 360; live++) {
      t.observe('gw', 'boot-a', live, 2);
      for (let k = 0; k < 4 && backlog < 300; k++) t.observe('gw', 'boot-a', backlog++, 2);
    }
    while (backlog < 300) t.observe('gw', 'boot-a', backlog++, 3);
    expect(t.stats('gw')!.boots[0]).toMatchObject({
      bootId: 'boot-a',
      firstSeq: 0,
      lastSeq: 359,
      received: 360,
      missing: 0,
      duplicates: 0,
      gaps: [],
    });
  });

  it('counts a real re-delivery as a duplicate, and keeps a gap open until its seqs arrive', () => {
    const t = new SeqTracker();
    for (const s of [0, 1, 2, 5, 6]) t.observe('gw', 'boot-a', s, 1);
    expect(t.stats('gw')!.boots[0]).toMatchObject({ missing: 2, gaps: [{ from: 3, to: 4 }] });
    expect(t.observe('gw', 'boot-a', 6, 2)).toBe('duplicate');
    expect(t.observe('gw', 'boot-a', 4, 2)).toBe('late');
    expect(t.stats('gw')!.boots[0]).toMatchObject({ missing: 1, duplicates: 1, gaps: [{ from: 3, to: 3 }] });
  });

  it('keeps each boot apart: a new bootId starts at its own seq without a gap', () => {
    const t = new SeqTracker();
    for (let s = 0; s < 10; s++) t.observe('gw', 'boot-a', s, 1);
    for (let s = 0; s < 5; s++) t.observe('gw', 'boot-b', s, 2);
    const boots = t.stats('gw')!.boots;
    expect(boots.map((b) => [b.bootId, b.received, b.missing, b.duplicates])).toEqual([
      ['boot-b', 5, 0, 0],
      ['boot-a', 10, 0, 0],
    ]);
  });
  it('counts the seqs between a late older one and the first seen as missing until they come, never as duplicates', () => {
    const t = new SeqTracker();
    for (const s of [2, 3, 0]) t.observe('gw', 'boot-a', s, 1);
    expect(t.stats('gw')!.boots[0]).toMatchObject({ firstSeq: 0, missing: 1, gaps: [{ from: 1, to: 1 }] });
    expect(t.observe('gw', 'boot-a', 1, 2)).toBe('late');
    expect(t.stats('gw')!.boots[0]).toMatchObject({ received: 4, missing: 0, duplicates: 0, gaps: [] });
  });

  it('in any arrival order, each seq once is no gap and no duplicate, and each seq twice is one duplicate per seq', () => {
    const orders = fc
      .integer({ min: 1, max: 60 })
      .chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }));
    fc.assert(
      fc.property(orders, fc.boolean(), (order, twice) => {
        const t = new SeqTracker();
        for (const s of order) t.observe('gw', 'boot-a', s, 1);
        if (twice) for (const s of order) t.observe('gw', 'boot-a', s, 2);
        const b = t.stats('gw')!.boots[0]!;
        expect([b.received, b.missing, b.duplicates, b.gaps]).toEqual([order.length, 0, twice ? order.length : 0, []]);
      }),
    );
  });
});
