import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import YAML from 'yaml';
import { freePort } from '../lib/ports.js';
import { fastClock, gatewayFileFor, startPaddySite, type PaddySite } from '../simulators/paddy-site.js';
import { until } from './support/wait.js';

// `ruongso gateway --config F` runs as a child of bin/ruongso.js with node's --lite-mode on its
// command line (edge/README.md, "Memory"); the parent forwards signals and ends with the child.
const BIN = path.resolve(import.meta.dirname, '../bin/ruongso.js');
const FIELD_START = Date.UTC(2026, 2, 10, 5, 0);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// a zombie (exited, not yet reaped by whoever adopted it) counts as gone
const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};
const childrenOf = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

/** A dry paddy, a gateway on it (broker down), its parent and its one child, the intake open. */
async function gatewayOnADryPaddy(): Promise<{
  site: PaddySite;
  parent: ChildProcess;
  child: number;
  exited: Promise<[number | null, string | null]>;
}> {
  const site = await startPaddySite({
    seed: 3,
    clock: fastClock(3600, FIELD_START),
    initialLevelCm: -14.5,
    paddy: { rain: false },
    salinity: { monthlyBasePpt: Array(12).fill(0.6), spikeChanceDry: 0 },
  });
  cleanups.push(() => site.stop());
  const dir = mkdtempSync(path.join(tmpdir(), 'gwl-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = {
    ...gatewayFileFor(site, {
      gatewayId: `gw-l-${randomBytes(3).toString('hex')}`,
      mqttUrl: 'mqtt://127.0.0.1:1',
      dataDir: './data',
      pollSeconds: 1,
    }),
    local: { host: '127.0.0.1', port: await freePort() },
  };
  writeFileSync(path.join(dir, 'gateway.yaml'), YAML.stringify(file));
  const { MALLOC_ARENA_MAX: _, ...env } = process.env;
  const parent = spawn(process.execPath, [BIN, 'gateway', '--config', path.join(dir, 'gateway.yaml')], {
    env: { ...env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  parent.stdout.on('data', (b) => {
    out += String(b);
  });
  parent.stderr.on('data', (b) => {
    out += String(b);
  });
  const exited = new Promise<[number | null, string | null]>((resolve) =>
    parent.once('exit', (code, signal) => resolve([code, signal])),
  );
  const early = new Promise<never>((_, reject) =>
    parent.once('exit', (code, signal) =>
      reject(new Error(`ruongso gateway exited early (${signal ?? code}): ${out.slice(-600)}`)),
    ),
  );
  early.catch(() => undefined);
  let child = 0;
  cleanups.push(() => {
    if (child && alive(child)) process.kill(child, 'SIGKILL');
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
  });
  child = (await Promise.race([until('the gateway child', () => childrenOf(parent.pid!)[0], 60_000), early]))!;
  await Promise.race([until('the gateway to open the intake', () => site.field().intakeOpen, 80_000), early]);
  return { site, parent, child, exited };
}

describe('ruongso gateway --config FILE runs lean, as one child that stops with its parent', () => {
  it("runs the gateway with --lite-mode on node's command line, and SIGTERM to the parent closes every relay and leaves no child", async () => {
    const { site, parent, child, exited } = await gatewayOnADryPaddy();
    expect(childrenOf(parent.pid!)).toEqual([child]);
    const argv = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
    expect(argv.slice(0, 3)).toEqual([process.execPath, '--max-semi-space-size=1', '--lite-mode']);
    expect(argv.slice(3, 7)).toEqual([BIN, 'gateway', '--config', expect.stringMatching(/gateway\.yaml$/)]);
    const env = readFileSync(`/proc/${child}/environ`, 'utf8').split('\0');
    expect(env).toContain('RUONGSO_GATEWAY_CHILD=1');
    expect(env).toContain('MALLOC_ARENA_MAX=2');
    parent.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
    expect(alive(child)).toBe(false);
    expect(site.field()).toMatchObject({ intakeOpen: false, pumpOn: false, sprinklerOn: false });
  }, 120_000);

  it('survives a Ctrl-C that reaches both processes, and a parent killed outright takes the gateway down with it', async () => {
    const { site, parent, child, exited } = await gatewayOnADryPaddy();
    // SIGINT to the child from the terminal and again forwarded by the parent: the first stops it
    process.kill(child, 'SIGINT');
    parent.kill('SIGINT');
    expect(await exited).toEqual([0, null]);
    expect(alive(child)).toBe(false);
    expect(site.field()).toMatchObject({ intakeOpen: false, pumpOn: false, sprinklerOn: false });

    const second = await gatewayOnADryPaddy();
    second.parent.kill('SIGKILL');
    expect(await second.exited).toEqual([null, 'SIGKILL']);
    await until('the orphaned gateway to stop', () => !alive(second.child), 30_000);
    expect(second.site.field()).toMatchObject({ intakeOpen: false, pumpOn: false, sprinklerOn: false });
  }, 200_000);
});
