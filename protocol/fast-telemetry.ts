import { z } from 'zod';
import { Telemetry, type Reading } from './schemas/messages.js';

/**
 * The ingest's fast path for the one message that comes by the hundred thousand a second: a
 * check of JSON.parse output against the `Telemetry` schema, written out by hand, that accepts
 * exactly what `Telemetry.safeParse` accepts and gives the same value — without copying the
 * readings (the parsed objects are checked in place; a missing `quality` gets its default
 * written in, an object with keys the schema does not know is replaced by a copy without them,
 * as zod strips them).
 *
 * The zod schema stays the contract: every limit here (patterns, lengths, bounds, enums, the
 * default, the required and known keys) is read from `z.toJSONSchema(Telemetry)` the first time
 * the fast path runs. What the JSON schema cannot say — `Reading`'s refine (a good reading
 * needs a value), `int` meaning a safe integer, finiteness — is written here and held to zod by
 * the property test in fast-telemetry.test.ts. If the schema's shape is not the one this code
 * knows (a field added, a type changed), the fast path turns itself off and zod decides
 * everything (`fastTelemetryEnabled()` says which; a unit test fails until it is taught).
 *
 * Input: a value from JSON.parse (no `undefined`, no class instances, no getters). Output: the
 * parsed telemetry (the input itself, or a cleaned copy of it), or `undefined` when zod would
 * refuse it — then ask zod for the message.
 */
export function fastTelemetry(json: unknown): Telemetry | undefined {
  const c = compiled ?? (compiled = compile());
  if (!c) return undefined;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const bootId = o.bootId;
  const seq = o.seq;
  const ts = o.ts;
  const readings = o.readings;
  if (typeof bootId !== 'string' || bootId.length < c.bootIdMin || bootId.length > c.bootIdMax) return undefined;
  if (!c.bootIdPattern.test(bootId)) return undefined;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < c.seqMin || seq > c.seqMax) return undefined;
  let keys = 3;
  if (ts !== undefined) {
    if (typeof ts !== 'number' || !Number.isInteger(ts) || ts < c.tsMin || ts > c.tsMax) return undefined;
    keys++;
  }
  if (!Array.isArray(readings) || readings.length < c.readingsMin || readings.length > c.readingsMax) return undefined;
  // the same metric comes again and again in one message: test its pattern once per run of it
  let goodMetric: string | undefined;
  const n = readings.length;
  for (let i = 0; i < n; i++) {
    const r: unknown = readings[i];
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return undefined;
    const x = r as Record<string, unknown>;
    const sensor = x.sensor;
    const metric = x.metric;
    const value = x.value;
    const unit = x.unit;
    const rts = x.ts;
    const quality = x.quality;
    const fault = x.fault;
    if (typeof sensor !== 'string' || !c.sensorPattern.test(sensor)) return undefined;
    if (typeof metric !== 'string') return undefined;
    if (metric !== goodMetric) {
      if (!c.metricPattern.test(metric)) return undefined;
      goodMetric = metric;
    }
    if (value === null) {
      // zod's refine: a good reading needs a value
      if (quality !== 'bad') return undefined;
    } else if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    if (typeof unit !== 'string' || unit.length > c.unitMax) return undefined;
    if (typeof rts !== 'number' || !Number.isInteger(rts) || rts < c.tsMin || rts > c.tsMax) return undefined;
    let readingKeys = 5;
    if (quality !== undefined) {
      if (quality !== c.qualities[0] && quality !== c.qualities[1]) return undefined;
      readingKeys++;
    }
    if (fault !== undefined) {
      if (typeof fault !== 'string' || !c.faults.has(fault)) return undefined;
      readingKeys++;
    }
    if (countKeys(x) !== readingKeys) {
      // keys the schema does not know: zod strips them, so does this (rare: a newer gateway)
      const clean: Record<string, unknown> = { sensor, metric, value, unit, ts: rts, quality: quality ?? c.quality };
      if (fault !== undefined) clean.fault = fault;
      readings[i] = clean;
    } else if (quality === undefined) x.quality = c.quality;
  }
  if (countKeys(o) === keys) return o as Telemetry;
  const clean: Record<string, unknown> = { bootId, seq };
  if (ts !== undefined) clean.ts = ts;
  clean.readings = readings;
  return clean as Telemetry;
}

/** False when the Telemetry schema has a shape this fast path does not know: then zod decides every message. */
export function fastTelemetryEnabled(): boolean {
  return (compiled ?? (compiled = compile())) !== null;
}

