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
      ['soil_moisture', 3, 0, 'u16', 0.1], ['soil_temperature', 3, 1, 'i16', 0.1], ['soil_ec', 3, 2, 'u16', 1], ['soil_ph', 3, 3, 'u16', 0.1],
    ]);
  });

  it('fills unit and range from the metric table and defaults function 3, u16', () => {
    const p = parseProfile(point({}));
    expect(p.points[0]).toMatchObject({ function: 3, type: 'u16', unit: '%VWC', range: { min: 0, max: 100 }, scale: 1, offset: 0, wordOrder: 'big' });
    expect(p.pollSeconds).toBe(30);
  });

  it('turns Modicon references into 0-based addresses and functions', () => {
    expect(parseProfile(point({ address: '40001' })).points[0]).toMatchObject({ function: 3, address: 0 });
    expect(parseProfile(point({ address: '30010' })).points[0]).toMatchObject({ function: 4, address: 9 });
    expect(parseProfile(point({ address: '4x0002' })).points[0]).toMatchObject({ function: 3, address: 1 });
  });

  it('names the field of each mistake', () => {
    expect(() => parseProfile(point({ address: '40001', function: 4 }))).toThrow(/points\.0\.address: Modicon reference "40001" is function 3/);
    expect(() => parseProfile(point({ type: 'f64' }))).toThrow(/points\.0\.type/);
    expect(() => parseProfile(point({ address: 70000 }))).toThrow(/points\.0\.address: address must be ≤ 65535/);
    expect(() => parseProfile(point({ address: 'zero' }))).toThrow(/points\.0\.address/);
    expect(() => parseProfile(point({ scale: 0 }))).toThrow(/points\.0\.scale: scale must not be 0/);
    expect(() => parseProfile(point({ function: 1, type: 'u16' }))).toThrow(/points\.0\.type: function 1 reads bits/);
    expect(() => parseProfile(point({ function: 3, type: 'bool' }))).toThrow(/points\.0\.type: type bool needs function 1/);
    expect(() => parseProfile(point({ range: { min: 5, max: 1 } }))).toThrow(/range/);
    expect(() => parseProfile(point({ metric: 'leaf_wetness' }))).toThrow(/points\.0\.unit: metric "leaf_wetness" is not a known metric/);
    expect(() => parseProfile(point({ metric: 'Soil Moisture' }))).toThrow(/points\.0\.metric: metric: snake_case/);
    expect(() => parseProfile(point({ adress: 3 }))).toThrow(/adress/);
    expect(() => parseProfile({ name: 'empty' })).toThrow(/at least one point or coil/);
    expect(() => parseProfile({ name: 'x', points: [{ metric: 'soil_ph', address: 0 }, { metric: 'soil_ph', address: 1 }] })).toThrow(/points\.1\.metric: metric "soil_ph" appears twice/);
    expect(() => parseProfile(point({ type: 'u32', address: 65535 }))).toThrow(/runs past register 65535/);
  });

  it('loads a user profile by path, YAML or JSON, and says which file is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'profile-'));
    writeFileSync(path.join(dir, 'mine.yaml'), 'name: mine\npoints:\n  - { metric: water_level, function: 4, address: 0x10, type: i16, unit: cm, scale: 0.1 }\n');
    expect(loadProfile(path.join(dir, 'mine.yaml')).points[0]).toMatchObject({ address: 16, function: 4 });
    writeFileSync(path.join(dir, 'mine.json'), JSON.stringify({ name: 'mine-json', points: [{ metric: 'salinity', address: 0, type: 'f32' }] }));
    expect(loadProfile(path.join(dir, 'mine.json')).points[0]!.unit).toBe('ppt');
    writeFileSync(path.join(dir, 'bad.yaml'), 'name: bad\npoints:\n  - { metric: soil_ph, address: -1 }\n');
    expect(() => loadProfile(path.join(dir, 'bad.yaml'))).toThrow(/bad\.yaml is not a valid device profile: points\.0\.address/);
    expect(() => loadProfile('no-such-sensor')).toThrow(/no shipped device profile "no-such-sensor"; shipped: soil-rs485-4in1/);
    expect(() => loadProfile(path.join(dir, 'missing.yaml'))).toThrow(expect.objectContaining({ code: 'MODBUS_PROFILE_NOT_FOUND' }));
  });

  it('accepts its own output again (a parsed profile can be passed on)', () => {
    const p = loadProfile('intake-salinity');
    expect(parseProfile(p)).toEqual(p);
  });
});
