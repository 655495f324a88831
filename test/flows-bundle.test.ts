import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fixture } from '../protocol/fixtures/index.js';
// @ts-expect-error plain ESM build script without types
import { bundle } from '../flows/nodes/build.mjs';

describe('the generated Node-RED bundle', () => {
  it('is what build.mjs makes from protocol/ and flows/nodes/src/ now, and is not committed', async () => {
    const built = readFileSync(new URL('../flows/nodes/lib/ruongso.cjs', import.meta.url), 'utf8');
    expect(built === (await bundle())).toBe(true);
    const tracked = execFileSync('git', ['ls-files', 'flows/nodes/lib'], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
    });
    expect(tracked).toBe('');
  });

  it('declares in the package every npm module the bundle and the node files require', () => {
    const pkg = JSON.parse(readFileSync(new URL('../flows/nodes/package.json', import.meta.url), 'utf8'));
    const sources = ['lib/ruongso.cjs', 'broker.js', 'gateway-in.js', 'gateway-out.js', 'notify.js', 'neighbours.js']
      .map((f) => readFileSync(new URL(`../flows/nodes/${f}`, import.meta.url), 'utf8'))
      .join('\n');
    const required = new Set(
      [...sources.matchAll(/require\("([^".][^"]*)"\)|require\('([^'.][^']*)'\)/g)].map((m) => m[1] ?? m[2]),
    );
    const external = [...required].filter((m) => !m!.startsWith('node:'));
    expect(external.sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });

  it('runs under require as Node-RED loads it: contract, geometry and texts work from the CommonJS bundle', () => {
    const R = createRequire(import.meta.url)('../flows/nodes/lib/ruongso.cjs');
    const mission = fixture<{ field: unknown }>('mission-approved');
    expect(R.distanceToField(mission.field, 105.7876, 10.0312)).toBeGreaterThan(400);
    expect(R.topics.config('gw-1')).toBe('ruongso/v1/gw/gw-1/config');
    expect(R.decodePayload(R.topics.event('gw-1'), JSON.stringify(fixture('event-interlock'))).ok).toBe(true);
    expect(R.numVi(3.4)).toBe('3,4');
  });
});
