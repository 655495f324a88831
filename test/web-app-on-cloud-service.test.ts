import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { CloudService } from '../cloud/server.js';
import { loadConfig } from '../cloud/config.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';
import { freePort } from '../lib/ports.js';
import { GatewayConfig, topics } from '../protocol/index.js';
import { fixture } from '../protocol/fixtures/index.js';
import { initialConfigZones } from './support/web-chain.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the web app on the cloud service (embedded Aedes, SQLite registry)', () => {
  it("prints demo logins, provisions a gateway the broker accepts, delivers a farmer's config to it, shows its ack and its telemetry's seq figures", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rs-webapp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({
      DATA_DIR: dir,
      PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      RUONGSO_MODE: 'demo',
    });
    const registry = createSqliteRegistry(path.join(dir, 'registry.sqlite'));
    await registry.init();
    await registry.upsertUnit({ id: 'dai-an-2', parentId: null, level: 'commune', name: 'Đại Ân 2' }, 'test');
    await registry.upsertCooperative({ id: 'htx-dai-an', name: 'HTX Đại Ân', unitId: 'dai-an-2' }, 'test');
    await registry.upsertFarm(
      { id: 'farm-1', name: 'Ruộng ông Ba', owner: null, unitId: 'dai-an-2', cooperativeId: 'htx-dai-an', areaHa: 2 },
      'test',
    );
    const svc = new CloudService({ config, registry, webApp: { tileUrl: '' } });
    await svc.start();
    cleanups.push(() => svc.stop());
    expect(svc.demoLogins).toMatch(/DEMO farmer +nongdan/);
    const base = `http://127.0.0.1:${svc.port}`;
    const login = async (u: string) => {
      const r = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: u, password: DEMO_PASSWORD }),
      });
      return { authorization: `Bearer ${((await r.json()) as { token: string }).token}` };
    };
    const tech = await login('kythuat');
    const prov = await fetch(`${base}/api/v1/provision/gateways`, {
      method: 'POST',
      headers: { ...tech, 'content-type': 'application/json' },
      body: JSON.stringify({ gatewayId: 'gw-prov-1', farmId: 'farm-1' }),
    });
    expect(prov.status).toBe(201);
    const cred = (await prov.json()) as { username: string; password: string };

    // the gateway logs in with the credentials it was given once and receives the farmer's config
    const gw = await mqtt.connectAsync(svc.brokerUrl, {
      clientId: 'gw-prov-1',
      username: cred.username,
      password: cred.password,
      reconnectPeriod: 0,
    });
    cleanups.push(() => gw.endAsync(true));
    const received: GatewayConfig[] = [];
    gw.on('message', (topic, payload) => {
      if (topic === topics.config('gw-prov-1') && payload.length > 0)
        received.push(GatewayConfig.parse(JSON.parse(payload.toString())));
    });
    await gw.subscribeAsync(topics.config('gw-prov-1'), { qos: 1 });

    const farmer = await login('nongdan');
    const put = await fetch(`${base}/api/v1/gateways/gw-prov-1/config`, {
      method: 'PUT',
      headers: { ...farmer, 'content-type': 'application/json' },
      body: JSON.stringify({ zones: initialConfigZones() }),
    });
    expect(put.status).toBe(202);
    const cfg = await until('the config at the gateway', () => received[0]);
    expect(cfg).toMatchObject({ version: 1, issuedBy: 'nongdan' });
    const view = (await (await fetch(`${base}/api/v1/gateways/gw-prov-1/config`, { headers: farmer })).json()) as {
      desired: { status: string };
    };
    expect(view.desired.status).toBe('pending');
    // the gateway's ack comes back through the broker: applied
    await gw.publishAsync(
      topics.configAck('gw-prov-1'),
      JSON.stringify({ version: 1, status: 'applied', ts: Date.now() }),
      { qos: 1 },
    );
    await until('the config to show applied', async () => {
      const r = (await (await fetch(`${base}/api/v1/gateways/gw-prov-1/config`, { headers: farmer })).json()) as {
        appliedVersion: number | null;
      };
      return r.appliedVersion === 1;
    });
    // the gateway's telemetry is counted by the ingest's seq tracker, which the control API shows
    const telemetry = fixture<{ bootId: string; seq: number }>('telemetry');
    await gw.publishAsync(topics.telemetry('gw-prov-1'), JSON.stringify({ ...telemetry, ts: Date.now() }), { qos: 1 });
    const boots = await until('the seq figures of the boot', async () => {
      const r = (await (await fetch(`${base}/api/v1/gateways/gw-prov-1/seq`, { headers: farmer })).json()) as {
        boots: Array<{ bootId: string; received: number }>;
      };
      return r.boots.length ? r.boots : undefined;
    });
    expect(boots).toMatchObject([{ bootId: telemetry.bootId, received: 1 }]);
    const officer = await login('canbo');
    expect((await fetch(`${base}/api/v1/gateways/gw-prov-1/config`, { headers: officer })).status).toBe(403);
    const page = await fetch(`${base}/`);
    expect(page.status === 200 || page.status === 503).toBe(true);
  }, 90_000);
});
