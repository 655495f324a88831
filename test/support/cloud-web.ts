import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudService } from '../../cloud/server.js';
import { loadConfig } from '../../cloud/config.js';
import { seedDemoDistrict } from '../../cloud/demo/seed.js';
import { freePort } from '../../lib/ports.js';

/** The whole cloud (embedded broker, SQLite, web app) on free ports with the demo district. */
export async function startCloudWeb(env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rs-cloudweb-'));
  const password = env.ADMIN_PASSWORD ?? 'kiem-thu-lua-2026';
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: String(await freePort()),
    MQTT_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RUONGSO_MODE: 'demo',
    ADMIN_PASSWORD: password,
    ...env,
  });
  const cloud = new CloudService({
    config,
    webApp: true,
    seed: async (r) => {
      await seedDemoDistrict(r);
    },
  });
  await cloud.start();
  const base = `http://127.0.0.1:${cloud.port}`;
  return {
    cloud,
    base,
    password,
    dir,
    async login(login: string, pw = password) {
      const r = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ login, password: pw }),
      });
      if (r.status !== 200) throw new Error(`login ${login}: ${r.status} ${await r.text()}`);
      const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
      return { cookie, token: ((await r.json()) as { token: string }).token };
    },
    async stop() {
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
