import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MissionError } from './errors.js';
import { DEFAULT_FIELD_LIMITS, fieldIssues } from './field.js';
import { parseFieldFile } from './field-import.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const parse = (name: string) => parseFieldFile(fixture(name), { filename: name });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MissionError);
    expect((err as MissionError).message.length).toBeGreaterThan(20);
    return (err as MissionError).code;
  }
  throw new Error('expected a MissionError');
}

describe('field import and validation', () => {
  it('imports a GeoJSON FeatureCollection with an exclusion and a home point', () => {
    const f = parse('field-l-canal.geojson');
    expect(f.name).toBe('Ruộng ông Tư');
    expect(f.exclusions).toHaveLength(1);
    expect(f.exclusions[0]!.bufferM).toBe(25);
    expect(f.home).toBeDefined();
    expect(f.areaM2).toBeGreaterThan(40_000);
    expect(f.areaM2).toBeLessThan(41_500);
  });

  it('imports a KML polygon with its holes', () => {
    const f = parse('field-holes.kml');
    expect(f.boundary.coordinates).toHaveLength(3);
    expect(f.areaM2).toBeCloseTo(200 * 140 - 400 - 480, -1);
  });

  it('rejects a boundary that crosses itself', () => {
    expect(codeOf(() => parse('self-intersecting.geojson'))).toBe('FIELD_SELF_INTERSECTION');
  });

  it('rejects a ring with fewer than three distinct points', () => {
    expect(codeOf(() => parse('too-few-points.geojson'))).toBe('FIELD_TOO_FEW_POINTS');
  });

  it('rejects a ring whose last point does not repeat the first', () => {
    expect(codeOf(() => parse('unclosed.geojson'))).toBe('FIELD_RING_NOT_CLOSED');
  });

  it('recognises [lat, lon] pairs of a Delta field as swapped', () => {
    expect(codeOf(() => parse('swapped.geojson'))).toBe('FIELD_LONLAT_SWAPPED');
  });

  it('recognises a swapped pair that stays within ±90° by where it lands', () => {
    // a field near Valencia written [lat, lon] lands in the sea off Somalia; swapped it is in the region
    const ring = [
      [39.47, -0.38],
      [39.47, -0.37],
      [39.48, -0.37],
      [39.48, -0.38],
      [39.47, -0.38],
    ];
    const { issues } = fieldIssues([ring], { ...DEFAULT_LIMITS_SPAIN });
    expect(issues[0]!.code).toBe('FIELD_LONLAT_SWAPPED');
  });

  it('rejects a field under 100 m² and one over 1,000 ha', () => {
    expect(codeOf(() => parse('tiny.geojson'))).toBe('FIELD_TOO_SMALL');
    expect(codeOf(() => parse('huge.geojson'))).toBe('FIELD_TOO_LARGE');
  });

  it('rejects a field with more vertices than the limit', () => {
    const ring = Array.from({ length: 5_001 }, (_, i) => {
      const a = (i / 5_001) * 2 * Math.PI;
      return [105.74 + 0.002 * Math.cos(a), 10.04 + 0.002 * Math.sin(a)];
    });
    ring.push(ring[0]!);
    const text = JSON.stringify({ type: 'Polygon', coordinates: [ring] });
    expect(codeOf(() => parseFieldFile(text))).toBe('FIELD_TOO_MANY_VERTICES');
  });

  it('rejects a file over the size limit before parsing it', () => {
    const text = `{"type":"Polygon","coordinates":[[${'[105.74,10.04],'.repeat(150_000)}[105.74,10.04]]]}`;
    expect(codeOf(() => parseFieldFile(text))).toBe('FIELD_FILE_TOO_LARGE');
  });

  it('rejects a hole outside the boundary', () => {
    expect(codeOf(() => parse('hole-outside.geojson'))).toBe('FIELD_HOLE_OUTSIDE');
  });

  it('rejects geometry that is not a polygon, two fields in one file, and broken files', () => {
    expect(codeOf(() => parse('point.geojson'))).toBe('FIELD_NOT_POLYGON');
    expect(codeOf(() => parse('two-fields.geojson'))).toBe('FIELD_MULTIPLE_POLYGONS');
    expect(codeOf(() => parse('broken.geojson'))).toBe('FIELD_PARSE_ERROR');
    expect(codeOf(() => parse('broken.kml'))).toBe('FIELD_PARSE_ERROR');
  });
});

