import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredReading } from '../store.js';
import { LineHeads, toLine, toLineWithPoint, toLines } from './line-protocol.js';

// few gateways and sensors, so points hit the cache often and see it change under them
const point: fc.Arbitrary<StoredReading> = fc
  .record(
    {
      gatewayId: fc.constantFrom('gw-1', 'gw-2', 'g w,=1'),
      sensor: fc.constantFrom('s1', 's2', 's\\3', 'a b'),
      metric: fc.constantFrom('soil_moisture', 'water_level', 'm,x'),
      value: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constant(null)),
      unit: fc.constantFrom('%VWC', 'cm', 'a"b\\c', '°C', ''),
      ts: fc.integer({ min: 1_000_000_000_000, max: 32_503_680_000_000 }),
      quality: fc.constantFrom('good' as const, 'bad' as const),
      fault: fc.constantFrom('timeout' as const, 'out_of_range' as const),
    },
    { requiredKeys: ['gatewayId', 'sensor', 'metric', 'value', 'unit', 'ts'] },
  )
  .map((p) => p as StoredReading);

describe('toLines', () => {
  it('writes each point exactly as toLine does, whatever the cache holds from earlier batches', () => {
    const heads = new LineHeads(5);
    fc.assert(
      fc.property(fc.array(fc.array(point, { maxLength: 30 }), { maxLength: 4 }), (batches) => {
        for (const b of batches) expect(toLines(b, heads)).toBe(b.map(toLine).join('\n'));
        expect(heads.size).toBeLessThanOrEqual(5);
      }),
      { numRuns: 500 },
    );
  });

  it('matches the client library Point line for line (the cache included)', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 20 }), (points) => {
        expect(toLines(points).split('\n')).toEqual(points.map(toLineWithPoint));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the cache bounded: past maxEntries sensors it starts again', () => {
    const heads = new LineHeads(3);
    const p = (sensor: string): StoredReading => ({
      gatewayId: 'gw-1',
      sensor,
      metric: 'water_level',
      value: 1,
      unit: 'cm',
      ts: 1_764_288_060_000,
      quality: 'good',
    });
    heads.lines(['a', 'b', 'c'].map(p));
    expect(heads.size).toBe(3);
    expect(heads.lines([p('d')])).toBe(toLine(p('d')));
    expect(heads.size).toBe(1);
    expect(toLines([], heads)).toBe('');
  });
});
