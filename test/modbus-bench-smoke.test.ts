import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('npm run bench modbus -- --smoke', () => {
  it('ends with one JSON object carrying every figure', async () => {
    const { stdout } = await run(process.execPath, ['bin/bench.js', 'modbus', '--smoke'], {
      cwd: ROOT,
      timeout: 150_000,
    });
    const last = stdout.trim().split('\n').at(-1)!;
    const figures = JSON.parse(last) as Record<string, unknown>;
    expect(Object.keys(figures).sort()).toEqual([
      'baselineTxPerSec',
      'cpuPct',
      'decisionMs',
      'ratio',
      'rssMB',
      'txPerSec',
    ]);
    for (const v of Object.values(figures)) expect(typeof v === 'number' && Number.isFinite(v) && v > 0).toBe(true);
    const f = figures as { txPerSec: number; baselineTxPerSec: number; ratio: number; rssMB: number; cpuPct: number };
    expect(f.ratio).toBeCloseTo(f.txPerSec / f.baselineTxPerSec, 2);
    expect(f.rssMB).toBeLessThan(1024);
    expect(f.cpuPct).toBeLessThan(100);
  }, 180_000);

  it('lists the benchmarks when asked for one that does not exist', async () => {
    const err = await run(process.execPath, ['bin/bench.js', 'no-such-bench'], { cwd: ROOT }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no benchmark "no-such-bench"[\s\S]*benchmarks: .*modbus/),
    });
  });
});
