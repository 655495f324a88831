import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../cloud/config.js';
import { seedDemoDistrict } from '../cloud/demo/seed.js';
import { routeFromGeoJson } from '../cloud/missions/export-geojson.js';
import { CloudService } from '../cloud/server.js';
import { freePort } from '../lib/ports.js';
import { flyMission } from '../simulators/drone/fly.js';
import { startBrowser } from './support/browser.js';
import { services } from './support/services.js';
import { until } from './support/wait.js';

/**
 * The full cloud (web app, embedded broker, SQLite): a mission approved through the API is flown
 * by the simulated drone over MQTT; in the browser the technician marks it flown by that drone,
 * verifies it and reads the as-applied report and map; a second mission planned, approved, flown
 * and verified through the API shows each step in the open list without a refresh.
 */
const ok = await services.chromium();
const droneId = `drone-${randomBytes(3).toString('hex')}`;
const dronePassword = randomBytes(12).toString('hex');

describe.skipIf(!ok)('browser: a technician verifies a flown mission', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-verify-'));
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sees the share within ±20 % of the target rate and the grid on the map', async () => {
    const config = loadConfig(
      {},
      { PORT: await freePort(), MQTT_PORT: await freePort(), HOST: '127.0.0.1', DATA_DIR: dir, RUONGSO_MODE: 'demo' },
    );
    const cloud = new CloudService({
      config,
      webApp: { tileUrl: '' },
      ingest: { flushMs: 50 },
      seed: async (r) => {
        await seedDemoDistrict(r);
      },
      brokerUsers: { drones: { [droneId]: dronePassword } },
    });
    await cloud.start();
    closers.push(() => cloud.stop());
    const base = `http://127.0.0.1:${cloud.port}`;

    const { token } = (await (
      await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'kythuat', password: 'demo-ruongso' }),
      })
    ).json()) as { token: string };
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const fields = await call('GET', '/api/v1/fields');
    const fieldId = (fields.body.fields as { id: string }[])[0]!.id;
    const mission = await call('POST', '/api/v1/missions', {
      fieldId,
      droneId: 'drone-30l',
      productId: 'tricyclazole',
    });
    expect(mission.status).toBe(201);
    const id = mission.body.id as string;
    expect((await call('POST', `/api/v1/missions/${id}/approve`, { windMps: 2, rainProbability: 0.1 })).status).toBe(
      200,
    );

    const exported = await (
      await fetch(`${base}/api/v1/missions/${id}/export.geojson`, { headers: { authorization: `Bearer ${token}` } })
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
      seed: 5,
      windMps: 2,
      gpsNoiseM: 0.1,
    });
    expect(flown.samples).toBeGreaterThan(100);
    // the as-applied log is in the store before anyone verifies
    await until(
      'the log stored',
      async () =>
        (await cloud.store.query({ gatewayId: `drone:${droneId}`, from: 0, to: Date.now() + 86_400_000 })).length > 0,
      20_000,
    );

    const browser = await startBrowser({ width: 1280, height: 900 });
    closers.push(() => browser.close());
    const { page } = browser;
    await page.goto(base);
    await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill('kythuat');
    await page.getByLabel('Mật khẩu').fill('demo-ruongso');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const row = page.getByTestId(`mission-row-${id}`);
    await row.waitFor({ timeout: 20_000 });
    // the technician records which drone flew it: verification reads that drone's log
    await page.getByLabel('Mã máy bay đã bay').fill(droneId);
    await row.getByRole('button', { name: 'Đánh dấu đã bay' }).click();
    await row.getByRole('button', { name: 'Kiểm tra sau khi bay' }).click({ timeout: 20_000 });
    const report = page.getByRole('heading', { name: 'Bản đồ và báo cáo phun thực tế' });
    await report.waitFor({ timeout: 20_000 });
    const panel = page.locator('section', { has: report }).first();
    await expect
      .poll(() => panel.textContent(), { timeout: 20_000 })
      .toMatch(/Diện tích phun đúng liều \(±20 %\)\D*\d{2},\d %/);
    await expect
      .poll(() => page.locator('.leaflet-overlay-pane path').count(), { timeout: 20_000 })
      .toBeGreaterThan(50);
    await browser.screenshot('technician-as-applied-1280');
    expect(browser.errors).toEqual([]);
    const v = await call('GET', `/api/v1/missions/${id}/verification`);
    expect(v.body.report.inTolerance).toBeGreaterThan(0.8);
    expect(v.body.layer.features.length).toBeGreaterThan(50);

    // a second mission changed elsewhere (the API, the drone): the open list follows it live over
    // the stream, well inside the 20 s fallback refresh (which only runs while the stream is down)
    const live = { timeout: 8_000 };
    const second = await call('POST', '/api/v1/missions', { fieldId, droneId: 'drone-30l', productId: 'tricyclazole' });
    expect(second.status).toBe(201);
    const id2 = second.body.id as string;
    const row2 = page.getByTestId(`mission-row-${id2}`);
    await row2.waitFor(live);
    const pill = row2.locator('.pill');
    expect(await pill.textContent()).toBe('Bản nháp');
    expect((await call('POST', `/api/v1/missions/${id2}/approve`, { windMps: 2, rainProbability: 0.1 })).status).toBe(
      200,
    );
    await expect.poll(() => pill.textContent(), live).toBe('Đã duyệt');
    const exported2 = await (
      await fetch(`${base}/api/v1/missions/${id2}/export.geojson`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    await flyMission(routeFromGeoJson(exported2), {
      droneId,
      missionId: id2,
      publisher: drone,
      speedup: 2000,
      batchSize: 50,
      seed: 6,
      windMps: 2,
      gpsNoiseM: 0.1,
    });
    await until(
      'the second log stored',
      async () =>
        (await cloud.store.query({ gatewayId: `drone:${droneId}`, sensor: id2, from: 0, to: Date.now() + 86_400_000 }))
          .length > 0,
      20_000,
    );
    expect((await call('POST', `/api/v1/missions/${id2}/fly`, { droneId })).status).toBe(200);
    await expect.poll(() => pill.textContent(), live).toBe('Đã bay');
    expect((await call('POST', `/api/v1/missions/${id2}/verify`, {})).status).toBe(200);
    await expect.poll(() => pill.textContent(), live).toBe('Đã kiểm tra');
    expect(browser.errors).toEqual([]);
  }, 120_000);
});
