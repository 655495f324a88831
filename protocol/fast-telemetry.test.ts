import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueSummary } from '../lib/zod-issues.js';
import { decodePayload } from './decode.js';
import { compile, fastTelemetry, fastTelemetryEnabled } from './fast-telemetry.js';
import { fixture } from './fixtures/index.js';
import { MAX_READINGS_PER_MESSAGE, Reading, Telemetry } from './schemas/messages.js';
import { topics } from './topics.js';

const TS_MIN = 1_000_000_000_000;
const TS_MAX = 32_503_680_000_000;
const FAULTS = ['timeout', 'crc', 'exception', 'out_of_range', 'stale', 'unit_id', 'disconnected'];

/** The same JSON text through both: fast path and zod must agree on yes/no and on the value. */
function agree(text: string): { fast: unknown; zod: ReturnType<typeof Telemetry.safeParse> } {
  const fast = fastTelemetry(JSON.parse(text));
  const zod = Telemetry.safeParse(JSON.parse(text));
  expect(fast !== undefined, `fast ${fast === undefined ? 'refused' : 'accepted'} what zod did not: ${text}`).toBe(
    zod.success,
  );
  if (zod.success) expect(fast).toStrictEqual(zod.data);
  return { fast, zod };
}

// values near every edge the schema has, and plain wrong ones; the right kind of value most often,
// so that many whole messages are valid and the comparison covers accepted values, not only refusals
const anyJson = fc.jsonValue({ maxDepth: 2 });
const mostly = <T>(good: fc.Arbitrary<T>, ...edges: fc.Arbitrary<unknown>[]) =>
  fc.oneof({ weight: 6 * edges.length, arbitrary: good }, ...edges);
/** deletes one of `keys` from a record now and then (a missing field) */
const dropSome = (keys: string[]) => fc.option(fc.constantFrom(...keys), { freq: 6 });
const timestamp = mostly(
  fc.integer({ min: TS_MIN, max: TS_MAX }),
  fc.constantFrom(TS_MIN, TS_MIN - 1, TS_MAX, TS_MAX + 1, 1_764_288_060_000.5, 1_764_288_060, 0, -1, 2 ** 53, 1e300),
  anyJson,
);
const idLike = mostly(
  fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  fc.constantFrom('', 'S1', 'a b', 'a,b', '-x', 'x'.repeat(64), 'x'.repeat(65), 'ä', 'a\n'),
  fc.string({ maxLength: 70 }),
  anyJson,
);
const metric = mostly(
  fc.constantFrom('soil_moisture', 'water_level', 'salinity', 'constructor', '__proto__', 'Soil', '1x', 'm'.repeat(65)),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,63}$/),
  fc.string({ maxLength: 8 }),
  anyJson,
);
const value = mostly(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(null, 0, -0, 1e12, 1e12 + 1, -1e300, 1e308, Number.MAX_VALUE, 5e-324),
  anyJson,
);
const unit = mostly(
  fc.constantFrom('%VWC', 'cm', '°C', 'µS/cm', '‰', '', 'x'.repeat(16), 'x'.repeat(17), 'a"b\\c'),
  fc.string({ maxLength: 20 }),
  anyJson,
);
const quality = mostly(fc.constantFrom('good', 'bad'), fc.constantFrom('Good', '', null, 0), anyJson);
const fault = mostly(fc.constantFrom(...FAULTS), fc.constantFrom('TIMEOUT', '', null, 1), anyJson);
const extraKey = fc.constantFrom('extra', '__proto__', 'constructor', 'Value', 'gatewayId', 'toString');

/** A reading: mostly well-formed, each field sometimes missing, wrong, or joined by keys zod does not know. */
const reading = fc
  .record(
    {
      sensor: idLike,
      metric,
      value,
      unit,
      ts: timestamp,
      quality,
      fault,
      extra: fc.dictionary(extraKey, anyJson, { maxKeys: 1 }),
      drop: dropSome(['sensor', 'metric', 'value', 'unit', 'ts']),
    },
    { requiredKeys: ['sensor', 'metric', 'value', 'unit', 'ts', 'extra', 'drop'] },
  )
  .map(({ extra, drop, ...r }) => {
    const out: Record<string, unknown> = { ...r, ...extra };
    if (drop) delete out[drop];
    return out;
  });

