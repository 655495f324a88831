import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run bench cli` once, short: every case runs and is reported (figures are not judged here)
const root = fileURLToPath(new URL('..', import.meta.url));

describe('npm run bench cli -- --smoke', () => {
  it("reports --help, plan and gateway --check from dist and from source beside node -e 0, and the running gateway's RSS", () => {
    const r = spawnSync(process.execPath, ['bin/bench.js', 'cli', '--smoke'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as {
      runs: number;
      cases: { name: string; from: string; wallMs: number; cpuMs: number; rssMB: number; wallRatio: number }[];
      gateway: { from: string; rssMB: number }[];
      targets: Record<string, { ok: boolean; target: number }>;
    };
    expect(last.runs).toBe(1);
    expect(last.cases.map((c) => `${c.name} ${c.from}`)).toEqual([
      'node -e 0 node',
      'ruongso --help dist',
      'ruongso --help source',
      'ruongso plan (5 ha) dist',
      'ruongso plan (5 ha) source',
      'ruongso gateway --check dist',
      'ruongso gateway --check source',
    ]);
    for (const c of last.cases) {
      expect(c.wallMs, c.name).toBeGreaterThan(0);
      expect(c.cpuMs, c.name).toBeGreaterThan(0);
      expect(c.rssMB, c.name).toBeGreaterThan(10);
    }
    expect(last.gateway.map((g) => g.from)).toEqual(['dist', 'source']);
    for (const g of last.gateway) expect(g.rssMB).toBeGreaterThan(10);
    expect(Object.keys(last.targets)).toEqual(['help', 'plan', 'gatewayRss']);
    expect(r.stdout).toMatch(/^ruongso plan \(5 ha\): dist is [\d.]+× faster than source/m);
    expect(r.stdout).toMatch(/^targets \(dist\): --help /m);
  }, 300_000);
});
