/**
 * `npm run bench ingest [-- --smoke]`: the cloud ingest against a bare pass-through subscriber and
 * the peer users build today (Node-RED 4: `mqtt in` → `node-red-contrib-influxdb`), side by side in
 * one run, on a private Mosquitto (project config) and a real InfluxDB 1.x. Load comes from
 * simulated gateways in a separate process. For each: readings/s, p50/p99 publish → stored, CPU per
 * reading (µs of the consumer's process). Last line printed: one JSON object.
 */
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { StoredReading, TelemetryStore, WriteResult } from '../cloud/telemetry/store.js';
import type { InfluxServer } from '../test/support/influx.js';
import type { MosquittoServer } from '../test/support/mosquitto.js';

// the root logger reads LOG_LEVEL when first imported: keep info lines off the result
process.env.LOG_LEVEL ??= 'warn';
const { benchmarkDrain } = await import('./lib/drain.js');
const { Ingest } = await import('../cloud/ingest/ingest.js');
const { BaselineSubscriber } = await import('../test/support/ingest/baseline-subscriber.js');
const { InfluxTelemetryStore } = await import('../cloud/telemetry/influx/influx-store.js');
const { startInflux } = await import('../test/support/influx.js');
const { startMosquitto } = await import('../test/support/mosquitto.js');

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const GATEWAYS = opt('gateways', smoke ? 4 : 50);
const PER_MESSAGE = opt('per-message', 200);
const THROUGHPUT_MS = opt('seconds', smoke ? 1 : 10) * 1000;
const LATENCY_MS = opt('latency-seconds', smoke ? 1 : 8) * 1000;
const LATENCY_RATE = opt('latency-rate', 10_000);
const DRAIN_DAYS = opt('drain-days', smoke ? 0.1 : 7);
/** `--only ours|bare|scale`: that consumer's full-speed phase alone (scale: the scale-out phase) */
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const GENERATOR = fileURLToPath(new URL('../test/support/ingest/load-generator.ts', import.meta.url));
const PEER = fileURLToPath(new URL('./lib/node-red-peer.ts', import.meta.url));
const INSTANCE = fileURLToPath(new URL('./lib/ingest-instance.ts', import.meta.url));
/**
 * `--instances 1,2`: the scale-out phase, N ingest processes in one $share group for each N
 * (default 1,2 in the full run, none in the smoke; `--instances 0` skips it)
 */
const INSTANCES = (args.includes('--instances') ? args[args.indexOf('--instances') + 1]! : smoke ? '0' : '1,2')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
// one login per ingest instance (cloud1, cloud2, …): two connections on one login would take
// over each other's session
const CLOUD_USERS = Array.from({ length: Math.max(0, ...INSTANCES) }, (_, i) => `cloud${i + 1}`);
// one login per simulated gateway (bench0, bench1, …): the broker binds a client id to its
// login, so gateways sharing one would take over each other's session
const LOAD_USERS = Array.from({ length: GATEWAYS }, (_, i) => `bench${i}`);
const USERS: { cloud: string; bench: string; nodered: string } & Record<string, string> = {
  cloud: 'cloud-secret',
  bench: 'bench-secret',
  nodered: 'nodered-secret',
  ...Object.fromEntries(LOAD_USERS.map((u) => [u, 'bench-secret'])),
  ...Object.fromEntries(CLOUD_USERS.map((u) => [u, 'cloud-secret'])),
};
const ACL = [
  'user cloud\ntopic readwrite ruongso/v1/#\ntopic read $SYS/#',
  'user bench\ntopic readwrite ruongso/v1/#',
  'user nodered\ntopic read ruongso/v1/#',
  ...LOAD_USERS.map((u) => `user ${u}\ntopic write ruongso/v1/gw/+/telemetry`),
  ...CLOUD_USERS.map((u) => `user ${u}\ntopic readwrite ruongso/v1/#\ntopic read $SYS/#`),
  '',
].join('\n');