/** Mostly valid readings, so accepted messages are common and not only refusals are compared. */
const goodReading = fc
  .record(
    {
      sensor: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,15}$/),
      metric: fc.constantFrom('soil_moisture', 'water_level', 'salinity'),
      value: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
      unit: fc.constantFrom('%VWC', 'cm', 'ppt', '°C'),
      ts: fc.integer({ min: TS_MIN, max: TS_MAX }),
      quality: fc.constantFrom('good', 'bad'),
      fault: fc.constantFrom(...FAULTS),
    },
    { requiredKeys: ['sensor', 'metric', 'value', 'unit', 'ts'] },
  )
  // a good reading needs a value: these are all valid
  .map((r) => (r.value === null ? { ...r, quality: 'bad' as const } : r));

const message = (readingArb: fc.Arbitrary<unknown>) =>
  fc
    .record(
      {
        bootId: mostly(
          fc.stringMatching(/^[A-Za-z0-9_-]{4,64}$/),
          fc.constantFrom('abc', 'abcd', 'x'.repeat(64), 'x'.repeat(65), 'ab cd', 'ab/cd'),
          anyJson,
        ),
        seq: mostly(fc.nat(), fc.constantFrom(0, -0, -1, 1.5, 2 ** 53 - 1, 2 ** 53, 1e21, null, '1'), anyJson),
        ts: timestamp,
        readings: mostly(fc.array(readingArb, { maxLength: 6 }), anyJson),
        extra: fc.dictionary(extraKey, anyJson, { maxKeys: 1 }),
        drop: dropSome(['bootId', 'seq', 'readings']),
      },
      { requiredKeys: ['bootId', 'seq', 'readings', 'extra', 'drop'] },
    )
    .map(({ extra, drop, ...m }) => {
      const out: Record<string, unknown> = { ...m, ...extra };
      if (drop) delete out[drop];
      return out;
    });

describe('fastTelemetry (the ingest fast path) against zod', () => {
  it('is on: the Telemetry schema has the shape the fast path knows', () => {
    expect(fastTelemetryEnabled()).toBe(true);
  });

  it('accepts exactly what zod accepts, with the same value, for arbitrary messages', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof({ weight: 4, arbitrary: message(reading) }, { weight: 4, arbitrary: message(goodReading) }, anyJson),
        (m) => {
          if (agree(JSON.stringify(m)).zod.success) accepted++;
        },
      ),
      { numRuns: 4000 },
    );
    // the comparison is worth something only if both sides said yes often enough (~4 % here,
    // where most messages carry some wrong field; the next test is mostly valid ones)
    expect(accepted).toBeGreaterThan(80);
  });

  it('agrees on mostly valid messages, where one bad reading anywhere refuses the whole message', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.record({
          bootId: fc.stringMatching(/^[A-Za-z0-9_-]{4,12}$/),
          seq: fc.nat(),
          readings: fc.array(fc.oneof({ weight: 20, arbitrary: goodReading }, { weight: 1, arbitrary: reading }), {
            minLength: 1,
            maxLength: 40,
          }),
        }),
        (m) => {
          if (agree(JSON.stringify(m)).zod.success) accepted++;
        },
      ),
      { numRuns: 1500 },
    );
    expect(accepted).toBeGreaterThan(600);
  });

  it('agrees on keys JSON.parse makes own properties: "__proto__" in the message and in a reading', () => {
    const r = '{"sensor":"s1","metric":"soil_moisture","value":1,"unit":"%","ts":1764288060000';
    for (const text of [
      `{"__proto__":{"x":1},"bootId":"abcd","seq":0,"readings":[${r}}]}`,
      `{"bootId":"abcd","seq":0,"readings":[${r},"__proto__":5}]}`,
      `{"bootId":"abcd","seq":0,"readings":[${r},"__proto__":null,"quality":"bad"}]}`,
      `{"bootId":"abcd","seq":0,"seq":"1","readings":[${r}}]}`,
    ])
      agree(text);
    const { fast } = agree(`{"bootId":"abcd","seq":0,"readings":[${r},"__proto__":{"a":1}}],"__proto__":[]}`);
    expect(Object.keys(fast as object)).toEqual(['bootId', 'seq', 'readings']);
  });

  it('agrees at the edges: 0, 1, 5,000 and 5,001 readings, huge numbers, numbers beyond a double', () => {
    const one = { sensor: 's1', metric: 'soil_moisture', value: 1.5, unit: '%VWC', ts: 1_764_288_060_000 };
    for (const n of [0, 1, MAX_READINGS_PER_MESSAGE, MAX_READINGS_PER_MESSAGE + 1])
      agree(JSON.stringify({ bootId: 'abcd', seq: 1, readings: Array.from({ length: n }, () => one) }));
    const base = (v: string) =>
      `{"bootId":"abcd","seq":1,"readings":[{"sensor":"s1","metric":"m","value":${v},"unit":"u","ts":1764288060000}]}`;
    // JSON has no NaN or Infinity, but 1e400 parses to Infinity
    for (const v of ['1e400', '-1e400', '1e308', '-0', '0', '5e-324', '1e-400', 'null', '"1"', 'true', '[]', '{}'])
      agree(base(v));
    for (const seq of ['1e400', '9007199254740991', '9007199254740992', '-0', '1.0', '1e0', '-1e-400'])
      agree(
        `{"bootId":"abcd","seq":${seq},"readings":[{"sensor":"s1","metric":"m","value":1,"unit":"u","ts":1764288060000}]}`,
      );
  });

  it('applies the default (quality good), keeps a bad reading with no value and its fault', () => {
    const { fast } = agree(
      JSON.stringify({
        bootId: 'abcd',
        seq: 3,
        ts: 1_764_288_060_000,
        readings: [
          { sensor: 's1', metric: 'soil_moisture', value: 38.2, unit: '%VWC', ts: 1_764_288_060_000 },
          {
            sensor: 's2',
            metric: 'water_level',
            value: null,
            unit: 'cm',
            ts: 1_764_288_060_000,
            quality: 'bad',
            fault: 'timeout',
          },
        ],
      }),
    );
    const readings = (fast as Telemetry).readings;
    expect(readings[0]!.quality).toBe('good');
    expect(readings[1]).toEqual({
      sensor: 's2',
      metric: 'water_level',
      value: null,
      unit: 'cm',
      ts: 1_764_288_060_000,
      quality: 'bad',
      fault: 'timeout',
    });
    // a good reading with no value is refused by both
    agree(
      JSON.stringify({
        bootId: 'abcd',
        seq: 3,
        readings: [{ sensor: 's3', metric: 'water_level', value: null, unit: 'cm', ts: 1_764_288_060_000 }],
      }),
    );
  });

  it('checks the parsed objects in place: no copy of a reading unless it carries keys zod strips', () => {
    const m = fixture<Telemetry>('telemetry');
    const json = JSON.parse(JSON.stringify(m)) as { readings: object[] };
    const first = json.readings[0];
    const out = fastTelemetry(json);
    expect(out).toBe(json);
    expect(out!.readings[0]).toBe(first);
  });

  it('turns itself off for a schema of another shape (then zod decides every message)', () => {
    expect(compile()).not.toBeNull();
    expect(compile(Telemetry.extend({ site: z.string() }))).toBeNull();
    expect(compile(Telemetry.extend({ seq: z.string() }))).toBeNull();
    expect(compile(Telemetry.extend({ readings: z.array(Reading.safeExtend({ site: z.string() })) }))).toBeNull();
    expect(compile(Telemetry.extend({ ts: z.number() }))).toBeNull();
  });

  it('meets only the refinements it was written for (a new one must be taught to it)', () => {
    // zod keeps refinements in def.checks; the JSON schema the fast path reads cannot show them
    const kinds = (s: z.ZodType) => (s.def.checks ?? []).map((c) => c._zod.def.check);
    expect(kinds(Reading)).toEqual(['custom']);
    expect(kinds(Telemetry)).toEqual([]);
    for (const f of Object.values(Reading.shape))
      expect(kinds(f as z.ZodType).filter((k) => k === 'custom')).toEqual([]);
  });
});

