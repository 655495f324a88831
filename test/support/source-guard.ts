import fs from 'node:fs';
import path from 'node:path';

/**
 * What the source guards (one formatter of zod issues, one backoff) scan: every production source
 * file of the repository, tests, fixtures and generated bundles left out, as posix paths.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const DIRS = ['bin', 'cli', 'cloud', 'edge', 'flows', 'lib', 'protocol', 'simulators', 'bench'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures', 'public']);
// flows/nodes/lib holds the generated bundle of protocol/ and flows/nodes/src/
const GENERATED = new Set([path.join('flows', 'nodes', 'lib')]);
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

export function productionSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !GENERATED.has(path.relative(ROOT, p))) walk(p);
      } else if (SOURCE.test(e.name) && !TEST_FILE.test(e.name) && !e.name.endsWith('.d.ts')) {
        out.push(path.relative(ROOT, p).split(path.sep).join('/'));
      }
    }
  };
  for (const d of DIRS) if (fs.existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  return out.sort();
}

/**
 * Runs `scan` over every production file but `home` (the one place the thing may live):
 * `unexpected` are offenders not on the allow-list, `stale` allow-list entries that no longer
 * offend (the list only shrinks).
 */
export function scanProduction(
  scan: (text: string) => string[],
  o: { home: string; allowed: Record<string, string> },
): { unexpected: Record<string, string[]>; stale: string[] } {
  const offenders: Record<string, string[]> = {};
  for (const rel of productionSources()) {
    if (rel === o.home) continue;
    const hits = scan(fs.readFileSync(path.join(ROOT, rel), 'utf8'));
    if (hits.length) offenders[rel] = hits;
  }
  return {
    unexpected: Object.fromEntries(Object.entries(offenders).filter(([f]) => !(f in o.allowed))),
    stale: Object.keys(o.allowed).filter((f) => !(f in offenders)),
  };
}
