import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import pg from 'pg';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CloudService } from '../cloud/server.js';
import { loadConfig } from '../cloud/config.js';
import { freePort } from '../lib/ports.js';
import { topics } from '../protocol/index.js';
import { services } from './support/services.js';
import { until } from './support/wait.js';

// The README's "Set up a district" steps, in order, on an empty PostgreSQL schema.
const ok = await services.postgres();
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const BIN = fileURLToPath(new URL('../bin/ruongso.js', import.meta.url));
const DISTRICT = fileURLToPath(new URL('../cloud/onboarding/examples/district.yaml', import.meta.url));
const ADMIN_PASSWORD = 'đồng lúa Thới Lai mùa nước nổi';

function ruongso(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe.skipIf(!ok)('onboarding a district from an empty PostgreSQL database', () => {
  const schema = `onb_${randomBytes(4).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-onboard-'));
  const env = { DATABASE_URL: `${PG_URL}?schema=${schema}`, DATA_DIR: dir };
  let cloud: CloudService | undefined;
  afterAll(async () => {
    await cloud?.stop();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the district file all-or-nothing, then a farmer watches his paddy and an officer reads his communes', async () => {
    // 1. a file with one wrong reference is refused as a whole, every problem listed, nothing written
    const broken = YAML.parse(fs.readFileSync(DISTRICT, 'utf8')) as { farms: { cooperative: string }[] };
    broken.farms[1]!.cooperative = 'htx-khong-co';
    const brokenFile = path.join(dir, 'broken.yaml');
    fs.writeFileSync(brokenFile, YAML.stringify(broken));
    const refused = await ruongso(['admin', 'load', brokenFile], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/farms\.1\.cooperative: unknown_ref/);
    expect(refused.err).toContain('ONBOARDING_INVALID');
    expect((await ruongso(['admin', 'users'], env)).out.trim()).toBe('');

    // 2. the real file: units, cooperative, farms with gateways, users; passwords printed once
    const loaded = await ruongso(['admin', 'load', DISTRICT], env);
    expect(loaded.err).toBe('');
    expect(loaded.out).toMatch(/5 units, 1 cooperatives, 2 farms, 2 gateways; users created 3/);
    const pw = (u: string) => new RegExp(`${u} +password: (\\S+)`).exec(loaded.out)![1]!;
    // loading again changes nothing and creates nobody
    expect((await ruongso(['admin', 'load', DISTRICT], env)).out).toMatch(/users created 0, updated 3/);

    // 3. the cloud, in production, on that database
    const config = loadConfig({
      ...env,
      PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ADMIN_PASSWORD,
    });
    expect(config.RUONGSO_MODE).toBe('production');
    cloud = new CloudService({ config, webApp: true, ingest: { flushMs: 50 } });
    await cloud.start();
    const base = `http://127.0.0.1:${cloud.port}`;
    const login = async (l: string, p: string) => {
      const r = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: l, password: p }),
      });
      expect([l, r.status]).toEqual([l, 200]);
      return {
        authorization: `Bearer ${((await r.json()) as { token: string }).token}`,
        'content-type': 'application/json',
      };
    };

    // 4. the technician provisions the farmer's gateway; it logs in to the broker and reports
    const tech = await login('ktv-dinhmon', pw('ktv-dinhmon'));
    const prov = await fetch(`${base}/api/v1/provision/gateways`, {
      method: 'POST',
      headers: tech,
      body: JSON.stringify({ gatewayId: 'gw-dinh-mon-01', farmId: 'farm-nguyen-van-tam' }),
    });
    expect(prov.status).toBe(201);
    const cred = (await prov.json()) as { username: string; password: string };
    const gw = await mqtt.connectAsync(cloud.brokerUrl, {
      clientId: cred.username,
      username: cred.username,
      password: cred.password,
      reconnectPeriod: 0,
    });
    const now = Date.now();
    await gw.publishAsync(
      topics.telemetry('gw-dinh-mon-01'),
      JSON.stringify({
        bootId: 'b7f3c2a1',
        seq: 1,
        ts: now,
        readings: [{ sensor: 'wl1', metric: 'water_level', value: -7.5, unit: 'cm', ts: now }],
      }),
      { qos: 1 },
    );
    await gw.endAsync();

    // 5. the farmer (by his phone, however written) sees his farm and his paddy's water level
    const farmer = await login('+84 911 000 111', pw('tam'));
    const farms = (await (await fetch(`${base}/api/v1/my/farms`, { headers: farmer })).json()) as {
      farms: { id: string }[];
    };
    expect(farms.farms.map((f) => f.id)).toEqual(['farm-nguyen-van-tam']);
    const latest = await until(
      'the water level at the farmer',
      async () => {
        const r = (await (
          await fetch(`${base}/api/v1/gateways/gw-dinh-mon-01/latest`, { headers: farmer })
        ).json()) as { latest?: { metric: string; value: number }[] };
        return r.latest?.find((l) => l.metric === 'water_level');
      },
      20_000,
    );
    expect(latest.value).toBe(-7.5);
    expect((await fetch(`${base}/api/v1/gateways/gw-truong-thang-01/latest`, { headers: farmer })).status).toBe(404);

    // 6. the officer reads the adoption report of his two communes, and no farm's controls
    const officer = await login('canbo-thoilai', pw('canbo-thoilai'));
    const report = (await (await fetch(`${base}/api/v1/reports/adoption`, { headers: officer })).json()) as {
      units: { id: string }[];
    };
    expect(report.units.map((u) => u.id)).toEqual(
      expect.arrayContaining(['vn-ct-tl-dinh-mon', 'vn-ct-tl-truong-thang', 'vn-ct-tl-dinh-mon-ap-1']),
    );
    expect(report.units.map((u) => u.id)).not.toContain('vn-ct');
    expect((await fetch(`${base}/api/v1/gateways`, { headers: officer })).status).toBe(403);

    // 7. the admin deactivates the farmer from the shell: his session ends at once
    expect((await ruongso(['admin', 'user', 'deactivate', 'tam'], env)).code).toBe(0);
    expect((await fetch(`${base}/api/v1/auth/me`, { headers: farmer })).status).toBe(401);
  }, 180_000);
});
