// `npm run bench cli [-- --runs N] [-- --smoke]`: how fast the command line starts, side by side in
// one run: `node -e 0` (the floor), `ruongso --help`, `ruongso plan` on a 5 ha field and
// `ruongso gateway --check examples/gateway.yaml`, each from the built distribution (dist/) and from
// source through tsx; then a gateway running for a while, peak RSS. Runs are interleaved so that
// the load of a shared machine falls on every case alike; figures are medians.
// Last line: {"runs","load1","cases":[{"name","from","wallMs","cpuMs","rssMB","wallRatio"}],"gateway":[{"from","rssMB","launcherRssMB","pssMB"}],"targets":{…}}
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { freePort, waitForPort } from '../lib/ports.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    'gateway-seconds': { type: 'string' },
    // `--packages external` measures the build that leaves every package in node_modules
    packages: { type: 'string', default: 'bundle' },
  },
});
const smoke = values.smoke;
const runs = Number(values.runs ?? (smoke ? 1 : 7));
const gatewaySeconds = Number(values['gateway-seconds'] ?? (smoke ? 3 : 15));
const TARGETS = { helpS: 0.3, planS: 0.6, gatewayRssMB: 80 };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-bench-cli-'));
const distDir = path.join(root, 'dist', `bench-${process.pid}`);
process.on('exit', () => {
  fs.rmSync(distDir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});
// a 5 ha rectangle in Trần Đề (250 m × 200 m)
const FIELD = path.join(tmp, 'field-5ha.geojson');
const dLat = 200 / 110_574;
const dLon = 250 / (111_320 * Math.cos((9.5 * Math.PI) / 180));
const ring = [
  [105.95, 9.5],
  [105.95 + dLon, 9.5],
  [105.95 + dLon, 9.5 + dLat],
  [105.95, 9.5 + dLat],
  [105.95, 9.5],
];
fs.writeFileSync(
  FIELD,
  JSON.stringify({ type: 'Feature', properties: { name: '5 ha' }, geometry: { type: 'Polygon', coordinates: [ring] } }),
);

interface Case {
  name: string;
  from: 'dist' | 'source' | 'node';
  args: string[];
}
const cli = (name: string, args: string[]): Case[] =>
  (['dist', 'source'] as const).map((from) => ({ name, from, args: ['bin/ruongso.js', ...args] }));
const cases: Case[] = [
  { name: 'node -e 0', from: 'node', args: ['-e', '0'] },
  ...cli('ruongso --help', ['--help']),
  ...cli('ruongso plan (5 ha)', ['plan', FIELD, '--swath', '6']),
  ...cli('ruongso gateway --check', ['gateway', '--check', '-c', 'examples/gateway.yaml']),
];

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssKB: number;
}

// the child reports its own CPU time and peak RSS as it exits, on fd 3
const preload = path.join(tmp, 'report.mjs');
fs.writeFileSync(
  preload,
  "import { writeSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); " +
    'try { writeSync(3, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, rssKB: u.maxRSS })); } catch { /* no fd 3 */ } });\n',
);

