import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run bench plan -- --smoke', () => {
  it('plans every generated field and ends with one JSON line of results', async () => {
    const bench = new URL('../bench/plan.ts', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', bench, '--smoke'], { timeout: 60_000 });
    const last = stdout.trim().split('\n').at(-1)!;
    const { fields } = JSON.parse(last) as { fields: Array<Record<string, number | string>> };
    expect(fields.map((f) => f.name)).toEqual([
      'rotated-rectangle',
      'l-shape',
      'strip-30x600',
      'irregular-60-holes',
      '50ha-200-vertices-3-holes',
      'u-shape-1.3ha',
      'concave-kite-0.7ha',
      '50ha-refill-auto',
    ]);
    for (const f of fields) {
      // the 0.7 ha kite is narrower than four swaths in places: 98.9 %
      expect(f.coverage).toBeGreaterThanOrEqual(f.name === 'concave-kite-0.7ha' ? 0.985 : 0.995);
      expect(f.doubleDose).toBeLessThan(0.09);
      expect(f.ferryM).toBeGreaterThan(0);
      expect(f.overspray).toBeLessThanOrEqual(0.01);
      expect(f.ms).toBeGreaterThan(0);
      expect(f.turns).toBeGreaterThan(0);
    }
    expect(fields[0]!.pathRatio).toBeLessThanOrEqual(1.1);
    expect(fields[2]!.pathRatio).toBeLessThanOrEqual(1.1);
    // spray off over covered headland keeps the L-shape's and the 50 ha field's double dose low
    expect(fields[1]!.doubleDose).toBeLessThanOrEqual(0.03);
    expect(fields[4]!.doubleDose).toBeLessThanOrEqual(0.03);
    // a heading chosen for overlap where the fewest-passes one double-doses: the irregular field and the U
    expect(fields[3]!.doubleDose).toBeLessThanOrEqual(0.03);
    expect(fields[5]!.doubleDose).toBeLessThanOrEqual(0.03);
    expect(fields[6]!.doubleDose).toBeLessThan(0.07);
    // refill points along the boundary: the whole path with ferries within 1.20 × area/swath
    expect(fields[7]!.pathRatioWithFerries).toBeLessThanOrEqual(1.2);
  }, 90_000);
});
