import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { canListen, freePort } from '../lib/ports.js';
import { until } from './support/wait.js';

// `npm start` on a machine where a system Mosquitto holds 1883 (the project's own) must still start.
const root = fileURLToPath(new URL('..', import.meta.url));
const held: net.Server[] = [];
const running: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-demo-ports-'));

/** Holds host:port when it is free; when someone else holds it already, that does as well. */
async function hold(port: number, host = '0.0.0.0'): Promise<void> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve() : reject(err)));
    srv.listen(port, host, () => {
      held.push(srv);
      resolve();
    });
  });
  expect(await canListen(port, host)).toBe(false);
}

function demo(args: string[]): { proc: ChildProcess; out: () => string; exited: Promise<number | null> } {
  // no port asked for anywhere: not in flags, not in the environment, no config file
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir };
  for (const k of ['PORT', 'MQTT_PORT', 'RUONGSO_CONFIG', 'MQTT_URL', 'INFLUX_URL', 'DATABASE_URL', 'HOST'])
    delete env[k];
  let out = '';
  const proc = spawn(process.execPath, ['bin/ruongso.js', 'demo', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  running.push(proc);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, out: () => out, exited };
}

afterAll(async () => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const s of held) await new Promise((r) => s.close(r));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('ruongso demo on a machine whose default ports are taken', () => {
  it('serves on free ports it prints when 8080 and 1883 are held and no port was asked for', async () => {
    await hold(8080);
    await hold(1883);
    const d = demo([]);
    const banner = await until(
      'the demo banner',
      async () => (/Ctrl-C stops everything/.test(d.out()) ? d.out() : undefined),
      120_000,
      200,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${d.out().slice(-2000)}`);
    });
    expect(banner).toMatch(/^ {2}PORT 8080 is taken: the demo uses \d+ instead \(set PORT to choose one\)$/m);
    expect(banner).toMatch(/^ {2}MQTT_PORT 1883 is taken: the demo uses \d+ instead \(set MQTT_PORT to choose one\)$/m);
    const http = Number(banner.match(/PORT 8080 is taken: the demo uses (\d+)/)![1]);
    const mqttPort = Number(banner.match(/MQTT_PORT 1883 is taken: the demo uses (\d+)/)![1]);
    expect(banner).toContain(`open http://localhost:${http}`);
    expect(banner).toContain(`MQTT broker: mqtt://127.0.0.1:${mqttPort}`);
    expect([http, mqttPort]).not.toContain(8080);
    expect([http, mqttPort]).not.toContain(1883);
    const health = (await (await fetch(`http://127.0.0.1:${http}/healthz`)).json()) as Record<
      string,
      { ok: boolean; kind?: string }
    >;
    expect(health.broker).toMatchObject({ ok: true, kind: 'embedded' });
    d.proc.kill('SIGINT');
    expect(await d.exited, d.out().slice(-2000)).toBe(0);
  }, 180_000);

  it('stops with the PORT_IN_USE line when the port asked for with --port is taken', async () => {
    const port = await freePort('0.0.0.0');
    await hold(port);
    const d = demo(['--port', String(port), '--mqtt-port', String(await freePort('0.0.0.0'))]);
    expect(await d.exited).not.toBe(0);
    expect(d.out()).toContain(`ruongso: PORT ${port} is already in use — set PORT to a free port [PORT_IN_USE]`);
    expect(d.out()).not.toMatch(/is taken: the demo uses/);
  }, 120_000);
});
