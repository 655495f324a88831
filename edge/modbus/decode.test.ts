import { describe, expect, it } from 'vitest';
import { decodeRaw, decodeValue, encodeValue, type Encoding } from './decode.js';

const enc = (e: Partial<Encoding>): Encoding => ({ type: 'u16', wordOrder: 'ABCD', scale: 1, offset: 0, ...e });

describe('decoding register words', () => {
  it("reads u16 as unsigned and i16 as two's complement", () => {
    expect(decodeRaw([0xff9c], 'u16', 'ABCD')).toBe(65436);
    expect(decodeRaw([0xff9c], 'i16', 'ABCD')).toBe(-100);
    expect(decodeRaw([0x7fff], 'i16', 'ABCD')).toBe(32767);
    expect(decodeRaw([0x8000], 'i16', 'ABCD')).toBe(-32768);
  });

  it('puts the high word first for big word order and last for little', () => {
    expect(decodeRaw([0x0001, 0x86a0], 'u32', 'ABCD')).toBe(100_000);
    expect(decodeRaw([0x86a0, 0x0001], 'u32', 'CDAB')).toBe(100_000);
    expect(decodeRaw([0xffff, 0xfffe], 'i32', 'ABCD')).toBe(-2);
    expect(decodeRaw([0xfffe, 0xffff], 'i32', 'CDAB')).toBe(-2);
    expect(decodeRaw([0xffff, 0xffff], 'u32', 'ABCD')).toBe(4_294_967_295);
  });

  it('reads IEEE-754 floats in both word orders', () => {
    // 3.5 = 0x40600000
    expect(decodeRaw([0x4060, 0x0000], 'f32', 'ABCD')).toBe(3.5);
    expect(decodeRaw([0x0000, 0x4060], 'f32', 'CDAB')).toBe(3.5);
    expect(decodeRaw([0xc1a4, 0x0000], 'f32', 'ABCD')).toBe(-20.5);
  });

  it('reads a bit as 0 or 1', () => {
    expect(decodeRaw([1], 'bool', 'ABCD')).toBe(1);
    expect(decodeRaw([0], 'bool', 'ABCD')).toBe(0);
  });

  it('applies scale then offset without float noise', () => {
    expect(decodeValue([356], enc({ scale: 0.1 }))).toBe(35.6);
    expect(decodeValue([0xff9c], enc({ type: 'i16', scale: 0.1 }))).toBe(-10);
    expect(decodeValue([1000], enc({ scale: 0.01, offset: -5 }))).toBe(5);
    expect(decodeValue([0x0000, 0x4060], enc({ type: 'f32', wordOrder: 'CDAB', scale: 2 }))).toBe(7);
  });

  it('encodes what it decodes, for every type and word order', () => {
    const cases: [Partial<Encoding>, number][] = [
      [{ type: 'u16', scale: 0.1 }, 35.6],
      [{ type: 'i16', scale: 0.1 }, -15.2],
      [{ type: 'u32' }, 52_000],
      [{ type: 'u32', wordOrder: 'CDAB' }, 70_000],
      [{ type: 'i32', wordOrder: 'CDAB' }, -70_000],
      [{ type: 'f32' }, 2.75],
      [{ type: 'f32', wordOrder: 'CDAB' }, -0.5],
      [{ type: 'u16', offset: -40, scale: 0.5 }, 10],
    ];
    for (const [e, v] of cases) expect(decodeValue(encodeValue(v, enc(e)), enc(e))).toBeCloseTo(v, 5);
  });

  // 123.456 as an IEEE-754 float is 0x42F6E979: bytes A=42 B=F6 C=E9 D=79
  it.each([
    ['ABCD', [0x42f6, 0xe979]],
    ['CDAB', [0xe979, 0x42f6]],
    ['BADC', [0xf642, 0x79e9]],
    ['DCBA', [0x79e9, 0xf642]],
  ] as const)('reads a float sent in %s byte order', (order, words) => {
    expect(decodeRaw([...words], 'f32', order)).toBeCloseTo(123.456, 3);
    expect(encodeValue(123.456, enc({ type: 'f32', wordOrder: order }))).toEqual([...words]);
  });

  it.each([
    ['ABCD', [0x0001, 0x86a0]],
    ['CDAB', [0x86a0, 0x0001]],
    ['BADC', [0x0100, 0xa086]],
    ['DCBA', [0xa086, 0x0100]],
  ] as const)('reads the 32-bit integer 100000 sent in %s byte order', (order, words) => {
    expect(decodeRaw([...words], 'u32', order)).toBe(100_000);
    expect(decodeRaw([...words], 'i32', order)).toBe(100_000);
  });

  it('round-trips negative 32-bit integers in every byte order', () => {
    for (const wordOrder of ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const) {
      expect(decodeValue(encodeValue(-123_456, enc({ type: 'i32', wordOrder })), enc({ type: 'i32', wordOrder }))).toBe(
        -123_456,
      );
    }
  });

  it('clamps values a type cannot hold when encoding', () => {
    expect(encodeValue(-5, enc({ type: 'u16' }))).toEqual([0]);
    expect(encodeValue(40_000, enc({ type: 'i16' }))).toEqual([0x7fff]);
  });
});
