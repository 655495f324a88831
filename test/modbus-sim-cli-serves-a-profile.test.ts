import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitForPort } from '../lib/ports.js';
import { DevicePoller, ModbusBus } from '../edge/modbus/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('ruongso sim modbus', () => {
  let cli: ChildProcess | undefined;
  let bus: ModbusBus | undefined;

  afterAll(async () => {
    await bus?.stop();
    if (cli && cli.exitCode === null) {
      const exited = new Promise((r) => cli!.once('exit', r));
      cli.kill('SIGINT');
      await exited;
    }
  });

  it('serves a shipped profile over TCP with plausible values until interrupted', async () => {
    const port = await freePort();
    cli = spawn(
      process.execPath,
      ['bin/ruongso.js', 'sim', 'modbus', '--profile', 'soil-rs485-4in1', '--tcp', String(port), '--unit', '3'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    let out = '';
    cli.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    await waitForPort(port, '127.0.0.1', 40_000);
    bus = new ModbusBus({ url: `tcp://127.0.0.1:${port}`, timeoutMs: 1000 });
    await bus.start();
    const poller = new DevicePoller({
      buses: { sim: bus },
      devices: [{ id: 'soil-9', bus: 'sim', unitId: 3, profile: 'soil-rs485-4in1' }],
    });
    const rs = await poller.pollOnce();
    expect(rs.map((r) => r.quality)).toEqual(['good', 'good', 'good', 'good']);
    const moisture = rs.find((r) => r.metric === 'soil_moisture')!.value!;
    expect(moisture).toBeGreaterThan(20);
    expect(moisture).toBeLessThan(45);
    expect(out).toContain(`serving soil-rs485-4in1 as unit 3; point the gateway at tcp://127.0.0.1:${port}`);
    const exited = new Promise<number | null>((r) => cli!.once('exit', (code) => r(code)));
    cli.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);

  it('refuses to start without exactly one transport', async () => {
    const child = spawn(process.execPath, ['bin/ruongso.js', 'sim', 'modbus', '--profile', 'soil-rs485-4in1'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(err).toContain('give exactly one of --tcp PORT, --serial PATH or --pty');
  }, 60_000);
});
