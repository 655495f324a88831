import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricInfo, type Reading } from '../../protocol/index.js';
import type { StoredReading } from '../telemetry/store.js';
import { acceptReadings, MAX_ABS_VALUE } from './accept.js';

const NOW = 1_764_288_060_000;

/** The rule, written plainly, one reading at a time: what acceptReadings must do for each. */
function refusal(r: Reading, latestTs: number): 'range' | 'future' | null {
  if (r.ts > latestTs) return 'future';
  if (r.value === null) return null;
  if (Math.abs(r.value) > MAX_ABS_VALUE) return 'range';
  const m = Object.hasOwn(knownRanges, r.metric) ? metricInfo(r.metric) : undefined;
  if (m && r.quality !== 'bad' && (r.value < m.min || r.value > m.max)) return 'range';
  return null;
}
const knownRanges = { water_level: 1, soil_moisture: 1, salinity: 1 };

const reading: fc.Arbitrary<Reading> = fc.record({
  sensor: fc.constantFrom('s1', 's2'),
  metric: fc.constantFrom('water_level', 'soil_moisture', 'salinity', 'made_up', 'constructor', 'tostring'),
  value: fc.oneof(
    fc.double({ min: -200, max: 200, noNaN: true }),
    fc.constantFrom(null, -100, 100, 60, 60.0001, 1e12, -1e12, 1e12 + 1, -1e13, 1e308),
  ),
  unit: fc.constant('u'),
  ts: fc.constantFrom(NOW - 1000, NOW, NOW + 1),
  quality: fc.constantFrom('good' as const, 'bad' as const),
});

describe('acceptReadings', () => {
  it('keeps and refuses exactly what the rule says, in order, tagging what it keeps', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 40 }), (readings) => {
        const input = readings.map((r) => ({ ...r }));
        const out: StoredReading[] = [];
        const a = acceptReadings('gw-1', input, NOW, out);
        const verdicts = readings.map((r) => refusal(r, NOW));
        expect(out).toEqual(readings.filter((_, i) => !verdicts[i]).map((r) => ({ ...r, gatewayId: 'gw-1' })));
        expect(a.range).toBe(verdicts.filter((v) => v === 'range').length);
        expect(a.future).toBe(verdicts.filter((v) => v === 'future').length);
        expect(a.stored).toBe(out.length);
        expect(a.bad).toBe(out.filter((r) => r.quality === 'bad').length);
        const first = verdicts.findIndex((v) => v !== null);
        expect(a.firstRefused).toEqual(first < 0 ? undefined : { reading: input[first], reason: verdicts[first] });
      }),
      { numRuns: 500 },
    );
  });

  it('appends the parsed objects themselves (no copy) to what is already in the batch', () => {
    const r: Reading = { sensor: 's1', metric: 'water_level', value: -12, unit: 'cm', ts: NOW, quality: 'good' };
    const before = { ...r, gatewayId: 'gw-0' };
    const out: StoredReading[] = [before];
    acceptReadings('gw-1', [r], NOW, out);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(before);
    expect(out[1]).toBe(r);
    expect(out[1]!.gatewayId).toBe('gw-1');
  });

  it('keeps a bad reading with its out-of-range value as evidence, but not a value beyond ±1e12', () => {
    const bad = (value: number): Reading => ({
      sensor: 's',
      metric: 'water_level',
      value,
      unit: 'cm',
      ts: NOW,
      quality: 'bad',
      fault: 'out_of_range',
    });
    const out: StoredReading[] = [];
    expect(acceptReadings('gw-1', [bad(999), bad(-2e12)], NOW, out)).toMatchObject({ stored: 1, bad: 1, range: 1 });
    expect(out.map((r) => r.value)).toEqual([999]);
  });
});
