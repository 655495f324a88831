import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/ports.js';
import { services } from './support/services.js';
import { until } from './support/wait.js';

// `npm start` is `ruongso demo`: run the real command as a person would, on free ports.
const root = fileURLToPath(new URL('..', import.meta.url));
const hasMosquitto = await services.mosquitto();

function startDemo(env: Record<string, string>): { proc: ChildProcess; out: () => string } {
  let out = '';
  const proc = spawn(process.execPath, ['bin/ruongso.js', 'demo'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { proc, out: () => out };
}

function exited(proc: ChildProcess): Promise<number | null> {
  return proc.exitCode !== null
    ? Promise.resolve(proc.exitCode)
    : new Promise((r) => proc.once('exit', (code) => r(code)));
}

interface GatewayRow {
  id: string;
  online: boolean;
  lastSeq: number | null;
  commune: { name: string } | null;
  latest: { metric: string }[];
  desiredConfigVersion: number | null;
  appliedConfigVersion: number | null;
}

async function login(base: string, user: string): Promise<RequestInit> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: user, password: 'demo-ruongso' }),
  });
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status}`);
  const { token } = (await r.json()) as { token: string };
  return { headers: { authorization: `Bearer ${token}` } };
}

describe('ruongso demo (npm start)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-demo-'));
  const running: ChildProcess[] = [];
  afterAll(async () => {
    for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the web app with 3 gateways online in 2 communes, stops cleanly on SIGINT and reuses its data', async () => {
    const port = await freePort();
    const mqttPort = await freePort();
    // the demo's accounts take ADMIN_PASSWORD when it is set (else one generated for DATA_DIR)
    const env = { PORT: String(port), MQTT_PORT: String(mqttPort), DATA_DIR: dataDir, ADMIN_PASSWORD: 'demo-ruongso' };
    const first = startDemo(env);
    running.push(first.proc);
    const base = `http://127.0.0.1:${port}`;

    const health = await until(
      'healthz 200',
      async () => {
        const r = await fetch(`${base}/healthz`);
        return r.status === 200 ? (r.json() as Promise<Record<string, { ok: boolean }>>) : undefined;
      },
      90_000,
      500,
    );
    expect(health.telemetry!.ok && health.registry!.ok && health.broker!.ok).toBe(true);

    // every gateway route needs a session: the demo prints its accounts
    expect((await fetch(`${base}/api/v1/gateways`)).status).toBe(401);
    const auth = await login(base, 'admin');
    const gateways = await until(
      '3 gateways online with readings',
      async () => {
        const body = (await (await fetch(`${base}/api/v1/gateways`, auth)).json()) as { gateways: GatewayRow[] };
        const ready = body.gateways.filter((g) => g.online && g.latest.some((l) => l.metric === 'water_level'));
        return ready.length === 3 ? body.gateways : undefined;
      },
      60_000,
    );
    expect(new Set(gateways.map((g) => g.commune?.name))).toEqual(new Set(['Đại Ân 2', 'Lịch Hội Thượng']));
    await until(
      'the URL printed',
      async () => (first.out().includes(`http://localhost:${port}`) ? true : undefined),
      30_000,
    );
    expect(first.out()).toMatch(/DEMO farmer +nongdan .*password: demo-ruongso/);
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toMatch(/<html lang="vi"/);
    // the farmer sees only their farm, the officer no farm's gateway
    const farmer = (await (await fetch(`${base}/api/v1/gateways`, await login(base, 'nongdan'))).json()) as {
      gateways: GatewayRow[];
    };
    expect(farmer.gateways).toHaveLength(1);
    expect((await fetch(`${base}/api/v1/gateways`, await login(base, 'canbo'))).status).toBe(403);

    const seqBefore = Math.max(...gateways.map((g) => g.lastSeq ?? 0));
    first.proc.kill('SIGINT');
    expect(await exited(first.proc), first.out().slice(-2000)).toBe(0);

    // a second start finds the same farms and telemetry in DATA_DIR
    const second = startDemo(env);
    running.push(second.proc);
    const again = await until(
      'the demo back up',
      async () => {
        const r = await fetch(
          `${base}/api/v1/gateways/gw-dai-an-01/readings?metric=water_level`,
          await login(base, 'admin'),
        ).catch(() => undefined);
        return r?.status === 200 ? (r.json() as Promise<{ series: { points: unknown[] }[] }>) : undefined;
      },
      90_000,
    );
    expect(again.series[0]!.points.length).toBeGreaterThan(0);
    const body = (await (await fetch(`${base}/api/v1/gateways`, await login(base, 'admin'))).json()) as {
      gateways: GatewayRow[];
    };
    expect(body.gateways).toHaveLength(3);
    // the zone config the cloud sent is the one the gateways run
    for (const g of body.gateways) expect(g.appliedConfigVersion).toBe(g.desiredConfigVersion);
    expect(seqBefore).toBeGreaterThanOrEqual(0);
    second.proc.kill('SIGTERM');
    expect(await exited(second.proc)).toBe(0);
  }, 240_000);

  it.skipIf(!hasMosquitto)(
    'says in one line which variable moves a port that is already taken',
    async () => {
      // Mosquitto holds 1883 on the project's machines
      const demo = startDemo({
        PORT: String(await freePort()),
        MQTT_PORT: '1883',
        DATA_DIR: path.join(dataDir, 'taken'),
      });
      running.push(demo.proc);
      expect(await exited(demo.proc)).not.toBe(0);
      const lines = demo
        .out()
        .trim()
        .split('\n')
        .filter((l) => l.includes('1883'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/MQTT_PORT/);
      expect(lines[0]).toMatch(/MQTT_URL/);
    },
    60_000,
  );
});