interface Phase {
  readings: number;
  stored: number;
  readingsPerSec: number;
  p50LatencyMs: number;
  p99LatencyMs: number;
  cpuUsPerReading: number;
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const say = (s: string) => process.stderr.write(`${s}\n`);

/** Collects publish → stored latency (readings carry their publish time as ts). */
class Meter {
  lat: number[] = [];
  stored = 0;
  first = 0;
  last = 0;
  record(ts: number[], at: number): void {
    if (!this.first) this.first = at;
    this.last = at;
    this.stored += ts.length;
    // one in 10 readings is plenty for percentiles and keeps memory small
    for (let i = 0; i < ts.length; i += 10) this.lat.push(at - ts[i]!);
  }
  pct(p: number): number {
    const s = [...this.lat].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
  }
}

class MeteredStore implements TelemetryStore {
  readonly kind = 'influx' as const;
  constructor(
    private readonly inner: TelemetryStore,
    private readonly meter: Meter,
  ) {}
  init() {
    return this.inner.init();
  }
  async write(points: StoredReading[]): Promise<WriteResult> {
    const res = await this.inner.write(points);
    this.meter.record(
      points.map((p) => p.ts),
      Date.now(),
    );
    return res;
  }
  query = (...a: Parameters<TelemetryStore['query']>) => this.inner.query(...a);
  latest = (g: string) => this.inner.latest(g);
  health = () => this.inner.health();
  close = () => this.inner.close();
}

/** The load generator's last stdout line. */
const GeneratorResult = z.object({ messages: z.number(), readings: z.number(), ms: z.number(), start: z.number() });

function generate(
  mq: MosquittoServer,
  durationMs: number,
  ratePerSec: number,
  prefix: string,
): Promise<z.infer<typeof GeneratorResult>> {
  const cfg = {
    url: mq.url,
    username: 'bench',
    password: USERS.bench,
    prefix,
    gateways: GATEWAYS,
    perMessage: PER_MESSAGE,
    durationMs,
    ratePerSec,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', GENERATOR, JSON.stringify(cfg)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(GeneratorResult.parse(JSON.parse(out.trim().split('\n').pop()!)))
        : reject(new Error(`load generator exited ${code}`)),
    ),
  );
}