function countKeys(o: object): number {
  let n = 0;
  // JSON.parse output: own enumerable keys only, "__proto__" included as an own key
  for (const _ in o) n++;
  return n;
}

interface Compiled {
  bootIdMin: number;
  bootIdMax: number;
  bootIdPattern: RegExp;
  seqMin: number;
  seqMax: number;
  tsMin: number;
  tsMax: number;
  readingsMin: number;
  readingsMax: number;
  sensorPattern: RegExp;
  metricPattern: RegExp;
  unitMax: number;
  qualities: readonly [string, string];
  quality: Reading['quality'];
  faults: ReadonlySet<string>;
}

/** undefined: not compiled yet; null: the schema has a shape this code does not know */
let compiled: Compiled | null | undefined;

interface Js {
  type?: string | string[];
  properties?: Record<string, Js>;
  required?: string[];
  items?: Js;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  default?: unknown;
  additionalProperties?: unknown;
}

const sameKeys = (o: Record<string, unknown> | undefined, keys: string[]) =>
  !!o && Object.keys(o).sort().join() === [...keys].sort().join();
const sameList = (a: unknown[] | undefined, b: string[]) => !!a && a.join() === b.join();
const num = (v: unknown): number => {
  if (typeof v !== 'number') throw new Error('missing bound');
  return v;
};
const enumOf = (s: Js): string[] => {
  if (s.type !== 'string' || !s.enum?.every((v) => typeof v === 'string')) throw new Error('not a string enum');
  return s.enum;
};
const stringOf = (s: Js, keys: string[]) => {
  if (s.type !== 'string' || !sameKeys(s as Record<string, unknown>, ['type', ...keys]))
    throw new Error('not the string this code knows');
  return s;
};
const intOf = (s: Js) => {
  if (s.type !== 'integer' || !sameKeys(s as Record<string, unknown>, ['type', 'minimum', 'maximum']))
    throw new Error('not the integer this code knows');
  return { min: num(s.minimum), max: num(s.maximum) };
};

/** Reads every limit off the zod schema (through its JSON schema, zod's public view of it). */
export function compile(schema: z.ZodType = Telemetry): Compiled | null {
  try {
    const t = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as Js;
    const p = t.properties!;
    if (t.type !== 'object' || !sameKeys(p, ['bootId', 'seq', 'ts', 'readings'])) return null;
    if (!sameList(t.required, ['bootId', 'seq', 'readings'])) return null;
    const r = p.readings!;
    const item = r.items!;
    const rp = item.properties!;
    if (r.type !== 'array' || item.type !== 'object') return null;
    if (!sameKeys(rp, ['sensor', 'metric', 'value', 'unit', 'ts', 'quality', 'fault'])) return null;
    if (!sameList(item.required, ['sensor', 'metric', 'value', 'unit', 'ts'])) return null;
    const value = rp.value!;
    if (!Array.isArray(value.type) || value.type.join() !== 'number,null' || Object.keys(value).length !== 1)
      return null;
    const bootId = stringOf(p.bootId!, ['minLength', 'maxLength', 'pattern']);
    const seq = intOf(p.seq!);
    const ts = intOf(p.ts!);
    const readingTs = intOf(rp.ts!);
    if (readingTs.min !== ts.min || readingTs.max !== ts.max) return null;
    // zod's int() is a safe integer: the JSON schema says so by its bounds, checked here
    for (const b of [seq, ts]) if (b.min < Number.MIN_SAFE_INTEGER || b.max > Number.MAX_SAFE_INTEGER) return null;
    const qualities = enumOf(rp.quality!);
    const quality = rp.quality!.default;
    if (qualities.length !== 2 || typeof quality !== 'string' || !qualities.includes(quality)) return null;
    const unit = stringOf(rp.unit!, ['maxLength']);
    return {
      bootIdMin: num(bootId.minLength),
      bootIdMax: num(bootId.maxLength),
      bootIdPattern: new RegExp(bootId.pattern!),
      seqMin: seq.min,
      seqMax: seq.max,
      tsMin: ts.min,
      tsMax: ts.max,
      readingsMin: num(r.minItems),
      readingsMax: num(r.maxItems),
      sensorPattern: new RegExp(stringOf(rp.sensor!, ['pattern']).pattern!),
      metricPattern: new RegExp(stringOf(rp.metric!, ['pattern']).pattern!),
      unitMax: num(unit.maxLength),
      qualities: [qualities[0]!, qualities[1]!],
      quality: quality as Reading['quality'],
      faults: new Set(enumOf(rp.fault!)),
    };
  } catch {
    return null;
  }
}
