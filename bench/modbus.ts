/**
 * `npm run bench modbus [-- --seconds 30 | --smoke]` — Modbus throughput, gateway footprint and
 * decision latency. Three processes: simulators, a gateway-shaped process, and this one (the
 * throughput client). The last line printed is one JSON object:
 *   txPerSec / baselineTxPerSec / ratio — ModbusBus.read vs a bare modbus-serial loop, same simulator;
 *   rssMB / cpuPct — the gateway process under tsx (peak RSS, % of one core) over the window;
 *   decisionMs — p95 of reading → control loop step → coil write acknowledged by the relay board.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

process.env.LOG_LEVEL ??= 'warn';
const SELF = fileURLToPath(import.meta.url);
const BUSES = 4;
const SENSORS_PER_BUS = 8;
const RELAY_UNIT = 100;
const PADDY = 'paddy-0-7';
// per bus: the common field mix, unit ids 1–8
const MIX = ['soil-rs485-4in1', 'soil-rs485-4in1', 'soil-rs485-4in1', 'soil-npk-7in1', 'soil-npk-7in1', 'intake-salinity', 'paddy-water-level', 'paddy-water-level'];

const { values: args } = parseArgs({ options: {
  seconds: { type: 'string', default: '30' }, smoke: { type: 'boolean', default: false },
  role: { type: 'string' }, ports: { type: 'string' }, profiles: { type: 'string' },
}, allowPositionals: true });

type Msg = Record<string, unknown>;
const send = (m: Msg) => process.send?.(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Simulator process: one port for throughput, one per gateway bus with 8 sensors (+ a relay board on bus 0). */
async function runSimulators(): Promise<void> {
  const { freePort } = await import('../lib/ports.js');
  const { startModbusSimulator, driftingValues } = await import('../simulators/modbus/index.js');
  const tp = await freePort();
  await startModbusSimulator({ transport: 'tcp', port: tp }, { unitId: 1, profile: 'soil-rs485-4in1' });
  const drift = driftingValues();
  // each read crosses the other AWD threshold (−16 cm, then +6 cm): every poll is a decision
  let reads = 0;
  const paddy = (metric: string, now: number) => (metric === 'water_level' ? (reads++ % 2 ? 6 : -16) : drift(metric, now));
  const ports: number[] = [];
  for (let b = 0; b < BUSES; b++) {
    const port = await freePort();
    const devices = MIX.map((profile, i) => ({ unitId: i + 1, profile, values: b === 0 && i === 7 ? paddy : drift }));
    await startModbusSimulator({ transport: 'tcp', port }, b === 0 ? [...devices, { unitId: RELAY_UNIT, profile: 'relay-board-8ch' }] : devices);
    ports.push(port);
  }
  send({ ready: true, throughputPort: tp, ports });
  await new Promise(() => { /* until killed */ });
}

