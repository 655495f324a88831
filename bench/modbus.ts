/**
 * `npm run bench modbus [-- --seconds 30 | --smoke]` — Modbus throughput, gateway footprint and
 * decision latency. Three processes: simulators, a gateway-shaped process, and this one (the
 * throughput client). The last line printed is one JSON object:
 *   txPerSec / baselineTxPerSec / ratio — ModbusBus.read vs a bare modbus-serial loop, same simulator;
 *   rssMB / cpuPct — the deployed gateway (`npm run build:edge` → plain node running dist/gateway.mjs
 *     with the lean flags): peak RSS and % of one core over the window (the tsx figures are printed too);
 *   decisionMs — p95 of reading → control loop step → coil write acknowledged by the relay board
 *     (measured inside the gateway-shaped process under tsx).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
const MIX = [
  'soil-rs485-4in1',
  'soil-rs485-4in1',
  'soil-rs485-4in1',
  'soil-npk-7in1',
  'soil-npk-7in1',
  'intake-salinity',
  'paddy-water-level',
  'paddy-water-level',
];

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    smoke: { type: 'boolean', default: false },
    role: { type: 'string' },
    ports: { type: 'string' },
    profiles: { type: 'string' },
  },
  allowPositionals: true,
});

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
  const paddy = (metric: string, now: number) =>
    metric === 'water_level' ? (reads++ % 2 ? 6 : -16) : drift(metric, now);
  const ports: number[] = [];
  for (let b = 0; b < BUSES; b++) {
    const port = await freePort();
    const devices = MIX.map((profile, i) => ({ unitId: i + 1, profile, values: b === 0 && i === 7 ? paddy : drift }));
    await startModbusSimulator(
      { transport: 'tcp', port },
      b === 0 ? [...devices, { unitId: RELAY_UNIT, profile: 'relay-board-8ch' }] : devices,
    );
    ports.push(port);
  }
  send({ ready: true, throughputPort: tp, ports });
  await new Promise(() => {
    /* until killed */
  });
}

/** Gateway-shaped process: 4 buses × 8 sensors every 10 s, the control loop, a relay board. */
async function runGateway(ports: number[], windowMs: number, flips: number, profilesDir: string): Promise<void> {
  const { ModbusBus, DevicePoller, RelayBoard } = await import('../edge/modbus/index.js');
  const { step, initialState } = await import('../edge/control/index.js');
  const { GatewayConfig } = await import('../protocol/index.js');
  const buses = new Map(
    ports.map((p, b) => [`bus${b}`, new ModbusBus({ url: `tcp://127.0.0.1:${p}`, name: `bus${b}` })]),
  );
  await Promise.all([...buses.values()].map((b) => b.start()));
  const devices = ports.flatMap((_, b) =>
    MIX.map((profile, i) => ({
      id: profile.startsWith('paddy') ? `paddy-${b}-${i}` : `s-${b}-${i}`,
      bus: `bus${b}`,
      unitId: i + 1,
      profile: `${profilesDir}/${profile}.yaml`,
      pollSeconds: 10,
    })),
  );
  const poller = new DevicePoller({ buses, devices, staggerMs: 10_000 });
  const relays = new RelayBoard({ buses, actuators: [{ id: 'v1', bus: 'bus0', unitId: RELAY_UNIT, coil: 0 }] });
  const config = GatewayConfig.parse({
    version: 1,
    zones: [
      {
        id: 'z1',
        mode: 'awd',
        valves: ['v1'],
        sensors: { waterLevel: { sensor: PADDY, metric: 'water_level' } },
        awd: {},
        maxRunMinutes: 600,
      },
    ],
  });
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
  bus0.writeCoil = async (...a) => {
    await writeCoil(...a);
    written = performance.now();
  };
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
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }, 500);
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
  send({
    heapMB: mem.heapTotal / 1048576,
    heapUsedMB: mem.heapUsed / 1048576,
    rssMB: rssMax / 1048576,
    cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    latencies,
    confirmed,
    stepMs,
    requests: polls,
  });
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

