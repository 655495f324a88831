import { describe, expect, it } from 'vitest';
import type { StoredReading } from '../store.js';
import { influxqlString, toLine, toLineWithPoint } from './line-protocol.js';

const base: StoredReading = {
  gatewayId: 'gw-1',
  sensor: 'soil1',
  metric: 'soil_moisture',
  value: 38.2,
  unit: '%VWC',
  ts: 1_764_288_060_000,
  quality: 'good',
};

describe('line protocol', () => {
  it.each<[string, Partial<StoredReading>]>([
    ['a good reading', {}],
    ['a negative value and an integer value', { value: -12 }],
    ['a bad reading with a value and a fault', { quality: 'bad', value: 999, fault: 'out_of_range' }],
    ['a bad reading without a value', { quality: 'bad', value: null, fault: 'timeout' }],
    ['characters that need escaping', { gatewayId: 'g w,=1', sensor: 's\\1', unit: 'a"b\\c' }],
    ['a tiny and a huge number', { value: 1e-7 }],
  ])('writes %s exactly as the client library Point does', (_name, patch) => {
    const p = { ...base, ...patch };
    expect(toLine(p)).toBe(toLineWithPoint(p));
  });
});

describe('InfluxQL string literals', () => {
  it('escape backslashes and single quotes, and leave double quotes and ${ as they are', () => {
    expect(influxqlString(`gw'1" \\ \${x}`)).toBe(`'gw\\'1" \\\\ \${x}'`);
    expect(influxqlString('plain')).toBe("'plain'");
  });
});
