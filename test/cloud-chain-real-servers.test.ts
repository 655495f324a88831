import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../cloud/config.js';
import { CloudService } from '../cloud/server.js';
import { freePort } from '../lib/ports.js';
import { fixture } from '../protocol/fixtures/index.js';
import { topics, type GatewayState } from '../protocol/index.js';
import { eventually, telemetryNow } from './cloud-chain-helpers.js';
import { startInflux, type InfluxServer } from './support/influx.js';
import { services } from './support/services.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const ok = (await services.postgres()) && (await services.mosquitto()) && (await services.influxd());

describe.skipIf(!ok)(
  'the chain against the real servers: Mosquitto 1883, PostgreSQL registry, InfluxDB 1.x telemetry',
  () => {
    const suffix = randomBytes(3).toString('hex');
    const gatewayId = `gw-real-${suffix}`;
    const schema = `cloud_test_${suffix}`;
    const db = `ruongso_test_${suffix}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-real-'));
    let influx: InfluxServer;
    let service: CloudService;

    beforeAll(async () => {
      influx = await startInflux();
      const config = loadConfig(
        {},
        {
          PORT: await freePort(),
          HOST: '127.0.0.1',
          DATA_DIR: dir,
          MQTT_URL: 'mqtt://127.0.0.1:1883',
          // a group of its own: other suites' ingests on this broker must not take our messages
          MQTT_SHARE_GROUP: `test_${suffix}`,
          DATABASE_URL: PG_URL,
          INFLUX_URL: influx.url,
          INFLUX_DB: db,
          INFLUX_API: 'v1',
        },
      );
      service = new CloudService({ config, pgSchema: schema, instanceId: `test-${suffix}`, ingest: { flushMs: 50 } });
      await service.start();
    });
    afterAll(async () => {
      await service?.stop();
      await influx?.destroy();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('stores a telemetry message in InfluxDB, the gateway in PostgreSQL, and shows both in the API', async () => {
      expect(service.registry.kind).toBe('postgres');
      expect(service.store.kind).toBe('influx');
      const now = Date.now();
      const gw = await mqtt.connectAsync('mqtt://127.0.0.1:1883', {
        clientId: `${gatewayId}-edge`,
        reconnectPeriod: 0,
      });
      try {
        await gw.publishAsync(
          topics.state(gatewayId),
          JSON.stringify({ ...fixture<GatewayState>('state-birth'), ts: now }),
          { qos: 1 },
        );
        await gw.publishAsync(topics.telemetry(gatewayId), JSON.stringify(telemetryNow(now)), { qos: 1 });
      } finally {
        await gw.endAsync();
      }

      const base = service.webUrl;
      const listed = await eventually(async () => {
        const body = (await (await fetch(`${base}/api/v1/gateways`)).json()) as {
          gateways: { id: string; online: boolean; lastSeq: number | null; latest: unknown[] | null }[];
        };
        const g = body.gateways.find((x) => x.id === gatewayId);
        // readings are stored before the registry hears of the message: wait for both
        return g?.online && g.latest?.length && g.lastSeq === 42 ? g : undefined;
      });
      expect(listed).toMatchObject({ lastSeq: 42, bootId: 'b7f3c2a1', fw: 'ruongso-edge/0.1.0' });
      const readings = (await (await fetch(`${base}/api/v1/gateways/${gatewayId}/readings?sensor=sal1`)).json()) as {
        series: { metric: string; points: { mean: number }[] }[];
      };
      expect(readings.series).toEqual([
        expect.objectContaining({ metric: 'salinity', points: [expect.objectContaining({ mean: 1.4 })] }),
      ]);

      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        const rows = await c.query(`SELECT id, online, last_seq, boot_id FROM ${schema}.reg_gateways WHERE id = $1`, [
          gatewayId,
        ]);
        expect(rows.rows).toEqual([{ id: gatewayId, online: 1, last_seq: '42', boot_id: 'b7f3c2a1' }]);
      } finally {
        await c.end();
      }

      const res = (await influx.query(db, `SELECT count(*) FROM /.*/ WHERE "gateway" = '${gatewayId}'`)) as {
        results: { series?: { values: unknown[][] }[] }[];
      };
      expect(JSON.stringify(res)).not.toBe('{"results":[{"statement_id":0}]}');
      const counts = res.results[0]?.series?.[0]?.values[0]?.slice(1).filter((v) => typeof v === 'number') as number[];
      expect(Math.max(...counts)).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    });
  },
);
