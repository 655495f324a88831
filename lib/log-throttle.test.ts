import { describe, expect, it } from 'vitest';
import { LogThrottle } from './log-throttle.js';

describe('LogThrottle', () => {
  it('logs once per interval with the number of occurrences it held back', () => {
    let now = 0;
    const t = new LogThrottle(30_000, () => now);
    const out: number[] = [];
    for (let i = 0; i <= 120; i++) {
      t.hit('mqtt', (n) => out.push(n));
      now += 250;
    }
    expect(out).toEqual([0, 119]);
    t.clear('mqtt');
    t.hit('mqtt', (n) => out.push(n));
    expect(out).toEqual([0, 119, 0]);
  });
});
