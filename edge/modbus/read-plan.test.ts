import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile } from './profile.js';
import { planReads } from './read-plan.js';

describe('planReads', () => {
  it('reads the 4-in-1 soil sensor in one transaction', () => {
    expect(planReads(loadProfile('soil-rs485-4in1')).map((b) => [b.fc, b.address, b.length])).toEqual([[3, 0, 4]]);
  });

  it('counts 32-bit values as two registers', () => {
    const blocks = planReads(loadProfile('intake-salinity'));
    expect(blocks.map((b) => [b.fc, b.address, b.length])).toEqual([[3, 0, 5]]);
    expect(blocks[0]!.points.map((p) => p.offset)).toEqual([0, 2, 4]);
  });

  it('never bridges a gap and keeps functions apart', () => {
    const p = parseProfile({
      name: 'x',
      points: [
        { metric: 'soil_moisture', address: 0 },
        { metric: 'soil_ph', address: 2 },
        { metric: 'water_level', function: 4, address: 0, type: 'i16' },
        { metric: 'soil_ec', address: 1 },
      ],
    });
    expect(planReads(p).map((b) => [b.fc, b.address, b.length])).toEqual([
      [3, 0, 3],
      [4, 0, 1],
    ]);
    const gap = parseProfile({
      name: 'y',
      points: [
        { metric: 'soil_moisture', address: 0 },
        { metric: 'soil_ph', address: 5 },
      ],
    });
    expect(planReads(gap).map((b) => [b.address, b.length])).toEqual([
      [0, 1],
      [5, 1],
    ]);
  });

  it("splits at the profile's largest read", () => {
    const p = parseProfile({
      name: 'z',
      maxReadRegisters: 2,
      points: [
        { metric: 'soil_moisture', address: 0 },
        { metric: 'soil_temperature', address: 1, type: 'i16' },
        { metric: 'soil_ec', address: 2 },
      ],
    });
    expect(planReads(p).map((b) => [b.address, b.length])).toEqual([
      [0, 2],
      [2, 1],
    ]);
  });
});