function child(
  role: string,
  extra: string[],
  script = SELF,
  execArgv = ['--import', 'tsx'],
  env: Record<string, string> = {},
): { proc: ChildProcess; message: Promise<Msg> } {
  const proc = fork(script, ['--role', role, ...extra], {
    execArgv,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
  });
  const message = new Promise<Msg>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as Msg));
    proc.once('exit', (code) => reject(new Error(`${role} process exited (${code}) before reporting`)));
  });
  return { proc, message };
}

/** `npm run build:edge`: the gateway as it is deployed (dist/gateway.mjs). */
function buildEdge(): string {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build:edge'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return path.join(root, 'dist/gateway.mjs');
}

/** Resident set (MB) and CPU seconds of a process, from /proc (Linux, as on the boards). */
function procFigures(pid: number): { rssMB: number; cpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  // fields after the command name "(…)": utime and stime are the 12th and 13th, in clock ticks (100/s)
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssMB: rssKb / 1024, cpuS: (Number(f[11]) + Number(f[12])) / 100 };
}

/** A gateway file for the same 4 buses × 8 sensors, relay board and AWD zone as the gateway-shaped process. */
function benchGatewayFile(ports: number[], dataDir: string, localPort: number): Record<string, unknown> {
  return {
    gatewayId: 'bench-gw',
    // no broker: the uplink queues on disk, as on a site whose link is down
    mqtt: { url: 'mqtt://127.0.0.1:1' },
    dataDir,
    buses: ports.map((p, b) => ({ id: `bus${b}`, url: `tcp://127.0.0.1:${p}` })),
    devices: [
      ...ports.flatMap((_, b) =>
        MIX.map((profile, i) => ({
          id: profile.startsWith('paddy') ? `paddy-${b}-${i}` : `s-${b}-${i}`,
          bus: `bus${b}`,
          unitId: i + 1,
          profile,
          pollSeconds: 10,
        })),
      ),
      { id: 'relays', bus: 'bus0', unitId: RELAY_UNIT, profile: 'relay-board-8ch', poll: false },
    ],
    actuators: [{ id: 'v1', device: 'relays', coil: 0 }],
    local: { host: '127.0.0.1', port: localPort },
    initialConfig: {
      version: 1,
      zones: [
        {
          id: 'z1',
          mode: 'awd',
          valves: ['v1'],
          sensors: { waterLevel: { sensor: PADDY, metric: 'water_level' } },
          awd: {},
          maxRunMinutes: 600,
        },
      ],
    },
  };
}

/**
 * The deployed gateway (`node --max-semi-space-size=1 dist/gateway.mjs --config FILE`,
 * MALLOC_ARENA_MAX=2) on the same simulators: peak RSS and CPU over the window, from outside.
 */
