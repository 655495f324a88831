import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxTelemetryStore } from '../cloud/telemetry/influx/influx-store.js';
import { createTelemetryStore } from '../cloud/telemetry/index.js';
import { telemetryStoreContract } from './support/store-contract.js';
import { services } from './support/services.js';
import { startInflux, type InfluxServer } from './support/influx.js';

const ok = await services.influxd();

describe.skipIf(!ok)('InfluxDB 1.6.7 telemetry store', () => {
  let influx: InfluxServer;
  beforeAll(async () => {
    influx = await startInflux();
  });
  afterAll(async () => {
    await influx?.destroy();
  });

  telemetryStoreContract('InfluxDB 1.6.7 (real server)', async () => {
    const store = createTelemetryStore(
      {
        INFLUX_URL: influx.url,
        INFLUX_API: 'auto',
        INFLUX_DB: `contract_${randomBytes(3).toString('hex')}`,
        INFLUX_BUCKET: 'x',
      },
      { dataDir: '/nonexistent' },
    );
    await store.init();
    return { store, dispose: () => store.close() };
  });

  it('detects the 1.x API from /ping and creates the database', async () => {
    const db = `detect_${randomBytes(3).toString('hex')}`;
    const store = new InfluxTelemetryStore({ url: influx.url, db });
    await store.init();
    expect(store.api).toBe('v1');
    const res = (await influx.query('', 'SHOW DATABASES')) as {
      results: Array<{ series: Array<{ values: string[][] }> }>;
    };
    expect(res.results[0]!.series[0]!.values.flat()).toContain(db);
    expect((await store.health()).ok).toBe(true);
  });

  it('stores the good lines of a partial write, reports the bad one and does not retry', async () => {
    const db = `partial_${randomBytes(3).toString('hex')}`;
    const store = new InfluxTelemetryStore({ url: influx.url, db });
    await store.init();
    const T = 1_764_288_000_000;
    await store.write([
      { gatewayId: 'gw1', sensor: 's1', metric: 'soil_moisture', value: 1, unit: '%VWC', ts: T, quality: 'good' },
    ]);
    // the same field as a string on a float field: InfluxDB 1.x answers 400 "partial write"
    await fetch(`${influx.url}/write?db=${db}&precision=ms`, {
      method: 'POST',
      body: `reading,gateway=gw1,metric=soil_moisture,sensor=s2 value=2 ${T}`,
    });
    const bad = [`reading,gateway=gw1,metric=soil_moisture,sensor=s3 value="oops" ${T}`];
    const res = await (
      store as unknown as { d: { writeLines(b: string): Promise<{ rejectedDetail?: string }> } }
    ).d.writeLines([`reading,gateway=gw1,metric=soil_moisture,sensor=s4 value=4 ${T}`, ...bad].join('\n'));
    expect(res.rejectedDetail).toMatch(/partial write|field type conflict/);
    const latest = await store.latest('gw1');
    expect(latest.map((l) => l.sensor)).toEqual(['s1', 's2', 's4']);
  });

  it('fails a write with STORE_UNAVAILABLE after bounded retries while InfluxDB is down', async () => {
    const store = new InfluxTelemetryStore({
      url: influx.url,
      db: 'down',
      retry: { maxRetries: 2, minDelayMs: 10, maxDelayMs: 20, maxTotalMs: 1000 },
    });
    await store.init();
    await influx.stop();
    try {
      await expect(
        store.write([
          {
            gatewayId: 'gw1',
            sensor: 's1',
            metric: 'soil_moisture',
            value: 1,
            unit: '%VWC',
            ts: 1_764_288_000_000,
            quality: 'good',
          },
        ]),
      ).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect((await store.health()).ok).toBe(false);
    } finally {
      await influx.start();
    }
  });
});
