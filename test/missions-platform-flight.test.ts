import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { MissionStatus, filters, topics } from '../protocol/index.js';
import { loadConfig } from '../cloud/config.js';
import { CloudService } from '../cloud/server.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';
import { loadAsApplied } from '../cloud/missions/as-applied.js';
import { routeFromGeoJson } from '../cloud/missions/export-geojson.js';
import { flyMission } from '../simulators/drone/fly.js';
import { freePort } from '../lib/ports.js';
import { eventually } from './cloud-chain-helpers.js';

/**
 * A technician plans a mission on the cloud (embedded Aedes, SQLite), approves it — neighbours
 * hear the MissionStatus on the broker — a simulated drone flies it over MQTT into the telemetry
 * store, and verification reads the log back from there.
 */
const suffix = randomBytes(3).toString('hex');
const droneId = `drone-${suffix}`;
const dronePassword = randomBytes(12).toString('hex');
const watcher = { username: `watch-${suffix}`, password: randomBytes(12).toString('hex') };
const FIELD_KML = fs.readFileSync(path.join(import.meta.dirname, '../cloud/missions/fixtures/field-holes.kml'), 'utf8');

describe('a spray mission from plan to verified on the cloud', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-msn-flight-'));
  const closers: Array<() => Promise<unknown>> = [];
  let cloud: CloudService | undefined;
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    await cloud?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plans, approves with a notice on the broker, flies over MQTT, stores the log and verifies it', async () => {
    const config = loadConfig(
      {},
      { PORT: await freePort(), MQTT_PORT: await freePort(), HOST: '127.0.0.1', DATA_DIR: dir, RUONGSO_MODE: 'demo' },
    );
    cloud = new CloudService({
      config,
      instanceId: `msn-${suffix}`,
      ingest: { flushMs: 50 },
      webApp: true,
      // the farm the technician plans on, of the cooperative the demo technician is seeded into
      seed: async (r) => {
        await r.upsertUnit({ id: 'dai-an-2', parentId: null, level: 'commune', name: 'Đại Ân 2' }, 'test');
        await r.upsertCooperative({ id: 'htx-dai-an', name: 'HTX Đại Ân', unitId: 'dai-an-2' }, 'test');
        await r.upsertFarm(
          {
            id: 'farm-dai-an-1',
            name: 'Ruộng ông Ba',
            owner: null,
            unitId: 'dai-an-2',
            cooperativeId: 'htx-dai-an',
            areaHa: 2,
          },
          'test',
        );
      },
      brokerUsers: { drones: { [droneId]: dronePassword }, cloud: { [watcher.username]: watcher.password } },
    });
    await cloud.start();

    const base = `http://127.0.0.1:${cloud.port}`;
    const login = (await (
      await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'kythuat', password: DEMO_PASSWORD }),
      })
    ).json()) as { token: string };
    const h = { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' };
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: body === undefined ? { authorization: h.authorization } : h,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };

    const field = await call('POST', '/api/v1/fields', {
      farmId: 'farm-dai-an-1',
      file: FIELD_KML,
      filename: 'thua-12.kml',
    });
    expect(field.status).toBe(201);
    const mission = await call('POST', '/api/v1/missions', {
      fieldId: field.body.id,
      droneId: 'drone-30l',
      productId: 'tricyclazole',
    });
    expect(mission.status).toBe(201);
    const id = mission.body.id as string;

    const sub: MqttClient = await mqtt.connectAsync(cloud.brokerUrl, { clientId: watcher.username, ...watcher });
    closers.push(() => sub.endAsync());
    const notices: MissionStatus[] = [];
    sub.on('message', (topic, payload) => {
      if (topic === topics.missionStatus(id)) notices.push(MissionStatus.parse(JSON.parse(payload.toString())));
    });
    await sub.subscribeAsync(filters.allMissionStatus, { qos: 1 });

    const approved = await call('POST', `/api/v1/missions/${id}/approve`, { windMps: 2, rainProbability: 0.1 });
    expect(approved.status).toBe(200);
    expect(approved.body.noticePublished).toBe(true);
    const notice = await eventually(async () => notices[0], 10_000);
    expect(notice).toMatchObject({ missionId: id, status: 'approved', farmId: 'farm-dai-an-1', by: 'kythuat' });
    expect(notice.field.coordinates[0]).toEqual(field.body.boundary.coordinates[0]);

    const exported = await (
      await fetch(`${base}/api/v1/missions/${id}/export.geojson`, { headers: { authorization: h.authorization } })
    ).json();
    const drone = await mqtt.connectAsync(cloud.brokerUrl, {
      clientId: droneId,
      username: droneId,
      password: dronePassword,
    });
    closers.push(() => drone.endAsync());
    const flown = await flyMission(routeFromGeoJson(exported), {
      droneId,
      missionId: id,
      publisher: drone,
      speedup: 2000,
      batchSize: 50,
      seed: 4,
      windMps: 2,
      gpsNoiseM: 0.1,
    });
    expect(flown.samples).toBeGreaterThan(200);

    const samples = await eventually(async () => {
      const s = await loadAsApplied(cloud!.store, {
        droneId,
        missionId: id,
        from: Date.now() - 3_600_000,
        to: Date.now() + 86_400_000,
      });
      return s.length === flown.samples ? s : undefined;
    }, 20_000);
    expect(samples[0]!.ts).toBeLessThan(samples.at(-1)!.ts);

    expect((await call('POST', `/api/v1/missions/${id}/fly`, { droneId })).body.state).toBe('flown');
    const verified = await call('POST', `/api/v1/missions/${id}/verify`, {});
    expect(verified.status).toBe(200);
    expect(verified.body.state).toBe('verified');
    expect(verified.body.verification.inTolerance).toBeGreaterThan(0.85);
    expect(verified.body.verification.samples).toBe(flown.samples);
    const layer = await call('GET', `/api/v1/missions/${id}/verification`);
    expect(layer.body.layer.features.length).toBeGreaterThan(500);
    // the mission is in the registry database, not in memory
    expect((await call('GET', `/api/v1/missions/${id}`)).body.history.map((e: { action: string }) => e.action)).toEqual(
      ['create', 'approve', 'fly', 'verify'],
    );
  }, 60_000);
});
