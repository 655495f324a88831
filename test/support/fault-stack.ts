import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mosquittoAcl } from '../../cloud/broker/mosquitto-files.js';
import { freePort } from '../../lib/ports.js';
import { startInflux, type InfluxServer } from './influx.js';
import { startMosquitto, type MosquittoServer } from './mosquitto.js';
import { UplinkChild } from './uplink-child-runner.js';

/**
 * The real stack of the fault suite, the way an operator runs it: Mosquitto from
 * deploy/mosquitto/mosquitto.conf with the ACL `ruongso broker provision` writes, a real
 * InfluxDB 1.6.7, `ruongso cloud` as a process of its own, and gateway processes (real Uplink,
 * disk queue) fed by a counter. Every reading is reconciled by (gateway, sensor, metric, ts).
 */
export interface FaultStack {
  mosquitto: MosquittoServer;
  influx: InfluxServer;
  db: string;
  dir: string;
  cloud: CloudProcess;
  gateways: GatewayProcess[];
  destroy(): Promise<void>;
}

export const BIN = fileURLToPath(new URL('../../bin/ruongso.js', import.meta.url));
const CLOUD_PASSWORD = 'cloud-secret-0123';
const T0 = 1_764_288_000_000;

export interface GatewayProcess {
  id: string;
  tsBase: number;
  sensors: number;
  child: UplinkChild;
  dataDir: string;
  password: string;
}

