import { describe, expect, it } from 'vitest';
import { decodeRaw, decodeValue, encodeValue, type Encoding } from './decode.js';

const enc = (e: Partial<Encoding>): Encoding => ({ type: 'u16', wordOrder: 'big', scale: 1, offset: 0, ...e });

describe('decoding register words', () => {
  it('reads u16 as unsigned and i16 as two\'s complement', () => {
    expect(decodeRaw([0xff9c], 'u16', 'big')).toBe(65436);
    expect(decodeRaw([0xff9c], 'i16', 'big')).toBe(-100);
    expect(decodeRaw([0x7fff], 'i16', 'big')).toBe(32767);
    expect(decodeRaw([0x8000], 'i16', 'big')).toBe(-32768);
  });

  it('puts the high word first for big word order and last for little', () => {
    expect(decodeRaw([0x0001, 0x86a0], 'u32', 'big')).toBe(100_000);
    expect(decodeRaw([0x86a0, 0x0001], 'u32', 'little')).toBe(100_000);
    expect(decodeRaw([0xffff, 0xfffe], 'i32', 'big')).toBe(-2);
    expect(decodeRaw([0xfffe, 0xffff], 'i32', 'little')).toBe(-2);
    expect(decodeRaw([0xffff, 0xffff], 'u32', 'big')).toBe(4_294_967_295);
  });

  it('reads IEEE-754 floats in both word orders', () => {
    // 3.5 = 0x40600000
    expect(decodeRaw([0x4060, 0x0000], 'f32', 'big')).toBe(3.5);
    expect(decodeRaw([0x0000, 0x4060], 'f32', 'little')).toBe(3.5);
    expect(decodeRaw([0xc1a4, 0x0000], 'f32', 'big')).toBe(-20.5);
  });

  it('reads a bit as 0 or 1', () => {
    expect(decodeRaw([1], 'bool', 'big')).toBe(1);
    expect(decodeRaw([0], 'bool', 'big')).toBe(0);
  });

  it('applies scale then offset without float noise', () => {
    expect(decodeValue([356], enc({ scale: 0.1 }))).toBe(35.6);
    expect(decodeValue([0xff9c], enc({ type: 'i16', scale: 0.1 }))).toBe(-10);
    expect(decodeValue([1000], enc({ scale: 0.01, offset: -5 }))).toBe(5);
    expect(decodeValue([0x0000, 0x4060], enc({ type: 'f32', wordOrder: 'little', scale: 2 }))).toBe(7);
  });

  it('encodes what it decodes, for every type and word order', () => {
    const cases: [Partial<Encoding>, number][] = [
      [{ type: 'u16', scale: 0.1 }, 35.6], [{ type: 'i16', scale: 0.1 }, -15.2], [{ type: 'u32' }, 52_000],
      [{ type: 'u32', wordOrder: 'little' }, 70_000], [{ type: 'i32', wordOrder: 'little' }, -70_000],
      [{ type: 'f32' }, 2.75], [{ type: 'f32', wordOrder: 'little' }, -0.5], [{ type: 'u16', offset: -40, scale: 0.5 }, 10],
    ];
    for (const [e, v] of cases) expect(decodeValue(encodeValue(v, enc(e)), enc(e))).toBeCloseTo(v, 5);
  });

  it('clamps values a type cannot hold when encoding', () => {
    expect(encodeValue(-5, enc({ type: 'u16' }))).toEqual([0]);
    expect(encodeValue(40_000, enc({ type: 'i16' }))).toEqual([0x7fff]);
  });
});
