import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm run bench registry` once, short: every path runs and is reported (figures are not judged here)
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PATHS = ['before-raw', 'raw-on-kysely', 'kysely-built', 'registry'];

describe('npm run bench registry -- --smoke', () => {
  it('ends with one JSON object carrying a rate for every path', async () => {
    const { stdout } = await run(process.execPath, ['bin/bench.js', 'registry', '--smoke'], {
      cwd: ROOT,
      timeout: 90_000,
    });
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      smoke: boolean;
      messages: number;
      rounds: number;
      messagesPerCpuSec: Record<string, number>;
      messagesPerSec: Record<string, number>;
    };
    expect(last).toMatchObject({ smoke: true, messages: 200, rounds: 1 });
    for (const rates of [last.messagesPerCpuSec, last.messagesPerSec]) {
      expect(Object.keys(rates)).toEqual(PATHS);
      for (const v of Object.values(rates)) expect(Number.isFinite(v) && v > 0).toBe(true);
    }
    for (const p of PATHS) expect(stdout).toMatch(new RegExp(`^${p} +\\d+ messages/CPU-s`, 'm'));
  }, 120_000);
});
