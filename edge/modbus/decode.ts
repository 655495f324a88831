/** Register data types as sensors put them on the wire. 32-bit values span two registers. */
export type DataType = 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'bool';
/**
 * How the four bytes A B C D (A most significant) of a 32-bit value sit in two registers on the
 * wire: ABCD high word first (the Modbus convention), CDAB low word first (many meters), BADC
 * bytes swapped in each word, DCBA fully reversed. Vendors' sheets use these letters.
 */
export type WordOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';

const swapBytes = (w: number) => ((w & 0xff) << 8) | ((w >> 8) & 0xff);

/** two registers as they came off the wire → [high, low] words in ABCD order */
function toAbcd(w0: number, w1: number, order: WordOrder): [number, number] {
  switch (order) {
    case 'ABCD':
      return [w0, w1];
    case 'CDAB':
      return [w1, w0];
    case 'BADC':
      return [swapBytes(w0), swapBytes(w1)];
    case 'DCBA':
      return [swapBytes(w1), swapBytes(w0)];
  }
}

export interface Encoding {
  type: DataType;
  wordOrder: WordOrder;
  scale: number;
  offset: number;
}

export function registerCount(type: DataType): number {
  return type === 'u32' || type === 'i32' || type === 'f32' ? 2 : 1;
}

/** The raw number in `words` (registers, or 0/1 bits for bool), before scale and offset. */
export function decodeRaw(words: readonly number[], type: DataType, wordOrder: WordOrder): number {
  const w0 = words[0] ?? 0;
  const w1 = words[1] ?? 0;
  switch (type) {
    case 'bool':
      return w0 ? 1 : 0;
    case 'u16':
      return w0 & 0xffff;
    case 'i16':
      return (w0 << 16) >> 16;
  }
  const buf = Buffer.alloc(4);
  const [hi, lo] = toAbcd(w0 & 0xffff, w1 & 0xffff, wordOrder);
  buf.writeUInt16BE(hi & 0xffff, 0);
  buf.writeUInt16BE(lo & 0xffff, 2);
  if (type === 'u32') return buf.readUInt32BE(0);
  if (type === 'i32') return buf.readInt32BE(0);
  return buf.readFloatBE(0);
}

/** Engineering value: raw × scale + offset, without the float noise of ×0.1. */
export function decodeValue(words: readonly number[], enc: Encoding): number {
  const v = decodeRaw(words, enc.type, enc.wordOrder) * enc.scale + enc.offset;
  return Math.round(v * 1e6) / 1e6;
}

/** The inverse, for simulators: engineering value → register words (clamped to the type). */
export function encodeValue(value: number, enc: Encoding): number[] {
  const raw = (value - enc.offset) / enc.scale;
  const buf = Buffer.alloc(4);
  switch (enc.type) {
    case 'bool':
      return [value ? 1 : 0];
    case 'u16':
      return [clamp(Math.round(raw), 0, 0xffff)];
    case 'i16':
      return [clamp(Math.round(raw), -0x8000, 0x7fff) & 0xffff];
    case 'u32':
      buf.writeUInt32BE(clamp(Math.round(raw), 0, 0xffffffff), 0);
      break;
    case 'i32':
      buf.writeInt32BE(clamp(Math.round(raw), -0x80000000, 0x7fffffff), 0);
      break;
    case 'f32':
      buf.writeFloatBE(raw, 0);
      break;
  }
  const hi = buf.readUInt16BE(0);
  const lo = buf.readUInt16BE(2);
  // every order is its own inverse on the pair (ABCD ↔ wire)
  return toAbcd(hi, lo, enc.wordOrder);
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}
