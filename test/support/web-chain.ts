import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { freePort } from '../../lib/ports.js';
import type { z } from 'zod';
import { topics, type GatewayConfig, type Inventory } from '../../protocol/index.js';
import { Uplink } from '../../edge/uplink/index.js';
import { buildMemoryApp } from '../../cloud/auth/testing.js';
import { uiPlugin, UI_DIST } from '../../cloud/ui/plugin.js';
import { bridgeControlToMqtt, mqttPublisher } from '../../cloud/routes/control/mqtt-bridge.js';
import type { FarmInfo } from '../../cloud/auth/types.js';
import type { FastifyInstance } from 'fastify';

/** Builds the web app once if cloud/ui/dist is missing (npm install does it via `prepare`). */
export function ensureUiBuilt(): void {
  if (existsSync(path.join(UI_DIST, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}

export const GATEWAY_INVENTORY: z.infer<typeof Inventory> = {
  sensors: [{ sensor: 'wl1', metric: 'water_level', unit: 'cm' }, { sensor: 'sal1', metric: 'salinity', unit: 'ppt' }],
  valves: [{ valve: 'v1', kind: 'intake' }, { valve: 'p1', kind: 'pump' }],
};

export function initialConfigZones(): GatewayConfig['zones'] {
  return [{
    id: 'z1', name: 'Ruộng 1', mode: 'awd', valves: ['v1'], intakeValve: 'v1', pump: 'p1',
    sensors: { waterLevel: { sensor: 'wl1', metric: 'water_level' }, intakeSalinity: { sensor: 'sal1', metric: 'salinity' } },
    awd: { refloodCm: -15, targetCm: 5, keepFlooded: [] }, salinityLimitPpt: 2, maxRunMinutes: 120, staleAfterSeconds: 300,
  }];
}

/**
 * The chain the browser tests drive: the web app and API (memory stores) on a free port, a
 * cloud MQTT client on the real Mosquitto feeding the control service, and a gateway speaking
 * through the real edge uplink (disk queue, birth/will, config and command acks). The gateway's
 * control loop is not wired: it applies a config whose valves it has and rejects others.
 */
export async function startWebChain(mqttUrl = 'mqtt://127.0.0.1:1883') {
  ensureUiBuilt();
  const suffix = randomBytes(4).toString('hex');
  const gw = `gw-web-${suffix}`;
  const farms: FarmInfo[] = [
    { id: `farm-a-${suffix}`, name: 'Ruộng ông Ba', commune: 'Đại Ân 2', cooperativeId: 'htx-dai-an', gatewayIds: [gw] },
    { id: `farm-b-${suffix}`, name: 'Ruộng bà Tư', commune: 'Lịch Hội Thượng', cooperativeId: 'htx-lich-hoi', gatewayIds: [`gw-other-${suffix}`] },
  ];
  const cloudClient: MqttClient = await mqtt.connectAsync(mqttUrl, { clientId: `cloud-web-${suffix}`, clean: true });
  let app: FastifyInstance | undefined;
  const built = await buildMemoryApp({
    farms, publish: mqttPublisher(cloudClient),
    extend: async (a) => { app = a; await a.register(uiPlugin, { tileUrl: '' }); },
  });
  const unbridge = await bridgeControlToMqtt(cloudClient, built.control);
  const port = await freePort();
  await built.app.listen({ port, host: '127.0.0.1' });

  const dataDir = mkdtempSync(path.join(tmpdir(), 'rs-gw-'));
  const uplink = new Uplink({ gatewayId: gw, url: mqttUrl, dataDir, fw: 'web-test', inventory: GATEWAY_INVENTORY, batch: { maxReadings: 50, maxDelayMs: 100 } });
  const valves = new Set(GATEWAY_INVENTORY.valves.map((v) => v.valve));
  const applied: GatewayConfig[] = [];
  uplink.onConfig((cfg) => {
    const missing = cfg.zones.flatMap((z) => z.valves).filter((v) => !valves.has(v));
    if (missing.length) return { status: 'rejected', reasons: missing.map((v) => `valve "${v}" does not exist on this gateway`) };
    applied.push(cfg);
    return { status: 'applied' };
  });
  uplink.onCommand(() => ({ status: 'done' }));
  uplink.start();

  return {
    ...built, app: app!, gw, farms, url: `http://127.0.0.1:${port}`, uplink, applied, cloudClient,
    async stop() {
      await uplink.stop().catch(() => undefined);
      // the retained config must not outlive the test on the shared broker
      await cloudClient.publishAsync(topics.config(gw), '', { qos: 1, retain: true }).catch(() => undefined);
      await cloudClient.publishAsync(topics.state(gw), '', { qos: 1, retain: true }).catch(() => undefined);
      await unbridge().catch(() => undefined);
      await cloudClient.endAsync().catch(() => undefined);
      await built.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
