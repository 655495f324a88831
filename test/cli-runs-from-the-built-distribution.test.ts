import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm install` builds dist/ and `ruongso` runs it: built here into a folder of this test's own, so
// the tree's dist/cli/ (which others may be running) is left alone.
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = path.join(root, 'dist', `test-${process.pid}`);

function ruongso(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ruongso.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, RUONGSO_DIST: outdir, RUONGSO_WHICH: '1', LOG_LEVEL: 'warn', ...env },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** Sources (from the source maps) of a chunk and of every chunk it imports statically. */
function staticClosure(chunk: string, seen = new Set<string>()): string[] {
  if (seen.has(chunk)) return [];
  seen.add(chunk);
  const text = fs.readFileSync(path.join(outdir, chunk), 'utf8');
  const map = JSON.parse(fs.readFileSync(path.join(outdir, `${chunk}.map`), 'utf8')) as { sources: string[] };
  const own = map.sources.map((s) => path.relative(root, path.resolve(outdir, s)));
  const imported = [...text.matchAll(/^(?:import|export) (?:[^;]*? from )?"\.\/(chunk-[A-Z0-9]+\.mjs)";$/gm)].map(
    (m) => m[1]!,
  );
  return [...own, ...imported.flatMap((c) => staticClosure(c, seen))];
}

beforeAll(() => {
  const r = spawnSync(process.execPath, ['bin/build.js', '--outdir', path.relative(root, outdir)], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^built dist\/test-\d+\/main\.mjs and \d+ chunks from \d+ sources/);
}, 120_000);

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('ruongso from the built distribution', () => {
  it('shows its help from dist, loading only the entry chunk', () => {
    const r = ruongso(['--help'], { RUONGSO_FROM: 'dist' });
    expect(r.status).toBe(0);
    expect(r.err).toBe(`ruongso: from dist (${outdir}/)\n`);
    for (const cmd of ['cloud', 'demo', 'gateway', 'plan', 'sim', 'broker'])
      expect(r.out).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    // what `--help` loads: the entry and the chunks it imports statically; the subcommands'
    // implementations are chunks their actions import
    const loaded = staticClosure('main.mjs');
    expect(loaded.some((s) => s.includes('node_modules/commander/'))).toBe(true);
    expect(loaded).toContain('cli/commands/plan.ts');
    for (const heavy of [
      'node_modules/zod/',
      'node_modules/@turf/',
      'node_modules/fastify/',
      'node_modules/mqtt/',
      'cloud/server.ts',
      'cloud/missions/planner.ts',
      'edge/gateway.ts',
    ]) {
      expect(
        loaded.filter((s) => s.includes(heavy)),
        heavy,
      ).toEqual([]);
    }
  });

  it('checks the example gateway config from dist', () => {
    const r = ruongso(['gateway', '--check', '-c', 'examples/gateway.yaml'], { RUONGSO_FROM: 'dist' });
    expect(r.err).toMatch(/^ruongso: from dist/);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/^examples\/gateway\.yaml: ok — gateway gw-example-1, 1 buses, 4 devices, 3 actuators/);
  });

  it('plans a mission from dist, the device profiles and planner found beside the sources', () => {
    const r = ruongso(['plan', 'cloud/missions/fixtures/field-l-canal.geojson', '--swath', '6'], {
      RUONGSO_FROM: 'dist',
    });
    expect(r.status, r.err).toBe(0);
    const plan = JSON.parse(r.out) as { type: string; features: unknown[] };
    expect(plan.type).toBe('FeatureCollection');
    expect(plan.features.length).toBeGreaterThan(1);
  });

  it('runs from dist while it is fresh, and from source once a file it was built from changed', () => {
    const manifest = path.join(outdir, 'inputs.json');
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { builtAt: number; inputs: string[] };
    expect(m.inputs).toContain('cli/main.ts');
    expect(m.inputs).toContain('edge/gateway.ts');
    // others edit the tree meanwhile: a build dated tomorrow is fresh whatever they saved
    fs.writeFileSync(manifest, JSON.stringify({ ...m, builtAt: Date.now() + 86_400_000 }));
    expect(ruongso(['--version']).err).toMatch(/^ruongso: from dist/);
    fs.writeFileSync(manifest, JSON.stringify({ ...m, builtAt: 0 }));
    const stale = ruongso(['--version']);
    expect(stale.status).toBe(0);
    expect(stale.err).toMatch(/^ruongso: from source: \S+ changed since the build \(run npm run build\)$/m);
    expect(ruongso(['--version'], { RUONGSO_FROM: 'dist' }).err).toMatch(/^ruongso: from dist/);
    fs.rmSync(manifest);
    expect(ruongso(['--version']).err).toMatch(/^ruongso: from source: there is no built distribution/);
    const forced = ruongso(['--version'], { RUONGSO_FROM: 'dist' });
    expect(forced.status).toBe(1);
    expect(forced.err).toMatch(/RUONGSO_FROM=dist but there is no built distribution/);
  });
});
