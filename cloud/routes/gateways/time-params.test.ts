import { describe, expect, it } from 'vitest';
import { autoEvery, parseEvery, parseTime } from './time-params.js';

describe('readings time parameters', () => {
  it('reads every as a count and a unit', () => {
    expect(parseEvery('5m')).toBe(300_000);
    expect(parseEvery('1h')).toBe(3_600_000);
    expect(parseEvery('1d')).toBe(86_400_000);
    expect(parseEvery('30s')).toBe(30_000);
    for (const bad of ['0m', '5', 'm', '5 m', '5w', '-1h', '1.5h']) expect(parseEvery(bad)).toBeNull();
  });

  it('reads times as ISO 8601 or milliseconds, and nothing else', () => {
    expect(parseTime('1764288000000')).toBe(1_764_288_000_000);
    expect(parseTime('2025-11-28T00:00:00Z')).toBe(Date.UTC(2025, 10, 28));
    expect(parseTime('2025-11-28T07:00:00+07:00')).toBe(Date.UTC(2025, 10, 28));
    expect(parseTime('2025-11-28')).toBe(Date.UTC(2025, 10, 28));
    for (const bad of ['yesterday', 'March 3 2025', '2025-13-45T00:00:00Z', '', '12abc'])
      expect(parseTime(bad)).toBeNull();
  });

  it('refuses times no reading can have, which would otherwise break the response', () => {
    for (const bad of ['9999999999999999', '8640000000000001', '2100-01-02', '9999-12-31T00:00:00Z'])
      expect(parseTime(bad)).toBeNull();
  });

  it('picks buckets that keep a chart to a few hundred points', () => {
    expect(autoEvery(86_400_000)).toEqual({ every: '5m', everyMs: 300_000 });
    expect(autoEvery(3_600_000)).toEqual({ every: '1m', everyMs: 60_000 });
    expect(autoEvery(30 * 86_400_000).every).toBe('6h');
  });
});
