import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile, shippedProfiles } from './profile.js';

const point = (p: Record<string, unknown>) => ({ name: 'p', points: [{ metric: 'soil_moisture', address: 0, ...p }] });

describe('device profiles', () => {
  it('loads every shipped profile', () => {
    for (const name of shippedProfiles()) expect(loadProfile(name).name).toBe(name);
  });

  it('gives the common soil sensor its documented register map', () => {
    const p = loadProfile('soil-rs485-4in1');
    expect(p.points.map((x) => [x.metric, x.function, x.address, x.type, x.scale])).toEqual([
      ['soil_moisture', 3, 0, 'u16', 0.1],
      ['soil_temperature', 3, 1, 'i16', 0.1],
      ['soil_ec', 3, 2, 'u16', 1],
      ['soil_ph', 3, 3, 'u16', 0.1],
    ]);
  });

  it('fills unit and range from the metric table and defaults function 3, u16', () => {
    const p = parseProfile(point({}));
    expect(p.points[0]).toMatchObject({
      function: 3,
      type: 'u16',
      unit: '%VWC',
      range: { min: 0, max: 100 },
      scale: 1,
      offset: 0,
      wordOrder: 'ABCD',
    });
    expect(p.pollSeconds).toBe(30);
  });

  it('turns Modicon references into 0-based addresses and functions', () => {
    expect(parseProfile(point({ address: '40001' })).points[0]).toMatchObject({ function: 3, address: 0 });
    expect(parseProfile(point({ address: '30010' })).points[0]).toMatchObject({ function: 4, address: 9 });
    expect(parseProfile(point({ address: '4x0002' })).points[0]).toMatchObject({ function: 3, address: 1 });
  });

  it('names the field of each mistake', () => {
    expect(() => parseProfile(point({ address: '40001', function: 4 }))).toThrow(
      /points\.0\.address: Modicon reference "40001" is function 3/,
    );
    expect(() => parseProfile(point({ type: 'f64' }))).toThrow(/points\.0\.type/);
    expect(() => parseProfile(point({ address: 70000 }))).toThrow(/points\.0\.address: address must be ≤ 65535/);
    expect(() => parseProfile(point({ address: 'zero' }))).toThrow(/points\.0\.address/);
    expect(() => parseProfile(point({ scale: 0 }))).toThrow(/points\.0\.scale: scale must not be 0/);
    expect(() => parseProfile(point({ function: 1, type: 'u16' }))).toThrow(/points\.0\.type: function 1 reads bits/);
    expect(() => parseProfile(point({ function: 3, type: 'bool' }))).toThrow(
      /points\.0\.type: type bool needs function 1/,
    );
    expect(() => parseProfile(point({ range: { min: 5, max: 1 } }))).toThrow(/range/);
    expect(() => parseProfile(point({ metric: 'leaf_wetness' }))).toThrow(
      /points\.0\.unit: metric "leaf_wetness" is not a known metric/,
    );
    expect(() => parseProfile(point({ metric: 'Soil Moisture' }))).toThrow(/points\.0\.metric: metric: snake_case/);
    expect(() => parseProfile(point({ adress: 3 }))).toThrow(/adress/);
    expect(() => parseProfile({ name: 'empty' })).toThrow(/at least one point or coil/);
    expect(() =>
      parseProfile({
        name: 'x',
        points: [
          { metric: 'soil_ph', address: 0 },
          { metric: 'soil_ph', address: 1 },
        ],
      }),
    ).toThrow(/points\.1\.metric: metric "soil_ph" appears twice/);
    expect(() => parseProfile(point({ type: 'u32', address: 65535 }))).toThrow(/runs past register 65535/);
  });

  it('loads a user profile by path, YAML or JSON, and says which file is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'profile-'));
    writeFileSync(
      path.join(dir, 'mine.yaml'),
      'name: mine\npoints:\n  - { metric: water_level, function: 4, address: 0x10, type: i16, unit: cm, scale: 0.1 }\n',
    );
    expect(loadProfile(path.join(dir, 'mine.yaml')).points[0]).toMatchObject({ address: 16, function: 4 });
    writeFileSync(
      path.join(dir, 'mine.json'),
      JSON.stringify({ name: 'mine-json', points: [{ metric: 'salinity', address: 0, type: 'f32' }] }),
    );
    expect(loadProfile(path.join(dir, 'mine.json')).points[0]!.unit).toBe('ppt');
    writeFileSync(path.join(dir, 'bad.yaml'), 'name: bad\npoints:\n  - { metric: soil_ph, address: -1 }\n');
    expect(() => loadProfile(path.join(dir, 'bad.yaml'))).toThrow(
      /bad\.yaml is not a valid device profile: points\.0\.address/,
    );
    expect(() => loadProfile('no-such-sensor')).toThrow(
      /no shipped device profile "no-such-sensor"; shipped: soil-rs485-4in1/,
    );
    expect(() => loadProfile(path.join(dir, 'missing.yaml'))).toThrow(
      expect.objectContaining({ code: 'MODBUS_PROFILE_NOT_FOUND' }),
    );
  });

  it('takes the four 32-bit byte orders by their letters, and big/little as ABCD/CDAB', () => {
    for (const w of ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const)
      expect(parseProfile(point({ type: 'u32', wordOrder: w })).points[0]!.wordOrder).toBe(w);
    expect(parseProfile(point({ type: 'u32', wordOrder: 'big' })).points[0]!.wordOrder).toBe('ABCD');
    expect(parseProfile(point({ type: 'u32', wordOrder: 'little' })).points[0]!.wordOrder).toBe('CDAB');
    expect(() => parseProfile(point({ type: 'u32', wordOrder: 'ADCB' }))).toThrow(
      /points\.0\.wordOrder: wordOrder must be one of ABCD/,
    );
  });

  it("converts a declared unit to the metric's canonical unit at load: mm water level → cm", () => {
    const p = parseProfile({
      name: 'mm',
      points: [
        {
          metric: 'water_level',
          function: 4,
          address: 0,
          type: 'i16',
          scale: 1,
          unit: 'mm',
          range: { min: -400, max: 400 },
        },
      ],
    });
    expect(p.points[0]).toMatchObject({ unit: 'cm', scale: 0.1, offset: 0, range: { min: -40, max: 40 } });
  });

  it.each([
    ['salinity', 'g/L', 1, 2.5, 2.5],
    ['salinity', '‰', 1, 2.5, 2.5],
    ['salinity', 'mg/L', 1, 2500, 2.5],
    ['water_ec', 'mS/cm', 0.01, 520, 5200],
    ['water_ec', 'dS/m', 0.01, 520, 5200],
    ['soil_ec', 'µS/cm', 1, 800, 800],
    ['water_level', 'm', 0.001, -150, -15],
    ['tds', 'g/L', 0.01, 150, 1500],
    ['soil_salinity', 'ppm', 1, 900, 900],
    ['water_temperature', '°F', 0.1, 770, 25],
  ] as const)('converts %s in %s', (metric, unit, scale, raw, canonical) => {
    const p = parseProfile({ name: 'u', points: [{ metric, address: 0, type: 'i16', scale, unit }] });
    const pt = p.points[0]!;
    expect(raw * pt.scale + pt.offset).toBeCloseTo(canonical, 6);
  });

  it('refuses a unit the metric does not accept and lists the accepted ones', () => {
    expect(() => parseProfile(point({ metric: 'water_level', unit: 'inch' }))).toThrow(
      /points\.0\.unit: metric "water_level" does not accept unit "inch"; accepted: cm, mm, m/,
    );
    expect(() => parseProfile(point({ metric: 'salinity', unit: 'dS/m' }))).toThrow(/accepted: ppt, ‰, g\/L/);
  });

  it('accepts its own output again (a parsed profile can be passed on)', () => {
    const p = loadProfile('intake-salinity');
    expect(parseProfile(p)).toEqual(p);
  });
});

describe('soil salinity and TDS', () => {
  it("are their own metrics in mg/L, apart from the intake's salinity in ‰", () => {
    const p = loadProfile('soil-ec-salinity-tds');
    expect(
      p.points.filter((x) => x.metric === 'soil_salinity' || x.metric === 'tds').map((x) => [x.metric, x.unit]),
    ).toEqual([
      ['soil_salinity', 'mg/L'],
      ['tds', 'mg/L'],
    ]);
    expect(p.points.some((x) => x.metric === 'salinity')).toBe(false);
    // a probe's "salinity 1.2 g/L" mapped as soil_salinity arrives as 1200 mg/L
    const g = parseProfile({ name: 'g', points: [{ metric: 'soil_salinity', address: 0, scale: 0.01, unit: 'g/L' }] })
      .points[0]!;
    expect(120 * g.scale + g.offset).toBeCloseTo(1200, 6);
  });
});
