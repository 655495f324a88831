/**
 * `npm run bench decode [-- --smoke] [--seconds N] [--per-message N]`: the ingest's CPU path for
 * telemetry, in process, from MQTT payload bytes to the line-protocol body of a batch — the same
 * functions the ingest calls: decodePayload (JSON.parse, then zod or the fast path) →
 * acceptReadings (range / future checks, gateway tag) → toLines per batch of 5,000 readings.
 * Zod and the fast path side by side in one run, rounds interleaved (A B A B …, medians), on two
 * kinds of payload: `bench` (what the ingest benchmark's load generator sends: one metric, one
 * value per message) and `field` (four metrics, varied values and units, 2 % bad readings with a
 * fault, some with no value). Both paths must give byte-identical bodies, or the bench exits 1.
 * Last line printed: one JSON object.
 */
import { acceptReadings } from '../cloud/ingest/accept.js';
import { toLines } from '../cloud/telemetry/influx/line-protocol.js';
import type { StoredReading } from '../cloud/telemetry/store.js';
import { decodePayload, topics, type Telemetry } from '../protocol/index.js';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const PER_MESSAGE = opt('per-message', 200);
const ROUND_MS = opt('seconds', smoke ? 0.2 : 1.5) * 1000;
const ROUNDS = opt('rounds', smoke ? 1 : 5);
const BATCH = 5000;
const say = (s: string) => process.stderr.write(`${s}\n`);

type Kind = 'bench' | 'field';
const T0 = Date.UTC(2026, 11, 1);

/** 64 different messages of one kind, as the bytes an MQTT client hands over. */
function payloads(kind: Kind): Buffer[] {
  const out: Buffer[] = [];
  for (let seq = 0; seq < 64; seq++) {
    const ts = T0 + seq * 1000;
    const readings: Record<string, unknown>[] = [];
    for (let s = 0; s < PER_MESSAGE; s++) {
      if (kind === 'bench') {
        readings.push({ sensor: `s${s}`, metric: 'soil_moisture', value: (seq % 1000) / 10, unit: '%VWC', ts });
        continue;
      }
      const m = (
        [
          ['water_level', 'cm', -12.5 + ((s * 7 + seq) % 300) / 10],
          ['soil_moisture', '%VWC', 20 + ((s * 13 + seq) % 400) / 10],
          ['salinity', 'ppt', ((s * 3 + seq) % 90) / 10],
          ['soil_temperature', '°C', 24 + ((s + seq) % 80) / 10],
        ] as const
      )[s % 4]!;
      const r: Record<string, unknown> = {
        sensor: `zone-${s >> 2}-${m[0]}`,
        metric: m[0],
        value: m[2],
        unit: m[1],
        ts,
      };
      if ((s + seq) % 50 === 0) Object.assign(r, { quality: 'bad', fault: 'timeout', value: null });
      else if ((s + seq) % 50 === 25) Object.assign(r, { quality: 'bad', fault: 'out_of_range', value: 999.5 });
      else if (s % 3 === 0) r.quality = 'good';
      readings.push(r);
    }
    out.push(Buffer.from(JSON.stringify({ bootId: `boot-${kind}`, seq, ts, readings })));
  }
  return out;
}

const TOPIC = topics.telemetry('gw-bench-01');
const LATEST = T0 + 365 * 24 * 3600_000;

/** The ingest's path for n messages; returns the bodies' total bytes (so nothing is optimised away). */
function run(msgs: Buffer[], fast: boolean, n: number, bodies?: string[]): number {
  let points: StoredReading[] = [];
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const d = decodePayload(TOPIC, msgs[i % msgs.length]!, { fast });
    if (!d.ok) throw new Error(`bench payload refused: ${d.message}`);
    acceptReadings('gw-bench-01', (d.payload as Telemetry).readings, LATEST, points);
    if (points.length >= BATCH) {
      const body = toLines(points);
      // the HTTP client's first step: the body's UTF-8 length (which flattens the string)
      chars += Buffer.byteLength(body);
      bodies?.push(body);
      points = [];
    }
  }
  return chars;
}

interface Round {
  readingsPerSec: number;
  cpuUsPerReading: number;
}

function round(msgs: Buffer[], fast: boolean): Round {
  // messages per check of the clock: whole batches
  const step = Math.max(1, Math.round(BATCH / PER_MESSAGE)) * 4;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ROUND_MS) {
    run(msgs, fast, step);
    n += step;
  }
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const readings = n * PER_MESSAGE;
  return { readingsPerSec: readings / (wall / 1000), cpuUsPerReading: (c.user + c.system) / readings };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(kind: Kind) {
  const msgs = payloads(kind);
  // the two paths must store the same thing
  const a: string[] = [];
  const b: string[] = [];
  run(msgs, false, 64, a);
  run(msgs, true, 64, b);
  if (a.join('\n') !== b.join('\n') || !a.length) {
    say(`decode bench: zod and the fast path give different line protocol for ${kind} payloads`);
    process.exit(1);
  }
  // warm both up before timing either
  for (const fast of [false, true]) run(msgs, fast, 500);
  const zod: Round[] = [];
  const fast: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    zod.push(round(msgs, false));
    fast.push(round(msgs, true));
  }
  const z = {
    readingsPerSec: Math.round(median(zod.map((r) => r.readingsPerSec))),
    cpuUsPerReading: Math.round(median(zod.map((r) => r.cpuUsPerReading)) * 1000) / 1000,
  };
  const f = {
    readingsPerSec: Math.round(median(fast.map((r) => r.readingsPerSec))),
    cpuUsPerReading: Math.round(median(fast.map((r) => r.cpuUsPerReading)) * 1000) / 1000,
  };
  const ratio = Math.round((f.readingsPerSec / z.readingsPerSec) * 100) / 100;
  say(
    `${kind.padEnd(6)} ${String(z.readingsPerSec).padStart(12)} ${String(z.cpuUsPerReading).padStart(8)} ${String(f.readingsPerSec).padStart(12)} ${String(f.cpuUsPerReading).padStart(8)} ${ratio.toFixed(2).padStart(7)}`,
  );
  return { zod: z, fast: f, ratio };
}

say(`decode bench: ${PER_MESSAGE} readings/message, batches of ${BATCH}, ${ROUNDS} × ${ROUND_MS} ms rounds per path`);
say(
  `${'kind'.padEnd(6)} ${'zod r/s'.padStart(12)} ${'µs/r'.padStart(8)} ${'fast r/s'.padStart(12)} ${'µs/r'.padStart(8)} ${'ratio'.padStart(7)}`,
);
const bench = measure('bench');
const field = measure('field');
process.stdout.write(
  `${JSON.stringify({
    zodReadingsPerSec: bench.zod.readingsPerSec,
    fastReadingsPerSec: bench.fast.readingsPerSec,
    ratio: bench.ratio,
    zodCpuUsPerReading: bench.zod.cpuUsPerReading,
    fastCpuUsPerReading: bench.fast.cpuUsPerReading,
    fieldZodReadingsPerSec: field.zod.readingsPerSec,
    fieldFastReadingsPerSec: field.fast.readingsPerSec,
    fieldRatio: field.ratio,
    fieldZodCpuUsPerReading: field.zod.cpuUsPerReading,
    fieldFastCpuUsPerReading: field.fast.cpuUsPerReading,
  })}\n`,
);
