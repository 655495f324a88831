import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../cloud/config.js';
import { provisionGateway } from '../cloud/registry/provision.js';
import { CloudService } from '../cloud/server.js';
import { freePort } from '../lib/ports.js';
import { fixture } from '../protocol/fixtures/index.js';
import { topics, type GatewayState } from '../protocol/index.js';
import { eventually, telemetryNow } from './cloud-chain-helpers.js';

describe('the chain on embedded defaults: Aedes with gateway credentials, SQLite registry and telemetry', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-chain-'));
  const gatewayId = `gw-emb-${randomBytes(3).toString('hex')}`;
  let service: CloudService | undefined;
  afterAll(async () => {
    await service?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("takes a gateway's birth and telemetry to the API and the page, and keeps them across a restart", async () => {
    const config = loadConfig(
      {},
      { PORT: await freePort(), MQTT_PORT: await freePort(), DATA_DIR: dir, HOST: '127.0.0.1' },
    );
    service = new CloudService({ config, instanceId: `test-${gatewayId}`, ingest: { flushMs: 50 } });
    await service.start();
    const creds = await provisionGateway(service.registry, { id: gatewayId, name: 'Cống thử' }, 'test');

    const now = Date.now();
    const gw = await mqtt.connectAsync(service.brokerUrl, {
      clientId: gatewayId,
      username: creds.username,
      password: creds.password,
      reconnectPeriod: 0,
    });
    try {
      await gw.publishAsync(
        topics.state(gatewayId),
        JSON.stringify({ ...fixture<GatewayState>('state-birth'), ts: now }),
        { qos: 1, retain: true },
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
    expect(listed).toMatchObject({ name: 'Cống thử', lastSeq: 42, bootId: 'b7f3c2a1' });
    const readings = (await (
      await fetch(`${base}/api/v1/gateways/${gatewayId}/readings?metric=water_level`)
    ).json()) as { series: { sensor: string; points: { mean: number }[] }[] };
    expect(readings.series.find((s) => s.sensor === 'wl1')?.points[0]?.mean).toBe(-12.4);
    expect(await (await fetch(`${base}/`)).text()).toContain('Cống thử');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    await service.stop();
    service = new CloudService({ config, instanceId: `test-${gatewayId}` });
    await service.start();
    const again = (await (await fetch(`${service.webUrl}/api/v1/gateways/${gatewayId}`)).json()) as {
      lastSeq: number;
      latest: unknown[];
    };
    expect(again.lastSeq).toBe(42);
    expect(again.latest.length).toBe(5);
  });

  it('refuses to start on a taken HTTP port with a line naming PORT', async () => {
    const holder = (await import('node:net')).createServer();
    const port = await freePort();
    await new Promise<void>((r) => holder.listen(port, '127.0.0.1', () => r()));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-chain-'));
    try {
      const s = new CloudService({
        config: loadConfig({}, { PORT: port, MQTT_PORT: await freePort(), DATA_DIR: other, HOST: '127.0.0.1' }),
        instanceId: `test-port-${gatewayId}`,
      });
      await expect(s.start()).rejects.toThrow(`PORT ${port} is already in use — set PORT to a free port`);
    } finally {
      holder.close();
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