/** One run of a case: wall time from here, CPU and peak RSS from the child itself. */
function runOnce(c: Case): Sample {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', preload, ...c.args], {
    cwd: root,
    env: { ...process.env, RUONGSO_FROM: c.from === 'node' ? '' : c.from, RUONGSO_DIST: distDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - t;
  if (r.status !== 0) throw new Error(`${c.name} (${c.from}) exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(String(r.output[3])) as { cpuMs: number; rssKB: number };
  return { wallMs, ...report };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const r1 = (n: number) => Math.round(n * 10) / 10;

const kbOf = (file: string, key: string) =>
  Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(fs.readFileSync(file, 'utf8'))?.[1] ?? 0);
const childOf = (pid: number) =>
  Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0] || 0);

interface GatewayRss {
  rssMB: number;
  launcherRssMB: number;
  pssMB: number;
}

/**
 * A gateway running from `from` against a simulated paddy, no broker reachable, peaks over the
 * window: RSS of the gateway process (the child bin/ruongso.js starts with --lite-mode), RSS of
 * that launcher, and both together as PSS (the node binary's pages they share counted once).
 */
async function gatewayRss(from: 'dist' | 'source'): Promise<GatewayRss> {
  const modbus = await freePort();
  const cfg = YAML.parse(fs.readFileSync(path.join(root, 'examples/gateway.yaml'), 'utf8')) as Record<
    string,
    unknown
  > & { buses: Array<{ url: string }> };
  cfg.buses[0]!.url = `tcp://127.0.0.1:${modbus}`;
  cfg.mqtt = { url: `mqtt://127.0.0.1:${await freePort()}` }; // nothing listens: telemetry queues on disk
  cfg.dataDir = path.join(tmp, `gw-${from}`);
  cfg.local = { host: '127.0.0.1', port: await freePort() };
  const file = path.join(tmp, `gateway-${from}.yaml`);
  fs.writeFileSync(file, YAML.stringify(cfg));
  const env = { ...process.env, RUONGSO_FROM: from, RUONGSO_DIST: distDir, LOG_LEVEL: 'warn' };
  const sim = spawn(process.execPath, ['bin/ruongso.js', 'sim', 'paddy', '--tcp', String(modbus)], {
    cwd: root,
    env,
    stdio: 'ignore',
  });
  try {
    await waitForPort(modbus, '127.0.0.1', 60_000);
    const gw = spawn(process.execPath, ['bin/ruongso.js', 'gateway', '--config', file], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errText = '';
    gw.stderr.on('data', (d: Buffer) => {
      errText += d.toString();
    });
    const exited = new Promise<number | null>((r) => gw.once('exit', (code) => r(code)));
    const peak = { rss: 0, launcher: 0, pss: 0 };
    const sample = () => {
      try {
        const child = childOf(gw.pid!);
        const launcher = kbOf(`/proc/${gw.pid}/status`, 'VmRSS');
        const rss = child ? kbOf(`/proc/${child}/status`, 'VmRSS') : 0;
        const pss =
          kbOf(`/proc/${gw.pid}/smaps_rollup`, 'Pss') + (child ? kbOf(`/proc/${child}/smaps_rollup`, 'Pss') : 0);
        peak.rss = Math.max(peak.rss, rss);
        peak.launcher = Math.max(peak.launcher, launcher);
        peak.pss = Math.max(peak.pss, pss);
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 200);
    await new Promise((r) => setTimeout(r, gatewaySeconds * 1000));
    clearInterval(timer);
    sample();
    if (gw.exitCode !== null)
      throw new Error(`the gateway from ${from} exited early (${gw.exitCode}): ${errText.slice(-1000)}`);
    gw.kill('SIGTERM');
    await exited;
    return { rssMB: r1(peak.rss / 1024), launcherRssMB: r1(peak.launcher / 1024), pssMB: r1(peak.pss / 1024) };
  } finally {
    sim.kill('SIGTERM');
  }
}

// a distribution of the sources as they are now, in a folder of its own (dist/cli is left alone)
const build = spawnSync(
  process.execPath,
  ['bin/build.js', '--quiet', '--outdir', path.relative(root, distDir), '--packages', values.packages],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) throw new Error('npm run build failed');
const samples = new Map<Case, Sample[]>(cases.map((c) => [c, []]));
for (const c of cases) runOnce(c); // warm-up: disk cache, tsx's compile cache
for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c)!.push(runOnce(c));

const floor = median(samples.get(cases[0]!)!.map((s) => s.wallMs));
const rows = cases.map((c) => {
  const s = samples.get(c)!;
  const wallMs = median(s.map((x) => x.wallMs));
  return {
    name: c.name,
    from: c.from,
    wallMs: r1(wallMs),
    cpuMs: r1(median(s.map((x) => x.cpuMs))),
    rssMB: r1(median(s.map((x) => x.rssKB)) / 1024),
    wallRatio: r1(wallMs / floor),
  };
});
const load1 = os.loadavg()[0]!;
console.log(
  `${runs} runs each, interleaved, build with packages ${values.packages}; ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `${'case'.padEnd(26)} ${'from'.padEnd(7)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'RSS MB'.padStart(7)}  × node -e 0`,
);
for (const r of rows)
  console.log(
    `${r.name.padEnd(26)} ${r.from.padEnd(7)} ${String(r.wallMs).padStart(8)} ${String(r.cpuMs).padStart(8)} ${String(r.rssMB).padStart(7)}  ${r.wallRatio.toFixed(1)}×`,
  );
for (const name of ['ruongso --help', 'ruongso plan (5 ha)', 'ruongso gateway --check']) {
  const d = rows.find((r) => r.name === name && r.from === 'dist')!;
  const s = rows.find((r) => r.name === name && r.from === 'source')!;
  console.log(
    `${name}: dist is ${r1(s.wallMs / d.wallMs)}× faster than source (wall), ${r1(s.cpuMs / d.cpuMs)}× less CPU, ${r1(s.rssMB - d.rssMB)} MB less RSS`,
  );
}

const gateway = [];
for (const from of ['dist', 'source'] as const) gateway.push({ from, ...(await gatewayRss(from)) });
for (const g of gateway) {
  console.log(
    `gateway running ${gatewaySeconds} s from ${g.from}: peak RSS ${g.rssMB} MB (the gateway process), ` +
      `launcher ${g.launcherRssMB} MB RSS, both ${g.pssMB} MB PSS`,
  );
}

const help = rows.find((r) => r.name === 'ruongso --help' && r.from === 'dist')!;
const plan = rows.find((r) => r.name === 'ruongso plan (5 ha)' && r.from === 'dist')!;
const gw = gateway.find((g) => g.from === 'dist')!;
const targets = {
  help: { s: help.wallMs / 1000, target: TARGETS.helpS, ok: help.wallMs / 1000 <= TARGETS.helpS },
  plan: { s: plan.wallMs / 1000, target: TARGETS.planS, ok: plan.wallMs / 1000 <= TARGETS.planS },
  gatewayRss: { mb: gw.rssMB, target: TARGETS.gatewayRssMB, ok: gw.rssMB <= TARGETS.gatewayRssMB },
};
console.log(
  `targets (dist): --help ${targets.help.s.toFixed(2)} s (≤ ${TARGETS.helpS}) ${targets.help.ok ? 'ok' : 'MISSED'}; ` +
    `plan 5 ha ${targets.plan.s.toFixed(2)} s (≤ ${TARGETS.planS}) ${targets.plan.ok ? 'ok' : 'MISSED'}; ` +
    `gateway ${gw.rssMB} MB (≤ ${TARGETS.gatewayRssMB}) ${targets.gatewayRss.ok ? 'ok' : 'MISSED'}` +
    (load1 > os.cpus().length
      ? `  — load ${load1.toFixed(1)} on ${os.cpus().length} cores: wall times count other people's work too`
      : ''),
);
console.log(
  JSON.stringify({
    runs,
    packages: values.packages,
    load1: r1(load1),
    floorMs: r1(floor),
    cases: rows,
    gateway,
    targets,
  }),
);
