import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/ports.js';

const BIN = fileURLToPath(new URL('../bin/ruongso.js', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'cloud'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('ruongso cloud', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the web URL, serves, and shuts down cleanly on SIGINT', async () => {
    const port = await freePort();
    // production (the default): the first admin's password must pass the policy
    const p = run({
      PORT: String(port),
      MQTT_PORT: String(await freePort()),
      DATA_DIR: dir,
      HOST: '127.0.0.1',
      ADMIN_PASSWORD: 'lúa mùa khô về sớm 2026',
    });
    try {
      const deadline = Date.now() + 40_000;
      while (!p.out().includes('Ruộng Số cloud:') && Date.now() < deadline && p.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      expect(p.out()).toContain(`http://localhost:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      p.child.kill('SIGINT');
      expect(await p.exited).toBe(0);
      expect(fs.existsSync(path.join(dir, 'ruongso.sqlite'))).toBe(true);
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 60_000);

  it('is production unless told otherwise: no admin password, a guessable one, or the old demo one, and it does not start', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-cli-prod-'));
    try {
      for (const pw of [undefined, '123456789012', 'demo-ruongso']) {
        const p = run({
          PORT: String(await freePort()),
          MQTT_PORT: String(await freePort()),
          DATA_DIR: fresh,
          HOST: '127.0.0.1',
          ...(pw === undefined ? {} : { ADMIN_PASSWORD: pw }),
        });
        expect(await p.exited).toBe(1);
        expect(p.err()).toMatch(/ADMIN_PASSWORD/);
      }
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  }, 90_000);

  it('in demo mode prints accounts with a password generated for its data directory, and listens on loopback', async () => {
    const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-cli-demo-'));
    const port = await freePort();
    const p = run({
      PORT: String(port),
      MQTT_PORT: String(await freePort()),
      DATA_DIR: demoDir,
      RUONGSO_MODE: 'demo',
      HOST: '',
    });
    try {
      const deadline = Date.now() + 40_000;
      while (!p.out().includes('DEMO officer') && Date.now() < deadline && p.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      const stored = JSON.parse(fs.readFileSync(path.join(demoDir, 'demo-credentials.json'), 'utf8')) as {
        password: string;
      };
      expect(p.out()).toContain(`password: ${stored.password}`);
      expect(p.out()).not.toContain('demo-ruongso');
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'canbo', password: stored.password }),
      });
      expect(r.status).toBe(200);
      const lan = Object.values(os.networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal);
      if (lan) await expect(fetch(`http://${lan.address}:${port}/healthz`)).rejects.toThrow();
      p.child.kill('SIGINT');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      fs.rmSync(demoDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails with one line naming MQTT_PORT when the broker port is taken', async () => {
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => holder.listen(port, '0.0.0.0', () => r()));
    try {
      const p = run({ PORT: String(await freePort()), MQTT_PORT: String(port), DATA_DIR: dir });
      expect(await p.exited).toBe(1);
      expect(p.err()).toBe(
        `ruongso: MQTT_PORT ${port} is already in use — set MQTT_PORT to a free port, or MQTT_URL to use that broker [PORT_IN_USE]\n`,
      );
    } finally {
      holder.close();
    }
  }, 60_000);
});
