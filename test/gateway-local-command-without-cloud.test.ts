import { afterEach, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import YAML from 'yaml';
import { freePort } from '../lib/ports.js';
import { fastClock, gatewayFileFor, startPaddySite } from '../simulators/paddy-site.js';
import { until } from './support/wait.js';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/ruongso.js');
const FIELD_START = Date.UTC(2026, 2, 10, 5, 0);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const cli = (...args: string[]) =>
  run(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 });

describe('ruongso gateway cmd, with the broker unreachable', () => {
  it("opens the intake of a flooded paddy on a person's local command, and stop-all closes it", async () => {
    // flooded between the AWD thresholds and fresh canal water: the loop itself would not open
    const site = await startPaddySite({
      seed: 3,
      clock: fastClock(60, FIELD_START),
      initialLevelCm: 0,
      paddy: { rain: false },
      salinity: { monthlyBasePpt: Array(12).fill(0.6), spikeChanceDry: 0 },
    });
    cleanups.push(() => site.stop());
    const dir = mkdtempSync(path.join(tmpdir(), 'gwl-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // port 1 on loopback: nothing listens, the broker is "down" for the whole run
    const file = {
      ...gatewayFileFor(site, {
        gatewayId: `gw-l-${randomBytes(3).toString('hex')}`,
        mqttUrl: 'mqtt://127.0.0.1:1',
        dataDir: './data',
        pollSeconds: 1,
      }),
      local: { host: '127.0.0.1', port },
    };
    writeFileSync(path.join(dir, 'gateway.yaml'), YAML.stringify(file));
    const child: ChildProcess = spawn(process.execPath, [BIN, 'gateway', '--config', path.join(dir, 'gateway.yaml')], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (b) => {
      out += String(b);
    });
    child.stderr!.on('data', (b) => {
      out += String(b);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // a gateway that dies while starting (a crash, a signal) fails the test at once, with its output
    const early = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`ruongso gateway exited early (${signal ?? code}): ${out.slice(-600)}`)),
      ),
    );
    early.catch(() => undefined);
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    // generous: starting a tsx process on a busy 2-core machine can take half a minute
    await Promise.race([
      until('the local control endpoint', () => out.includes(`local control on ${url}`), 80_000),
      early,
    ]);
    // a few polls: the loop has seen the level and the salinity, and left the intake shut
    await new Promise((r) => setTimeout(r, 3000));
    expect(site.field().intakeOpen).toBe(false);

    const opened = await cli('gateway', 'cmd', 'open', '--zone', 'z1', '--minutes', '1', '--url', url);
    expect(opened.stdout).toMatch(/^open: done \(local-/);
    await until('the intake coil to open', () => site.field().intakeOpen, 10_000);
    const status = await cli('gateway', 'status', '--json', '--url', url);
    expect(JSON.parse(status.stdout)).toMatchObject({
      gatewayId: file.gatewayId,
      configVersion: 1,
      uplinkConnected: false,
      valvesOpen: ['v1'],
    });

    const bad = await cli('gateway', 'cmd', 'open', '--zone', 'z1', '--minutes', '-2', '--url', url).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/HTTP 400 — bad command: minutes/) });

    await cli('gateway', 'cmd', 'stop-all', '--url', url);
    await until('the intake coil to close', () => !site.field().intakeOpen, 10_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(site.field()).toMatchObject({ intakeOpen: false, pumpOn: false });
  }, 150_000);
});
