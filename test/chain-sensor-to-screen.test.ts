import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type CloudConfig } from '../cloud/config.js';
import { CloudService } from '../cloud/server.js';
import { provisionGateway } from '../cloud/registry/provision.js';
import { parseGatewayFile } from '../edge/config.js';
import { Gateway } from '../edge/gateway.js';
import { freePort } from '../lib/ports.js';
import { gatewayFileFor, startPaddySite, type PaddySite } from '../simulators/paddy-site.js';
import { eventually } from './cloud-chain-helpers.js';
import { startInflux, type InfluxServer } from './support/influx.js';
import { services } from './support/services.js';

/**
 * Sensor to screen, the same chain on two setups: a simulated paddy serves its sensors over
 * Modbus TCP → a gateway polls them → MQTT → the cloud validates and stores → the API shows them.
 */
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const realOk = (await services.postgres()) && (await services.mosquitto()) && (await services.influxd());

interface Setup {
  name: string;
  skip: boolean;
  config(dir: string, suffix: string): Promise<{ config: CloudConfig; influx?: InfluxServer; pgSchema?: string }>;
}

const setups: Setup[] = [
  {
    name: 'embedded defaults (Aedes, SQLite)',
    skip: false,
    config: async (dir) => ({
      config: loadConfig({}, { PORT: await freePort(), MQTT_PORT: await freePort(), HOST: '127.0.0.1', DATA_DIR: dir }),
    }),
  },
  {
    name: 'real servers (Mosquitto 1883, InfluxDB 1.6, PostgreSQL)',
    skip: !realOk,
    config: async (dir, suffix) => {
      const influx = await startInflux();
      return {
        influx,
        pgSchema: `chain_${suffix}`,
        config: loadConfig(
          {},
          {
            PORT: await freePort(),
            HOST: '127.0.0.1',
            DATA_DIR: dir,
            MQTT_URL: 'mqtt://127.0.0.1:1883',
            MQTT_SHARE_GROUP: `chain_${suffix}`,
            DATABASE_URL: PG_URL,
            INFLUX_URL: influx.url,
            INFLUX_DB: `chain_${suffix}`,
            INFLUX_API: 'v1',
          },
        ),
      };
    },
  },
];

describe.each(setups)('sensor to screen on $name', (setup) => {
  const suffix = randomBytes(3).toString('hex');
  const gatewayId = `gw-chain-${suffix}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-chain-'));
  let cloud: CloudService | undefined;
  let site: PaddySite | undefined;
  let gateway: Gateway | undefined;
  let influx: InfluxServer | undefined;
  let pgSchema: string | undefined;

  afterAll(async () => {
    await gateway?.stop();
    await site?.stop();
    await cloud?.stop();
    await influx?.destroy();
    if (pgSchema) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
      await c.end();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(setup.skip)(
    'shows the water level the sensor reports, stored where the config says',
    async () => {
      const s = await setup.config(dir, suffix);
      influx = s.influx;
      pgSchema = s.pgSchema;
      cloud = new CloudService({ config: s.config, pgSchema, instanceId: `chain-${suffix}`, ingest: { flushMs: 50 } });
      await cloud.start();
      await cloud.registry.upsertFarm(
        { id: `farm-${suffix}`, name: 'Ruộng thử', owner: null, unitId: null, cooperativeId: null, areaHa: 1 },
        'test',
      );
      const cred = await provisionGateway(cloud.registry, { id: gatewayId, farmId: `farm-${suffix}` }, 'test');

      site = await startPaddySite({ seed: 7, initialLevelCm: -6.5 });
      const raw = gatewayFileFor(site, {
        gatewayId,
        mqttUrl: cloud.brokerUrl,
        dataDir: path.join(dir, 'gw'),
        pollSeconds: 1,
      });
      // the embedded broker checks the gateway's own credentials; the system Mosquitto is anonymous
      const mqttAuth = s.config.MQTT_URL ? {} : { username: cred.username, password: cred.password };
      gateway = new Gateway(
        parseGatewayFile(
          { ...raw, telemetry: { maxReadings: 50, maxDelayMs: 200 }, mqtt: { ...raw.mqtt, ...mqttAuth } },
          'test',
          dir,
          {},
        ),
      );
      await gateway.start();

      const base = cloud.webUrl;
      const row = await eventually(async () => {
        const body = (await (await fetch(`${base}/api/v1/gateways`)).json()) as {
          gateways: {
            id: string;
            online: boolean;
            lastSeq: number | null;
            latest: { metric: string; value: number | null }[];
          }[];
        };
        const g = body.gateways.find((x) => x.id === gatewayId);
        return g?.online && g.latest.some((l) => l.metric === 'water_level') ? g : undefined;
      }, 30_000);
      const level = row.latest.find((l) => l.metric === 'water_level')!.value!;
      expect(Math.abs(level - site.field().levelCm)).toBeLessThan(1);

      const series = (await (
        await fetch(`${base}/api/v1/gateways/${gatewayId}/readings?metric=water_level&every=1m`)
      ).json()) as { series: { points: { mean: number }[] }[] };
      expect(series.series[0]!.points.length).toBeGreaterThan(0);
      const page = await (await fetch(`${base}/`)).text();
      expect(page).toContain(gatewayId);

      if (influx) {
        const res = JSON.stringify(
          await influx.query(`chain_${suffix}`, `SELECT count(*) FROM /.*/ WHERE "gateway" = '${gatewayId}'`),
        );
        expect(res).toMatch(/"values":\[\[/);
      }
      if (pgSchema) {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        try {
          const r = await c.query(`SELECT id, farm_id FROM ${pgSchema}.reg_gateways WHERE id = $1`, [gatewayId]);
          expect(r.rows).toEqual([{ id: gatewayId, farm_id: `farm-${suffix}` }]);
        } finally {
          await c.end();
        }
      }
    },
    90_000,
  );
});