/** Gateway-shaped process: 4 buses × 8 sensors every 10 s, the control loop, a relay board. */
async function runGateway(ports: number[], windowMs: number, flips: number, profilesDir: string): Promise<void> {
  const { ModbusBus, DevicePoller, RelayBoard } = await import('../edge/modbus/index.js');
  const { step, initialState } = await import('../edge/control/index.js');
  const { GatewayConfig } = await import('../protocol/index.js');
  const buses = new Map(ports.map((p, b) => [`bus${b}`, new ModbusBus({ url: `tcp://127.0.0.1:${p}`, name: `bus${b}` })]));
  await Promise.all([...buses.values()].map((b) => b.start()));
  const devices = ports.flatMap((_, b) => MIX.map((profile, i) => ({
    // by path: a bundled copy of this file cannot find the shipped profiles next to itself
    id: profile.startsWith('paddy') ? `paddy-${b}-${i}` : `s-${b}-${i}`, bus: `bus${b}`, unitId: i + 1, profile: `${profilesDir}/${profile}.yaml`, pollSeconds: 10,
  })));
  const poller = new DevicePoller({ buses, devices, staggerMs: 10_000 });
  const relays = new RelayBoard({ buses, actuators: [{ id: 'v1', bus: 'bus0', unitId: RELAY_UNIT, coil: 0 }] });
  const config = GatewayConfig.parse({ version: 1, zones: [{ id: 'z1', mode: 'awd', valves: ['v1'],
    sensors: { waterLevel: { sensor: PADDY, metric: 'water_level' } }, awd: {}, maxRunMinutes: 600 }] });
  let state = initialState();
  const first = step(state, [], config, Date.now());
  state = first.state;
  for (const c of first.commands) await relays.set(c.actuator, c.on);
  const latencies: number[] = [];
  const confirmed: number[] = [];
  const stepMs: number[] = [];
  // note when the board acknowledged the coil write, before RelayBoard reads it back
  const bus0 = buses.get('bus0')!;
  const writeCoil = bus0.writeCoil.bind(bus0);
  let written = 0;
  bus0.writeCoil = async (...a) => { await writeCoil(...a); written = performance.now(); };
  poller.onReadings((readings) => {
    const t0 = performance.now();
    const r = step(state, readings, config, Date.now());
    state = r.state;
    if (!r.commands.length) return;
    stepMs.push(performance.now() - t0);
    // reading in → loop decided → valve command acknowledged by the board (→ read back)
    void (async () => {
      for (const c of r.commands) await relays.set(c.actuator, c.on).catch(() => undefined);
      latencies.push(written - t0);
      confirmed.push(performance.now() - t0);
    })();
  });
  poller.start();
  // settle: first polls are spread over the first 10 s
  await sleep(Math.min(windowMs, 10_000));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rssMax = 0;
  const sampler = setInterval(() => { rssMax = Math.max(rssMax, process.memoryUsage().rss); }, 500);
  await sleep(windowMs);
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  rssMax = Math.max(rssMax, process.memoryUsage().rss);
  // decision latency under the same load: poll the paddy tube as its level crosses the thresholds
  for (let i = 0; i < flips; i++) {
    await poller.pollOnce(PADDY);
    await sleep(1000);
  }
  await poller.stop();
  await Promise.all([...buses.values()].map((b) => b.stop()));
  const polls = [...buses.values()].reduce((n, b) => n + b.stats().requests, 0);
  const mem = process.memoryUsage();
  send({ heapMB: mem.heapTotal / 1048576, heapUsedMB: mem.heapUsed / 1048576, rssMB: rssMax / 1048576, cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100, latencies, confirmed, stepMs, requests: polls });
}

async function loopFor(ms: number, once: () => Promise<unknown>): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    await once();
    n++;
  }
  return n;
}

/** Transactions/s through our bus scheduler vs a bare modbus-serial loop, alternated to even out load. */
async function throughput(port: number, roundMs: number, rounds: number): Promise<{ ours: number; bare: number }> {
  const { ModbusBus, ModbusClient } = await import('../edge/modbus/index.js');
  const bare = new ModbusClient();
  await bare.connectTCP('127.0.0.1', { port });
  bare.setID(1);
  bare.setTimeout(1000);
  const bus = new ModbusBus({ url: `tcp://127.0.0.1:${port}`, timeoutMs: 1000 });
  await bus.start();
  let nOurs = 0;
  let nBare = 0;
  // warm up both paths (JIT) before counting
  await loopFor(Math.min(500, roundMs), () => bare.readHoldingRegisters(0, 4));
  await loopFor(Math.min(500, roundMs), () => bus.read(1, 3, 0, 4));
  for (let r = 0; r < rounds; r++) {
    nBare += await loopFor(roundMs, () => bare.readHoldingRegisters(0, 4));
    nOurs += await loopFor(roundMs, () => bus.read(1, 3, 0, 4));
  }
  await bus.stop();
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  const secs = (roundMs * rounds) / 1000;
  return { ours: nOurs / secs, bare: nBare / secs };
}

function child(role: string, extra: string[], script = SELF, execArgv = ['--import', 'tsx'], env: Record<string, string> = {}): { proc: ChildProcess; message: Promise<Msg> } {
  const proc = fork(script, ['--role', role, ...extra], { execArgv, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
  const message = new Promise<Msg>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as Msg));
    proc.once('exit', (code) => reject(new Error(`${role} process exited (${code}) before reporting`)));
  });
  return { proc, message };
}

/**
 * The same file bundled by esbuild and run by plain node, to show what the tsx loader costs
 * (its hooks thread is a second V8 isolate). Native and worker-thread packages stay external.
 */