async function measureDeployed(
  ports: number[],
  windowMs: number,
): Promise<{ rssMB: number; cpuPct: number; steps: number }> {
  const bundle = buildEdge();
  const { freePort } = await import('../lib/ports.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'ruongso-bench-gw-'));
  const cfg = path.join(dir, 'gateway.json');
  writeFileSync(cfg, JSON.stringify(benchGatewayFile(ports, path.join(dir, 'data'), await freePort())));
  const proc = spawn(process.execPath, [...LEAN_NODE.execArgv, bundle, '--config', cfg], {
    env: { ...process.env, ...LEAN_NODE.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    proc.stdout.on('data', (b) => {
      out += String(b);
    });
    const started = Date.now();
    while (!out.includes('running config')) {
      if (proc.exitCode !== null || Date.now() - started > 60_000)
        throw new Error(`deployed gateway did not start: ${out.slice(-500)}`);
      await sleep(100);
    }
    await sleep(Math.min(windowMs, 10_000));
    const first = procFigures(proc.pid!);
    const t0 = performance.now();
    let rssMax = first.rssMB;
    const end = t0 + windowMs;
    while (performance.now() < end) {
      await sleep(500);
      rssMax = Math.max(rssMax, procFigures(proc.pid!).rssMB);
    }
    const last = procFigures(proc.pid!);
    const cpuPct = (((last.cpuS - first.cpuS) * 1000) / (performance.now() - t0)) * 100;
    const steps = (out.match(/valve_(opened|closed)/g) ?? []).length;
    return { rssMB: Math.max(rssMax, last.rssMB), cpuPct, steps };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => {
      if (proc.exitCode !== null) r(null);
      else proc.once('exit', r);
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

interface GatewayFigures {
  heapMB: number;
  heapUsedMB: number;
  rssMB: number;
  cpuPct: number;
  latencies: number[];
  confirmed: number[];
  stepMs: number[];
  requests: number;
}

/**
 * What a gateway board runs with (edge/README.md): a smaller young generation, V8 lite mode (no
 * optimizing compiler: a few hundred operations a second need none, and its code and Intl/ICU
 * pages were ~15 MB) and fewer malloc arenas.
 */
const LEAN_NODE = { execArgv: ['--max-semi-space-size=1', '--lite-mode'], env: { MALLOC_ARENA_MAX: '2' } };

async function measureGateway(ports: number[], windowMs: number, smoke: boolean): Promise<GatewayFigures> {
  const profiles = fileURLToPath(new URL('../edge/profiles', import.meta.url));
  const extra = [
    '--profiles',
    profiles,
    '--ports',
    ports.join(','),
    '--seconds',
    String(windowMs / 1000),
    ...(smoke ? ['--smoke'] : []),
  ];
  const gw = child('gateway', extra);
  return (await gw.message) as unknown as GatewayFigures;
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
    const ready = (await sims.message) as { throughputPort: number; ports: number[] };
    console.log(`simulators up: throughput on :${ready.throughputPort}, ${BUSES} buses × ${SENSORS_PER_BUS} sensors`);
    // short alternating rounds: a shared machine's load swings hit both loops alike
    const tp = await throughput(ready.throughputPort, 250, smoke ? 4 : 20);
    console.log(
      `bus scheduler ${tp.ours.toFixed(0)} tx/s, bare modbus-serial ${tp.bare.toFixed(0)} tx/s (read 4 holding registers, TCP loopback)`,
    );
    console.log(
      `gateway-shaped process run by tsx (for comparison; not how a gateway is deployed): ${BUSES}×${SENSORS_PER_BUS} sensors every 10 s + AWD control loop + relay board; measuring ${windowMs / 1000} s…`,
    );
    const g = await measureGateway(ready.ports, windowMs, smoke);
    console.log(
      `  RSS ${g.rssMB.toFixed(1)} MB (V8 heap ${g.heapUsedMB.toFixed(1)} of ${g.heapMB.toFixed(1)} MB), CPU ${g.cpuPct.toFixed(2)} % of one core, ${g.requests} Modbus requests`,
    );
    console.log(
      `  decision latency, ${g.latencies.length} decisions: reading → control loop → valve command acknowledged by the board: median ${pct(g.latencies, 50).toFixed(1)} ms, p95 ${pct(g.latencies, 95).toFixed(1)} ms; → also read back: median ${pct(g.confirmed, 50).toFixed(1)} ms, p95 ${pct(g.confirmed, 95).toFixed(1)} ms; the control loop step alone: median ${pct(g.stepMs, 50).toFixed(2)} ms`,
    );
    console.log(
      `deployed gateway: npm run build:edge, then node --max-semi-space-size=1 --lite-mode dist/gateway.mjs --config FILE with MALLOC_ARENA_MAX=2 (the real Gateway: same buses, sensors, AWD zone and relay board, uplink queueing on disk, local control on); measuring ${windowMs / 1000} s…`,
    );
    const d = await measureDeployed(ready.ports, windowMs);
    console.log(`  RSS ${d.rssMB.toFixed(1)} MB, CPU ${d.cpuPct.toFixed(2)} % of one core, ${d.steps} valve decisions`);
    const result = {
      txPerSec: r1(tp.ours),
      baselineTxPerSec: r1(tp.bare),
      ratio: Math.round((tp.ours / tp.bare) * 1000) / 1000,
      rssMB: r1(d.rssMB),
      cpuPct: Math.round(d.cpuPct * 100) / 100,
      decisionMs: g.latencies.length ? r1(pct(g.latencies, 95)) : null,
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