export class CloudProcess {
  proc: ChildProcess | undefined;
  port = 0;
  log = '';
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Starts `ruongso cloud`; resolves once /healthz answers (200 ok or 503 degraded). */
  async start(): Promise<void> {
    this.port = await freePort();
    const proc = spawn(process.execPath, [BIN, 'cloud'], {
      env: { ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const keep = (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-20_000);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`ruongso cloud exited (${proc.exitCode}): ${this.log.slice(-3000)}`);
      const h = await this.health().catch(() => null);
      if (h) return;
      if (Date.now() > deadline) throw new Error(`ruongso cloud did not answer /healthz: ${this.log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async health(): Promise<{ status: string; telemetry: { ok: boolean }; broker: { ok: boolean } }> {
    const res = await fetch(`http://127.0.0.1:${this.port}/healthz`, { signal: AbortSignal.timeout(3000) });
    return (await res.json()) as { status: string; telemetry: { ok: boolean }; broker: { ok: boolean } };
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill(signal);
    });
  }
}

export async function startFaultStack(
  opts: { gateways?: number; sensors?: number; tickMs?: number; gatewayOptions?: Record<string, unknown> } = {},
): Promise<FaultStack> {
  const suffix = randomBytes(3).toString('hex');
  const ids = Array.from({ length: opts.gateways ?? 2 }, (_, i) => `gw-fault-${suffix}-${i}`);
  const passwords = Object.fromEntries(ids.map((id) => [id, `pw-${id}`]));
  const [mosquitto, influx] = await Promise.all([
    startMosquitto({ users: { cloud: CLOUD_PASSWORD, ...passwords }, acl: mosquittoAcl(ids) }),
    startInflux(),
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-faults-'));
  const db = `faults_${suffix}`;
  const cloud = new CloudProcess({
    ...process.env,
    RUONGSO_FROM: 'source',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(dir, 'cloud'),
    MQTT_URL: mosquitto.url,
    MQTT_USERNAME: 'cloud',
    MQTT_PASSWORD: CLOUD_PASSWORD,
    INFLUX_URL: influx.url,
    INFLUX_DB: db,
    INFLUX_API: 'v1',
    ADMIN_PASSWORD: 'Tide-lantern-9372-mekong',
  });
  const gateways = ids.map((id, i) => {
    const dataDir = path.join(dir, id);
    fs.mkdirSync(dataDir, { recursive: true });
    return {
      id,
      tsBase: T0 + i * 10_000_000_000,
      sensors: opts.sensors ?? 8,
      dataDir,
      password: passwords[id]!,
      child: undefined as unknown as UplinkChild,
    };
  });
  const stack: FaultStack = {
    mosquitto,
    influx,
    db,
    dir,
    cloud,
    gateways,
    destroy: async () => {
      await Promise.all(gateways.map((g) => g.child?.kill('SIGKILL')));
      await cloud.kill('SIGKILL');
      await Promise.all([mosquitto.destroy(), influx.destroy()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const g of gateways) startGateway(stack, g, opts.tickMs ?? 40, opts.gatewayOptions);
  return stack;
}

export function startGateway(
  stack: FaultStack,
  g: GatewayProcess,
  tickMs = 40,
  extra: Record<string, unknown> = {},
): void {
  g.child = UplinkChild.spawn({
    gatewayId: g.id,
    url: stack.mosquitto.url,
    username: g.id,
    password: g.password,
    dataDir: g.dataDir,
    sensors: g.sensors,
    tickMs,
    tsBase: g.tsBase,
    ...extra,
  });
}

export interface Reconciled {
  produced: number;
  stored: number;
  missing: number;
  doubled: number;
}

/** Every reading a gateway process reported as produced, against what InfluxDB holds for it. */
export async function reconcile(stack: FaultStack, g: GatewayProcess, producedTicks: number): Promise<Reconciled> {
  const res = (await stack.influx
    .query(stack.db, `SELECT value FROM reading WHERE gateway = '${g.id}' GROUP BY sensor`)
    .catch(() => null)) as {
    results?: Array<{ series?: Array<{ tags: { sensor: string }; values: Array<[number, number]> }> }>;
  } | null;
  const stored = new Set<string>();
  let rows = 0;
  for (const s of res?.results?.[0]?.series ?? []) {
    for (const [ts] of s.values) {
      stored.add(`${s.tags.sensor}|${ts}`);
      rows++;
    }
  }
  let missing = 0;
  const want = new Set<string>();
  for (let t = 0; t < producedTicks; t++) {
    for (let i = 0; i < g.sensors; i++) {
      const k = `s${i}|${g.tsBase + t * 1000}`;
      want.add(k);
      if (!stored.has(k)) missing++;
    }
  }
  // a reading of a tick the child accepted but had not yet reported is not a double
  let foreign = 0;
  for (const k of stored) {
    if (want.has(k)) continue;
    const [sensor, ts] = k.split('|');
    const tick = (Number(ts) - g.tsBase) / 1000;
    if (!(Number.isInteger(tick) && tick >= producedTicks && tick <= producedTicks + 2 && /^s\d+$/.test(sensor!)))
      foreign++;
  }
  return { produced: want.size, stored: want.size - missing, missing, doubled: rows - stored.size + foreign };
}

/** Stops every producer, waits until each gateway's readings are all stored, and reconciles. */
export async function drainAndReconcile(
  stack: FaultStack,
  timeoutMs = 90_000,
): Promise<Reconciled & { recoveryS: number }> {
  const started = Date.now();
  for (const g of stack.gateways) g.child.proc.kill('SIGUSR2');
  await Promise.all(stack.gateways.map((g) => g.child.until(() => g.child.stopped >= 0, 10_000, 'producer stopped')));
  const total = (): Promise<Reconciled> =>
    Promise.all(stack.gateways.map((g) => reconcile(stack, g, g.child.stopped + 1))).then((rs) =>
      rs.reduce((a, r) => ({
        produced: a.produced + r.produced,
        stored: a.stored + r.stored,
        missing: a.missing + r.missing,
        doubled: a.doubled + r.doubled,
      })),
    );
  let r = await total();
  while (r.missing > 0 && Date.now() - started < timeoutMs) {
    await new Promise((res) => setTimeout(res, 500));
    r = await total();
  }
  return { ...r, recoveryS: Math.round((Date.now() - started) / 100) / 10 };
}

/** Waits until every gateway has stored at least `n` readings (the stack is flowing). */
export async function untilFlowing(stack: FaultStack, n = 50, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const rs = await Promise.all(stack.gateways.map((g) => reconcile(stack, g, Math.max(0, g.child.produced))));
    if (rs.every((r) => r.stored >= n)) return;
    if (Date.now() > end) throw new Error(`stack not flowing: ${JSON.stringify(rs)} ${stack.cloud.log.slice(-2000)}`);
    await new Promise((res) => setTimeout(res, 300));
  }
}
