import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitForPort } from '../lib/ports.js';
import { services } from './support/services.js';

const require = createRequire(import.meta.url);
const repo = fileURLToPath(new URL('../', import.meta.url));
const redJs = require.resolve('node-red/red.js');
const bcrypt = createRequire(require.resolve('node-red'))('bcryptjs') as {
  hashSync(pw: string, rounds: number): string;
};
const ok = await services.mosquitto();

function startNodeRed(
  userDir: string,
  env: Record<string, string>,
  port: number,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(
    process.execPath,
    [redJs, '--settings', path.join(repo, 'flows/settings.js'), '--userDir', userDir, '--port', String(port)],
    {
      env: { PATH: process.env.PATH ?? '', HOME: userDir, NODE_RED_USER_DIR: userDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe.skipIf(!ok)('production settings (flows/settings.js) in a real node-red process', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tempDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'ruongso-nr-settings-'));
    dirs.push(d);
    return d;
  };

  afterAll(async () => {
    for (const c of children)
      if (c.exitCode === null) {
        c.kill('SIGTERM');
        await new Promise((r) => c.once('exit', r));
      }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses to start in production without an admin password hash', async () => {
    const nr = startNodeRed(
      tempDir(),
      { NODE_ENV: 'production', NODE_RED_CREDENTIAL_SECRET: 'x'.repeat(32) },
      await freePort(),
    );
    children.push(nr.child);
    expect(await nr.exited).not.toBe(0);
    expect(nr.output()).toContain('NODE_RED_ADMIN_HASH is not set');
  }, 60_000);

  it('starts with the shipped flows and nodes, and its admin API needs the login', async () => {
    const userDir = tempDir();
    const port = await freePort();
    const nr = startNodeRed(
      userDir,
      {
        NODE_ENV: 'production',
        NODE_RED_ADMIN_USER: 'can-bo',
        NODE_RED_ADMIN_HASH: bcrypt.hashSync('mat-khau-dai', 8),
        NODE_RED_CREDENTIAL_SECRET: 'y'.repeat(32),
        RUONGSO_MQTT_URL: 'mqtt://127.0.0.1:1883',
        RUONGSO_GATEWAY_PATTERN: '^no-such-gateway$',
        RUONGSO_MISSION_PATTERN: '^no-such-mission$',
      },
      port,
    );
    children.push(nr.child);
    await Promise.race([
      waitForPort(port, '127.0.0.1', 80_000),
      nr.exited.then(() => {
        throw new Error(nr.output());
      }),
    ]);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/flows`)).status).toBe(401);
    const bad = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'node-red-admin',
        grant_type: 'password',
        scope: '*',
        username: 'can-bo',
        password: 'sai',
      }),
    });
    expect(bad.status).toBe(403);
    const login = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'node-red-admin',
        grant_type: 'password',
        scope: '*',
        username: 'can-bo',
        password: 'mat-khau-dai',
      }),
    });
    expect(login.status).toBe(200);
    const { access_token: token } = (await login.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${token}` };
    const flows = (await (await fetch(`${base}/flows`, { headers: auth })).json()) as { id: string }[];
    expect(flows.map((n) => n.id)).toEqual(
      expect.arrayContaining(['rs-tab-alerts', 'rs-tab-spray', 'rs-tab-broadcast', 'rs-broker']),
    );
    const nodes = (await (
      await fetch(`${base}/nodes`, { headers: { ...auth, accept: 'application/json' } })
    ).json()) as { module: string; types: string[]; enabled: boolean; err?: string }[];
    const ours = nodes.filter((n) => n.module === 'node-red-contrib-ruongso');
    expect(ours.flatMap((n) => n.types).sort()).toEqual([
      'ruongso alert',
      'ruongso event-in',
      'ruongso gateway-status',
      'ruongso mission-in',
      'ruongso notify-gate',
      'ruongso salinity-bulletin',
      'ruongso set-threshold',
      'ruongso spray-neighbours',
      'ruongso telemetry-in',
      'ruongso valve-command',
      'ruongso-broker',
    ]);
    expect(ours.every((n) => n.enabled && !n.err)).toBe(true);
    expect(existsSync(path.join(userDir, 'flows.json'))).toBe(true); // seeded from the shipped flows
    expect(nr.output()).not.toMatch(/Error loading|missing types|Waiting for missing/i);
  }, 90_000); // a whole node-red process on two busy cores
});