async function bundleSelf(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = fileURLToPath(new URL('../node_modules/.cache/ruongso-bench/modbus.mjs', import.meta.url));
  await build({
    entryPoints: [SELF], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error',
    external: ['modbus-serial', 'serialport', '@serialport/*', 'pino', 'esbuild'],
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
  return outfile;
}

interface GatewayFigures { heapMB: number; heapUsedMB: number; rssMB: number; cpuPct: number; latencies: number[]; confirmed: number[]; stepMs: number[]; requests: number }

/** A smaller young generation and fewer malloc arenas: what a small gateway board would run with. */
const LEAN_NODE = { execArgv: ['--max-semi-space-size=1'], env: { MALLOC_ARENA_MAX: '2' } };

async function measureGateway(ports: number[], windowMs: number, smoke: boolean, bundled?: string): Promise<GatewayFigures> {
  const profiles = fileURLToPath(new URL('../edge/profiles', import.meta.url));
  const extra = ['--profiles', profiles, '--ports', ports.join(','), '--seconds', String(windowMs / 1000), ...(smoke ? ['--smoke'] : [])];
  const gw = bundled ? child('gateway', extra, bundled, LEAN_NODE.execArgv, LEAN_NODE.env) : child('gateway', extra);
  return await gw.message as unknown as GatewayFigures;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const r1 = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const smoke = args.smoke;
  const windowMs = smoke ? 2000 : Number(args.seconds) * 1000;
  if (!(windowMs > 0)) throw new Error('--seconds must be a positive number');
  const sims = child('sim', []);
  try {
    const ready = await sims.message as { throughputPort: number; ports: number[] };
    console.log(`simulators up: throughput on :${ready.throughputPort}, ${BUSES} buses × ${SENSORS_PER_BUS} sensors`);
    // short alternating rounds: a shared machine's load swings hit both loops alike
    const tp = await throughput(ready.throughputPort, 250, smoke ? 4 : 20);
    console.log(`bus scheduler ${tp.ours.toFixed(0)} tx/s, bare modbus-serial ${tp.bare.toFixed(0)} tx/s (read 4 holding registers, TCP loopback)`);
    console.log(`gateway (run by tsx, as \`ruongso gateway\` runs): ${BUSES}×${SENSORS_PER_BUS} sensors every 10 s + AWD control loop + relay board; measuring ${windowMs / 1000} s…`);
    const g = await measureGateway(ready.ports, windowMs, smoke);
    console.log(`  RSS ${g.rssMB.toFixed(1)} MB (V8 heap ${g.heapUsedMB.toFixed(1)} of ${g.heapMB.toFixed(1)} MB), CPU ${g.cpuPct.toFixed(2)} % of one core, ${g.requests} Modbus requests`);
    console.log(`  decision latency, ${g.latencies.length} decisions: reading → control loop → valve command acknowledged by the board: median ${pct(g.latencies, 50).toFixed(1)} ms, p95 ${pct(g.latencies, 95).toFixed(1)} ms; → also read back: median ${pct(g.confirmed, 50).toFixed(1)} ms, p95 ${pct(g.confirmed, 95).toFixed(1)} ms; the control loop step alone: median ${pct(g.stepMs, 50).toFixed(2)} ms`);
    if (!smoke) {
      const bundled = await bundleSelf();
      console.log(`the same gateway as it could be deployed: esbuild bundle, plain node --max-semi-space-size=1, MALLOC_ARENA_MAX=2; measuring ${windowMs / 1000} s…`);
      const b = await measureGateway(ready.ports, windowMs, smoke, bundled);
      console.log(`  RSS ${b.rssMB.toFixed(1)} MB (V8 heap ${b.heapUsedMB.toFixed(1)} of ${b.heapMB.toFixed(1)} MB), CPU ${b.cpuPct.toFixed(2)} % of one core; decisions p95 ${pct(b.latencies, 95).toFixed(1)} ms (read back ${pct(b.confirmed, 95).toFixed(1)} ms)`);
    }
    const result = {
      txPerSec: r1(tp.ours), baselineTxPerSec: r1(tp.bare), ratio: Math.round((tp.ours / tp.bare) * 1000) / 1000,
      rssMB: r1(g.rssMB), cpuPct: Math.round(g.cpuPct * 100) / 100, decisionMs: g.latencies.length ? r1(pct(g.latencies, 95)) : null,
    };
    console.log(JSON.stringify(result));
  } finally {
    sims.proc.kill('SIGTERM');
  }
}

if (args.role === 'sim') await runSimulators();
else if (args.role === 'gateway') {
  const windowMs = Number(args.seconds) * 1000;
  await runGateway(args.ports!.split(',').map(Number), windowMs, args.smoke ? 2 : 10, args.profiles!);
  process.exit(0);
} else await main();
