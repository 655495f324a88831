import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());

describe.skipIf(!ok)('npm run bench ingest -- --smoke', () => {
  it('ends with one JSON line carrying every figure as a positive number', { timeout: 240_000 }, async () => {
    // the scale-out phase is off in the smoke by default: two instances here, so it runs somewhere
    const { stdout } = await promisify(execFile)('node', ['bin/bench.js', 'ingest', '--smoke', '--instances', '2'], {
      cwd: new URL('..', import.meta.url).pathname,
      maxBuffer: 10 * 1024 * 1024,
    });
    const last = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
    for (const key of [
      'readingsPerSec',
      'baselineReadingsPerSec',
      'ratio',
      'p50LatencyMs',
      'p99LatencyMs',
      'drainReadingsPerSec',
      'peerReadingsPerSec',
      'peerP99LatencyMs',
      'cpuUsPerReading',
      'baselineCpuUsPerReading',
      'peerCpuUsPerReading',
    ]) {
      expect(typeof last[key], key).toBe('number');
      expect(last[key], key).toBeGreaterThan(0);
    }
    expect(last.p99LatencyMs).toBeGreaterThanOrEqual(last.p50LatencyMs!);
    expect(last.ratio).toBeCloseTo(last.readingsPerSec! / last.baselineReadingsPerSec!, 1);
    const scale = last as unknown as {
      scaleOut: Record<string, number>;
      scaleOutCpuUsPerReading: Record<string, number>;
    };
    expect(Object.keys(scale.scaleOut)).toEqual(['2']);
    expect(scale.scaleOut['2']).toBeGreaterThan(0);
    expect(scale.scaleOutCpuUsPerReading['2']).toBeGreaterThan(0);
  });
});

describe('npm run bench decode -- --smoke', () => {
  it(
    'ends with one JSON line: zod and the fast path side by side, as positive numbers',
    { timeout: 120_000 },
    async () => {
      const { stdout } = await promisify(execFile)('node', ['bin/bench.js', 'decode', '--smoke'], {
        cwd: new URL('..', import.meta.url).pathname,
      });
      const last = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
      for (const key of [
        'zodReadingsPerSec',
        'fastReadingsPerSec',
        'ratio',
        'zodCpuUsPerReading',
        'fastCpuUsPerReading',
        'fieldZodReadingsPerSec',
        'fieldFastReadingsPerSec',
        'fieldRatio',
        'fieldZodCpuUsPerReading',
        'fieldFastCpuUsPerReading',
      ]) {
        expect(typeof last[key], key).toBe('number');
        expect(last[key], key).toBeGreaterThan(0);
      }
      expect(last.ratio).toBeCloseTo(last.fastReadingsPerSec! / last.zodReadingsPerSec!, 1);
    },
  );
});
