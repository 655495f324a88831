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
});
