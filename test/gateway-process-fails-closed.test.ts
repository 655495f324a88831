import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import YAML from 'yaml';
import { fastClock, gatewayFileFor, startPaddySite } from '../simulators/paddy-site.js';
import { until } from './support/wait.js';

const BIN = path.resolve(import.meta.dirname, '../bin/ruongso.js');
const FIELD_START = Date.UTC(2026, 2, 10, 5, 0);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('ruongso gateway --config FILE', () => {
  it('runs the loop against a paddy site with no broker, and closes every relay on SIGTERM', async () => {
    const site = await startPaddySite({
      seed: 2,
      clock: fastClock(3600, FIELD_START),
      initialLevelCm: -14.5,
      paddy: { rain: false },
      salinity: { monthlyBasePpt: Array(12).fill(0.6), spikeChanceDry: 0 },
    });
    cleanups.push(() => site.stop());
    const dir = mkdtempSync(path.join(tmpdir(), 'gwp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // port 1 on loopback: nothing listens, the broker is "down" for the whole run
    const file = gatewayFileFor(site, {
      gatewayId: `gw-p-${randomBytes(3).toString('hex')}`,
      mqttUrl: 'mqtt://127.0.0.1:1',
      dataDir: './data',
      pollSeconds: 1,
    });
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
    await Promise.race([until('the gateway to open the intake', () => site.field().intakeOpen, 80_000), early]);
    await until('the decision on stdout', () => out.includes('valve_opened'));
    expect(out).toMatch(/valve_opened\s+opened: water level −\d+\.\d cm ≤ −15 cm/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(site.field()).toMatchObject({ intakeOpen: false, pumpOn: false, sprinklerOn: false });
  }, 110_000);
});