describe('lon/lat swap told apart anywhere on Earth, first field included', () => {
  /** a 200 × 200 m square field whose south-west corner is [lon, lat] */
  const at = (lon: number, lat: number) => {
    const d = 200 / 111_320;
    const dl = d / Math.cos((lat * Math.PI) / 180);
    return [
      [
        [lon, lat],
        [lon + dl, lat],
        [lon + dl, lat + d],
        [lon, lat + d],
        [lon, lat],
      ],
    ];
  };
  const swap = (rings: number[][][]) => rings.map((r) => r.map(([a, b]) => [b!, a!]));
  const first = (rings: number[][][]) => fieldIssues(rings, DEFAULT_FIELD_LIMITS).issues;

  it('refuses a Dutch field written [lat, lon], which would lie in the Indian Ocean', () => {
    expect(first(swap(at(6.54, 51.9)))[0]).toMatchObject({
      code: 'FIELD_LONLAT_SWAPPED',
      params: { lon: expect.closeTo(51.9, 2), lat: expect.closeTo(6.54, 2), reason: 'ocean' },
    });
  });

  it('refuses an Argentine field written [lat, lon], which would lie in the Southern Ocean', () => {
    expect(first(swap(at(-60.57, -33.89)))[0]).toMatchObject({
      code: 'FIELD_LONLAT_SWAPPED',
      params: { swappedLon: expect.closeTo(-60.57, 2), swappedLat: expect.closeTo(-33.89, 2), reason: 'ocean' },
    });
  });

  it('refuses a Vietnamese field written [lat, lon] (latitude over 90)', () => {
    expect(first(swap(at(105.78, 10.03)))[0]).toMatchObject({
      code: 'FIELD_LONLAT_SWAPPED',
      params: { reason: 'range' },
    });
  });

  it('refuses a field on the Gulf coast written [lat, lon], which would lie in Antarctica', () => {
    expect(first(swap(at(-87.2, 30.6)))[0]).toMatchObject({
      code: 'FIELD_LONLAT_SWAPPED',
      params: { reason: 'ocean' },
    });
  });

  it('accepts fields written the right way round everywhere, coasts and polders included, with no warning', () => {
    const fields: Array<[string, number, number]> = [
      ['Winterswijk', 6.54, 51.9],
      ['Flevoland polder', 5.5, 52.5],
      ['Zeeland', 3.8, 51.5],
      ['Pergamino', -60.57, -33.89],
      ['Cần Thơ', 105.78, 10.03],
      ['Bạc Liêu coast', 105.7, 9.2],
      ['Illinois', -90.13, 41.47],
      ['Nile delta', 31, 30.5],
      ['Canberra', 149.16, -35.36],
      ['Iceland', -21, 64],
      ['Kenya', 36.8, -1.3],
      ['Punjab', 75.8, 30.9],
    ];
    for (const [name, lon, lat] of fields) expect({ name, issues: first(at(lon, lat)) }).toEqual({ name, issues: [] });
  });

  it('accepts a field out at sea when the cooperative already works there (an island the map lacks)', () => {
    const ring = at(51.9, 6.54);
    expect(first(ring)[0]?.code).toBe('FIELD_LONLAT_SWAPPED');
    expect(fieldIssues(ring, { ...DEFAULT_FIELD_LIMITS, near: [[51.91, 6.55]] }).issues).toEqual([]);
  });
});

const DEFAULT_LIMITS_SPAIN = {
  maxFileBytes: 2_000_000,
  maxVertices: 5_000,
  minAreaM2: 100,
  maxAreaM2: 1e7,
  region: { minLon: -10, maxLon: 5, minLat: 35, maxLat: 44 },
};