async function waitStored(
  meter: Meter | { stored: number },
  total: number,
  ms = smoke ? 30_000 : 120_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (meter.stored < total && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

async function runOurs(
  mq: MosquittoServer,
  influx: InfluxServer,
  durationMs: number,
  rate: number,
  dataDir: string,
): Promise<Phase> {
  const meter = new Meter();
  const store = new MeteredStore(
    new InfluxTelemetryStore({ url: influx.url, db: `ours_${randomBytes(3).toString('hex')}` }),
    meter,
  );
  await store.init();
  const ingest = new Ingest({
    store,
    mqttUrl: mq.url,
    username: 'cloud',
    password: USERS.cloud,
    instanceId: `bench-${randomBytes(3).toString('hex')}`,
    dataDir,
    subscribeDrones: false,
  });
  await ingest.start();
  const cpu0 = cpuMs();
  const gen = await generate(mq, durationMs, rate, `o${randomBytes(2).toString('hex')}-`);
  await waitStored(meter, gen.readings);
  const cpu = cpuMs() - cpu0;
  await ingest.stop({ retire: true });
  return phase(gen.readings, meter, gen.start, cpu);
}

async function runBaseline(
  mq: MosquittoServer,
  influx: InfluxServer,
  durationMs: number,
  rate: number,
): Promise<Phase> {
  const meter = new Meter();
  const db = `base_${randomBytes(3).toString('hex')}`;
  await influx.createDb(db);
  const sub = new BaselineSubscriber({
    mqttUrl: mq.url,
    username: 'cloud',
    password: USERS.cloud,
    influxUrl: influx.url,
    db,
    onWritten: (ts, at) => meter.record(ts, at),
  });
  await sub.start();
  const cpu0 = cpuMs();
  const gen = await generate(mq, durationMs, rate, `b${randomBytes(2).toString('hex')}-`);
  await waitStored(meter, gen.readings);
  const cpu = cpuMs() - cpu0;
  await sub.stop();
  return phase(gen.readings, meter, gen.start, cpu);
}

/** The Node-RED peer in its own process; its CPU is what that process spent while the load ran. */
async function runPeer(mq: MosquittoServer, influx: InfluxServer, durationMs: number, rate: number): Promise<Phase> {
  const meter = new Meter();
  const db = `peer_${randomBytes(3).toString('hex')}`;
  await influx.createDb(db);
  const broker = new URL(mq.url);
  const influxUrl = new URL(influx.url);
  const cfg = {
    mqttHost: broker.hostname,
    mqttPort: Number(broker.port),
    username: 'nodered',
    password: USERS.nodered,
    influxHost: influxUrl.hostname,
    influxPort: Number(influxUrl.port),
    db,
  };
  const child = fork(PEER, [JSON.stringify(cfg)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout!.pipe(process.stderr); // Node-RED logs to stdout: keep the last line ours
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let cpuStart = NaN;
  let cpuLast = NaN;
  const ready = new Promise<void>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`Node-RED peer exited ${code} before it was ready`)));
    child.on('message', (m: { kind: string; n?: number; ts?: number[]; at?: number; cpuMs: number }) => {
      if (m.kind === 'ready') {
        cpuStart = m.cpuMs;
        resolve();
        return;
      }
      cpuLast = m.cpuMs;
      // the peer samples every 10th reading's ts: record them as Meter.record would
      if (!meter.first) meter.first = m.at!;
      meter.last = m.at!;
      meter.stored += m.n!;
      for (const ts of m.ts!) meter.lat.push(m.at! - ts);
    });
  });
  try {
    await ready;
    const gen = await generate(mq, durationMs, rate, `n${randomBytes(2).toString('hex')}-`);
    await waitStored(meter, gen.readings);
    return phase(gen.readings, meter, gen.start, cpuLast - cpuStart);
  } finally {
    if (child.connected) child.send('stop');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

interface IpcStored {
  kind: 'ready' | 'stored';
  n?: number;
  ts?: number[];
  at?: number;
  cpuMs: number;
}

/**
 * N ingest instances, each a process of its own with its own login, in one $share group: the
 * broker deals the messages out among them. CPU per reading is all instances' together.
 */
async function runScaleOut(
  mq: MosquittoServer,
  influx: InfluxServer,
  n: number,
  durationMs: number,
  dataDir: string,
): Promise<Phase & { instances: number; perInstance: number[] }> {
  const meter = new Meter();
  const db = `scale${n}_${randomBytes(3).toString('hex')}`;
  await influx.createDb(db);
  const group = `bench${randomBytes(2).toString('hex')}`;
  const children = CLOUD_USERS.slice(0, n).map((username) => {
    const cfg = {
      mqttUrl: mq.url,
      username,
      password: USERS[username],
      shareGroup: group,
      influxUrl: influx.url,
      db,
      dataDir: path.join(dataDir, `${group}-${username}`),
    };
    const child = fork(INSTANCE, [JSON.stringify(cfg)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    const state = { cpuStart: NaN, cpuLast: NaN, stored: 0 };
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const ready = new Promise<void>((resolve, reject) => {
      void exited.then((code) => reject(new Error(`ingest instance ${username} exited ${code} before it was ready`)));
      child.on('message', (m: IpcStored) => {
        if (m.kind === 'ready') {
          state.cpuStart = state.cpuLast = m.cpuMs;
          resolve();
          return;
        }
        state.cpuLast = m.cpuMs;
        state.stored += m.n!;
        if (!meter.first) meter.first = m.at!;
        meter.last = Math.max(meter.last, m.at!);
        meter.stored += m.n!;
        for (const ts of m.ts!) meter.lat.push(m.at! - ts);
      });
    });
    return { child, state, exited, ready };
  });
  try {
    await Promise.all(children.map((c) => c.ready));
    const gen = await generate(mq, durationMs, 0, `s${n}${randomBytes(2).toString('hex')}-`);
    await waitStored(meter, gen.readings);
    const cpu = children.reduce((sum, c) => sum + (c.state.cpuLast - c.state.cpuStart), 0);
    return {
      instances: n,
      ...phase(gen.readings, meter, gen.start, cpu),
      perInstance: children.map((c) => c.state.stored),
    };
  } finally {
    for (const c of children) if (c.child.connected) c.child.send('stop');
    const timer = setTimeout(() => children.forEach((c) => c.child.kill('SIGKILL')), 15_000);
    await Promise.all(children.map((c) => c.exited));
    clearTimeout(timer);
  }
}

function phase(readings: number, m: Meter, started: number, cpuMsSpent: number): Phase {
  return {
    readings,
    stored: m.stored,
    readingsPerSec: Math.round(m.stored / ((m.last - started) / 1000)),
    p50LatencyMs: m.pct(50),
    p99LatencyMs: m.pct(99),
    cpuUsPerReading: m.stored ? Math.round(((cpuMsSpent * 1000) / m.stored) * 100) / 100 : NaN,
  };
}

async function runDrain(mq: MosquittoServer, influx: InfluxServer, dataDir: string) {
  let stored = 0;
  const meter = {
    stored: 0,
    record: (ts: number[]) => {
      stored += ts.length;
      meter.stored = stored;
    },
  };
  const store = new MeteredStore(
    new InfluxTelemetryStore({ url: influx.url, db: `drain_${randomBytes(3).toString('hex')}` }),
    meter as unknown as Meter,
  );
  await store.init();
  const ingest = new Ingest({
    store,
    mqttUrl: mq.url,
    username: 'cloud',
    password: USERS.cloud,
    instanceId: `drain-${randomBytes(3).toString('hex')}`,
    dataDir,
    subscribeDrones: false,
  });
  await ingest.start();
  const t0 = Date.now();
  const edge = await benchmarkDrain({ url: mq.url, username: 'bench', password: USERS.bench, days: DRAIN_DAYS });
  const drainStart = t0 + edge.fillMs;
  await waitStored(meter, edge.readings);
  const endToEndMs = Date.now() - drainStart;
  await ingest.stop({ retire: true });
  return {
    readings: edge.readings,
    edgeToBrokerReadingsPerSec: edge.drainReadingsPerSec,
    endToEndMs,
    drainReadingsPerSec: Math.round(edge.readings / (endToEndMs / 1000)),
    stored,
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-bench-'));
  const [mq, influx] = await Promise.all([startMosquitto({ users: USERS, acl: ACL }), startInflux()]);
  try {
    say(
      `ingest bench: ${GATEWAYS} gateways × ${PER_MESSAGE} readings/message, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    // latency first: a full-speed phase leaves InfluxDB compacting for a while, which would
    // slow whichever latency phase came right after it
    if (ONLY === 'scale') {
      for (const n of INSTANCES)
        say(`${n} instance(s), max: ${JSON.stringify(await runScaleOut(mq, influx, n, THROUGHPUT_MS, dataDir))}`);
      return;
    }
    if (ONLY === 'ours' || ONLY === 'bare') {
      // one full-speed phase, nothing else in the process: for profiling (node --cpu-prof) and
      // for comparing CPU per reading on a busy machine, ours and bare one after the other
      const p =
        ONLY === 'ours'
          ? await runOurs(mq, influx, THROUGHPUT_MS, 0, dataDir)
          : await runBaseline(mq, influx, THROUGHPUT_MS, 0);
      say(`${ONLY.padEnd(9)} max: ${JSON.stringify(p)}`);
      return;
    }
    if (args.includes('--peer-only')) {
      say(`node-red  at ${LATENCY_RATE}/s: ${JSON.stringify(await runPeer(mq, influx, LATENCY_MS, LATENCY_RATE))}`);
      return;
    }
    const baseLat = await runBaseline(mq, influx, LATENCY_MS, LATENCY_RATE);
    say(`baseline  at ${LATENCY_RATE}/s: ${JSON.stringify(baseLat)}`);
    const oursLat = await runOurs(mq, influx, LATENCY_MS, LATENCY_RATE, dataDir);
    say(`ours      at ${LATENCY_RATE}/s: ${JSON.stringify(oursLat)}`);
    const peerLat = await runPeer(mq, influx, LATENCY_MS, LATENCY_RATE);
    say(`node-red  at ${LATENCY_RATE}/s: ${JSON.stringify(peerLat)}`);
    const ours = await runOurs(mq, influx, THROUGHPUT_MS, 0, dataDir);
    say(`ours      max: ${JSON.stringify(ours)}`);
    const base = await runBaseline(mq, influx, THROUGHPUT_MS, 0);
    say(`baseline  max: ${JSON.stringify(base)}`);
    const peer = await runPeer(mq, influx, THROUGHPUT_MS, 0);
    say(`node-red  max: ${JSON.stringify(peer)}`);
    say('');
    say(
      `${'max throughput'.padEnd(28)} ${'readings/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU µs/reading'.padStart(15)}`,
    );
    for (const [name, p] of [
      ['ours (cloud ingest)', ours],
      ['bare pass-through', base],
      ['Node-RED mqtt in → influxdb', peer],
    ] as const) {
      say(
        `${name.padEnd(28)} ${String(p.readingsPerSec).padStart(10)} ${String(p.p50LatencyMs).padStart(8)} ${String(p.p99LatencyMs).padStart(8)} ${String(p.cpuUsPerReading).padStart(15)}`,
      );
    }
    say(
      `at ${LATENCY_RATE}/s offered: p99 ours ${oursLat.p99LatencyMs} ms, bare ${baseLat.p99LatencyMs} ms, Node-RED ${peerLat.p99LatencyMs} ms`,
    );
    say(
      `ours ÷ bare ${(ours.readingsPerSec / base.readingsPerSec).toFixed(2)}, ours ÷ Node-RED ${(ours.readingsPerSec / peer.readingsPerSec).toFixed(2)}`,
    );
    const scaleOut: Record<string, number> = {};
    const scaleOutCpu: Record<string, number> = {};
    for (const n of INSTANCES) {
      const r = await runScaleOut(mq, influx, n, THROUGHPUT_MS, dataDir);
      scaleOut[n] = r.readingsPerSec;
      scaleOutCpu[n] = r.cpuUsPerReading;
      say(`${n} instance(s) in one $share group, max: ${JSON.stringify(r)}`);
    }
    if (INSTANCES.length)
      say(
        `scale-out, readings/s by instance count: ${INSTANCES.map((n) => `${n}: ${scaleOut[n]} (${scaleOutCpu[n]} µs CPU/reading)`).join(', ')}`,
      );
    const drain = await runDrain(mq, influx, dataDir);
    say(`drain ${DRAIN_DAYS} d backlog of 32 sensors: ${JSON.stringify(drain)}`);
    process.stdout.write(
      `${JSON.stringify({
        readingsPerSec: ours.readingsPerSec,
        baselineReadingsPerSec: base.readingsPerSec,
        ratio: Math.round((ours.readingsPerSec / base.readingsPerSec) * 100) / 100,
        p50LatencyMs: oursLat.p50LatencyMs,
        p99LatencyMs: oursLat.p99LatencyMs,
        baselineP99LatencyMs: baseLat.p99LatencyMs,
        drainReadingsPerSec: drain.drainReadingsPerSec,
        peerReadingsPerSec: peer.readingsPerSec,
        peerP99LatencyMs: peerLat.p99LatencyMs,
        cpuUsPerReading: ours.cpuUsPerReading,
        baselineCpuUsPerReading: base.cpuUsPerReading,
        peerCpuUsPerReading: peer.cpuUsPerReading,
        ...(INSTANCES.length ? { scaleOut, scaleOutCpuUsPerReading: scaleOutCpu } : {}),
      })}\n`,
    );
  } finally {
    await Promise.all([mq.destroy(), influx.destroy()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
