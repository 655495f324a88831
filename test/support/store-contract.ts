import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredReading, TelemetryStore } from '../../cloud/telemetry/store.js';

/**
 * The one test suite every telemetry store adapter passes (SQLite in unit tests, InfluxDB 1.6.7
 * in integration tests). `factory` returns a ready (init()ed) store and how to dispose of it.
 */
export function telemetryStoreContract(
  name: string,
  factory: () => Promise<{ store: TelemetryStore; dispose: () => Promise<void> }>,
): void {
  describe(`telemetry store contract: ${name}`, () => {
    let store: TelemetryStore;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ store, dispose } = await factory());
    });
    afterAll(async () => {
      await dispose?.();
    });

    // a whole minute, so buckets of 60 s start exactly here
    const T0 = 1_764_288_000_000;
    const gw = () => `gw-${randomBytes(4).toString('hex')}`;
    const reading = (
      gatewayId: string,
      sensor: string,
      metric: string,
      ts: number,
      value: number | null,
      extra: Partial<StoredReading> = {},
    ): StoredReading => ({
      gatewayId,
      sensor,
      metric,
      ts,
      value,
      unit: metric === 'water_level' ? 'cm' : '%VWC',
      quality: 'good',
      ...extra,
    });

    it('reports itself healthy', async () => {
      const h = await store.health();
      expect(h.ok).toBe(true);
      expect(h.kind).toBe(store.kind);
    });

    it('accepts an empty batch', async () => {
      expect((await store.write([])).written).toBe(0);
    });

    it('returns raw points of one gateway in time order, other gateways left out', async () => {
      const [a, b] = [gw(), gw()];
      await store.write([
        reading(a, 'wl1', 'water_level', T0 + 2000, -3),
        reading(a, 'wl1', 'water_level', T0 + 1000, -4.5),
        reading(b, 'wl1', 'water_level', T0 + 1000, 9),
      ]);
      const series = await store.query({ gatewayId: a, from: T0, to: T0 + 60_000 });
      expect(series).toHaveLength(1);
      expect(series[0]).toMatchObject({ gatewayId: a, sensor: 'wl1', metric: 'water_level', unit: 'cm' });
      expect(series[0]!.points).toEqual([
        { ts: T0 + 1000, mean: -4.5, min: -4.5, max: -4.5, count: 1 },
        { ts: T0 + 2000, mean: -3, min: -3, max: -3, count: 1 },
      ]);
    });

    it('overwrites a point written again with the same identity instead of doubling it', async () => {
      const g = gw();
      await store.write([reading(g, 'wl1', 'water_level', T0, -1)]);
      const res = await store.write([
        reading(g, 'wl1', 'water_level', T0, -2),
        reading(g, 'wl1', 'water_level', T0, -2),
      ]);
      expect(res.rejected).toBe(0);
      const [s] = await store.query({ gatewayId: g, from: T0, to: T0 + 1, everyMs: 60_000 });
      expect(s!.points).toEqual([{ ts: T0, mean: -2, min: -2, max: -2, count: 1 }]);
    });

    it('aggregates per interval into mean, min, max and count, buckets aligned to the epoch, empty ones left out', async () => {
      const g = gw();
      const pts = [10, 20, 30]
        .map((v, i) => reading(g, 's1', 'soil_moisture', T0 + 5_000 + i * 10_000, v))
        .concat([reading(g, 's1', 'soil_moisture', T0 + 180_000 + 1, 50)]);
      await store.write(pts);
      const [s] = await store.query({ gatewayId: g, from: T0, to: T0 + 240_000, everyMs: 60_000 });
      expect(s!.points).toHaveLength(2);
      expect(s!.points[0]).toMatchObject({ ts: T0, min: 10, max: 30, count: 3 });
      expect(s!.points[0]!.mean).toBeCloseTo(20, 9);
      expect(s!.points[1]).toEqual({ ts: T0 + 180_000, mean: 50, min: 50, max: 50, count: 1 });
    });

    it('includes from and excludes to', async () => {
      const g = gw();
      await store.write([
        reading(g, 'wl1', 'water_level', T0 - 1, 1),
        reading(g, 'wl1', 'water_level', T0, 2),
        reading(g, 'wl1', 'water_level', T0 + 10_000, 3),
      ]);
      const [s] = await store.query({ gatewayId: g, from: T0, to: T0 + 10_000 });
      expect(s!.points.map((p) => p.mean)).toEqual([2]);
    });

    it('filters by metric and by sensor', async () => {
      const g = gw();
      await store.write([
        reading(g, 'wl1', 'water_level', T0, 1),
        reading(g, 'wl2', 'water_level', T0, 2),
        reading(g, 'soil1', 'soil_moisture', T0, 40),
      ]);
      const byMetric = await store.query({ gatewayId: g, metric: 'water_level', from: T0, to: T0 + 1000 });
      expect(byMetric.map((s) => s.sensor).sort()).toEqual(['wl1', 'wl2']);
      const bySensor = await store.query({ gatewayId: g, sensor: 'wl2', from: T0, to: T0 + 1000, everyMs: 1000 });
      expect(bySensor).toHaveLength(1);
      expect(bySensor[0]!.points[0]!.mean).toBe(2);
      expect(await store.query({ gatewayId: g, metric: 'salinity', from: T0, to: T0 + 1000 })).toEqual([]);
    });

    it("stores 'bad' readings with their quality, shows them in latest and leaves them out of aggregates", async () => {
      const g = gw();
      await store.write([
        reading(g, 'wl1', 'water_level', T0, -5),
        reading(g, 'wl1', 'water_level', T0 + 1000, null, { quality: 'bad', fault: 'timeout' }),
        reading(g, 'wl1', 'water_level', T0 + 2000, 999, { quality: 'bad', fault: 'out_of_range' }),
      ]);
      const [s] = await store.query({ gatewayId: g, from: T0, to: T0 + 60_000, everyMs: 60_000 });
      expect(s!.points).toEqual([{ ts: T0, mean: -5, min: -5, max: -5, count: 1 }]);
      const latest = await store.latest(g);
      // the fault kind travels with it, so /latest can say why the value is bad
      expect(latest).toEqual([
        {
          gatewayId: g,
          sensor: 'wl1',
          metric: 'water_level',
          unit: 'cm',
          value: 999,
          quality: 'bad',
          ts: T0 + 2000,
          fault: 'out_of_range',
        },
      ]);
    });

    it('gives the latest value per sensor and metric of a gateway', async () => {
      const g = gw();
      await store.write([
        reading(g, 'wl1', 'water_level', T0 + 5000, -7),
        reading(g, 'wl1', 'water_level', T0, -9),
        reading(g, 'soil1', 'soil_moisture', T0, 33),
      ]);
      const latest = await store.latest(g);
      expect(latest).toEqual([
        { gatewayId: g, sensor: 'soil1', metric: 'soil_moisture', unit: '%VWC', value: 33, quality: 'good', ts: T0 },
        { gatewayId: g, sensor: 'wl1', metric: 'water_level', unit: 'cm', value: -7, quality: 'good', ts: T0 + 5000 },
      ]);
      expect(await store.latest(gw())).toEqual([]);
    });

    it('stores a large batch completely', async () => {
      const g = gw();
      const pts = Array.from({ length: 12_000 }, (_, i) =>
        reading(g, `s${i % 40}`, 'soil_moisture', T0 + Math.floor(i / 40) * 1000, i % 100),
      );
      expect((await store.write(pts)).written).toBe(12_000);
      const series = await store.query({ gatewayId: g, from: T0, to: T0 + 3_600_000, everyMs: 3_600_000 });
      expect(series).toHaveLength(40);
      expect(series.reduce((n, s) => n + s.points[0]!.count, 0)).toBe(12_000);
    });
  });
}
