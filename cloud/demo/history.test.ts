import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteTelemetryStore } from '../telemetry/sqlite-store.js';
import { farmTelemetry, seedDemoTelemetry, TELEMETRY_DAYS } from './history.js';
import { DEMO_FARMS } from './seed.js';

const NOW = Date.UTC(2026, 11, 1, 5, 0);
const DAY = 86_400_000;

describe('demo telemetry history', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('cycles an AWD paddy between the re-flood level and +5 cm with the valve open while it floods', () => {
    const pts = farmTelemetry('gw-x', NOW - 30 * DAY, NOW, false);
    const level = pts.filter((p) => p.metric === 'water_level').map((p) => p.value!);
    const valve = pts.filter((p) => p.metric === 'valve_open').map((p) => p.value!);
    expect(Math.min(...level)).toBeGreaterThanOrEqual(-16.5);
    expect(Math.max(...level)).toBeLessThanOrEqual(8);
    // several refills in a month, each a run of open buckets
    const opens = valve.filter((v, i) => v === 1 && valve[i - 1] === 0).length;
    expect(opens).toBeGreaterThanOrEqual(2);
    expect(pts.every((p) => p.ts <= NOW && p.ts >= NOW - 30 * DAY - 30 * 60_000)).toBe(true);
  });

  it("seeds a season of every demo farm into the store once, so the farmer's charts have data on first start", async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rs-demo-tel-'));
    const store = new SqliteTelemetryStore({ file: path.join(dir, 'tel.db') });
    await store.init();
    const first = await seedDemoTelemetry(store, { now: NOW });
    expect(first.created).toBe(true);
    const gw = DEMO_FARMS[0].gatewayId;
    const series = await store.query({
      gatewayId: gw,
      from: NOW - TELEMETRY_DAYS * DAY,
      to: NOW,
      everyMs: 6 * 3_600_000,
    });
    const metrics = new Set(series.map((s) => s.metric));
    expect([...metrics].sort()).toEqual(['salinity', 'soil_moisture', 'valve_open', 'water_level']);
    const wl = series.find((s) => s.metric === 'water_level')!;
    expect(wl.points.length).toBeGreaterThan(TELEMETRY_DAYS * 4 - 2);
    expect((await seedDemoTelemetry(store, { now: NOW })).created).toBe(false);
    await store.close();
  });
});
