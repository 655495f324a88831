import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../bin/ruongso.js', import.meta.url).pathname;
const fixture = (n: string) => new URL(`../cloud/missions/fixtures/${n}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ruongso-plan-'));

async function ruongso(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// each run starts the whole CLI through tsx: seconds on a loaded machine
describe('ruongso plan', { timeout: 90_000 }, () => {
  it('plans a KML field and prints a GeoJSON plan with its metrics', async () => {
    const r = await ruongso(
      'plan',
      fixture('field-holes.kml'),
      '--swath',
      '6',
      '--rate',
      '15',
      '--tank',
      '40',
      '--flow',
      '16',
      '--speed',
      '6',
    );
    expect(r.code).toBe(0);
    const fc = JSON.parse(r.stdout);
    expect(fc.metrics.coverage).toBeGreaterThan(0.99);
    expect(fc.features.some((f: { properties: { spray: boolean } }) => f.properties.spray)).toBe(true);
    expect(r.stderr).toMatch(/ha sprayable/);
  });

  it('exits non-zero with the reason and writes nothing for a bad field or an impossible flow', async () => {
    const out = join(dir, 'bad.geojson');
    const bad = await ruongso('plan', fixture('swapped.geojson'), '--swath', '6', '--out', out);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/\[lat, lon\].*FIELD_LONLAT_SWAPPED/);
    const flow = await ruongso(
      'plan',
      fixture('field-l-canal.geojson'),
      '--swath',
      '6',
      '--rate',
      '50',
      '--flow',
      '8',
      '--out',
      out,
    );
    expect(flow.code).not.toBe(0);
    expect(flow.stderr).toMatch(/max flow of 8 L\/min.*PLAN_FLOW_EXCEEDED/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes one QGroundControl .plan per sortie', async () => {
    const r = await ruongso(
      'plan',
      fixture('field-l-canal.geojson'),
      '--swath',
      '6',
      '--tank',
      '20',
      '--flow',
      '16',
      '--format',
      'qgc',
      '--out',
      join(dir, 'l.plan'),
    );
    expect(r.code).toBe(0);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.plan'))
      .sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files[0]).toBe(`l.sortie-1-of-${files.length}-px4.plan`);
    const plan = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8'));
    expect(plan.fileType).toBe('Plan');
    expect(plan.geoFence.polygons[0].inclusion).toBe(true);
  });
});