describe('decodePayload with the fast path', () => {
  it('gives the same message as zod alone, and zod’s own words when it refuses', () => {
    const topic = topics.telemetry('gw-1');
    const good = JSON.stringify(fixture('telemetry'));
    expect(decodePayload(topic, Buffer.from(good))).toStrictEqual(decodePayload(topic, good, { fast: false }));
    for (const bad of [
      '{"bootId":"ab","seq":-1,"readings":[]}',
      '{"bootId":"abcd","seq":1,"readings":[{"sensor":"S","metric":"m","value":null,"unit":"u","ts":5}]}',
      '{"bootId":"abcd","seq":1,"readings":[{"sensor":"s","metric":"m","value":1,"unit":"u","ts":1764288060000,"fault":"x"}]}',
    ]) {
      const d = decodePayload(topic, bad);
      expect(d).toStrictEqual(decodePayload(topic, bad, { fast: false }));
      expect(d).toMatchObject({
        ok: false,
        reason: 'schema',
        message: issueSummary(Telemetry.safeParse(JSON.parse(bad)).error!, 3),
      });
    }
  });

  it('reads a Uint8Array view of a larger buffer as its own bytes only', () => {
    const text = JSON.stringify(fixture('telemetry'));
    const big = Buffer.from(`xxxx${text}yyyy`);
    const view = new Uint8Array(big.buffer, big.byteOffset + 4, Buffer.byteLength(text));
    expect(decodePayload(topics.telemetry('gw-1'), view).ok).toBe(true);
  });
});
