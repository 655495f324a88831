import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../cloud/config.js';
import { seedDemoDistrict } from '../cloud/demo/seed.js';
import { CloudService } from '../cloud/server.js';
import { freePort } from '../lib/ports.js';

describe('web sessions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-sessions-'));
  let cloud: CloudService | undefined;
  afterAll(async () => {
    await cloud?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (port: number, mqttPort: number) => {
    const config = loadConfig(
      {},
      { PORT: port, MQTT_PORT: mqttPort, HOST: '127.0.0.1', DATA_DIR: dir, RUONGSO_MODE: 'demo' },
    );
    const c = new CloudService({
      config,
      webApp: true,
      seed: async (r) => {
        await seedDemoDistrict(r);
      },
    });
    await c.start();
    return c;
  };

  it('survive a cloud restart, and logout ends them', async () => {
    const port = await freePort();
    const mqttPort = await freePort();
    cloud = await start(port, mqttPort);
    const base = `http://127.0.0.1:${port}`;
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'nongdan', password: 'demo-ruongso' }),
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const auth = { headers: { authorization: `Bearer ${token}` } };
    expect((await fetch(`${base}/api/v1/auth/me`, auth)).status).toBe(200);

    await cloud.stop();
    cloud = await start(port, mqttPort);
    const me = await fetch(`${base}/api/v1/auth/me`, auth);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe('nongdan');

    expect((await fetch(`${base}/api/v1/auth/logout`, { method: 'POST', ...auth })).status).toBeLessThan(300);
    expect((await fetch(`${base}/api/v1/auth/me`, auth)).status).toBe(401);
  }, 60_000);
});
