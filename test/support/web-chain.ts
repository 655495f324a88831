import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { freePort } from '../../lib/ports.js';
import { topics, type GatewayConfig } from '../../protocol/index.js';
import { Gateway } from '../../edge/gateway.js';
import { parseGatewayFile } from '../../edge/config.js';
import { gatewayFileFor, startPaddySite } from '../../simulators/paddy-site.js';
import { buildMemoryApp } from './memory-app.js';
import { uiPlugin, UI_DIST } from '../../cloud/ui/plugin.js';
import { bridgeControlToMqtt, mqttPublisher } from '../../cloud/control/mqtt-bridge.js';
import type { FarmInfo } from '../../cloud/auth/types.js';
import type { FastifyInstance } from 'fastify';

/** Builds the web app once if cloud/ui/dist is missing (npm install does it via `prepare`). */
export function ensureUiBuilt(): void {
  if (existsSync(path.join(UI_DIST, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}

/** The zones of the simulated paddy site (same ids and hardware as its gateway file). */
export function initialConfigZones(): GatewayConfig['zones'] {
  return [
    {
      id: 'z1',
      name: 'Ruộng 1',
      mode: 'awd',
      valves: ['v1'],
      intakeValve: 'v1',
      pump: 'p1',
      sensors: {
        waterLevel: { sensor: 'wl1', metric: 'water_level' },
        intakeSalinity: { sensor: 'sal1', metric: 'salinity' },
      },
      awd: { refloodCm: -15, targetCm: 5, keepFlooded: [] },
      salinityLimitPpt: 2,
      maxRunMinutes: 120,
      staleAfterSeconds: 300,
    },
  ];
}

/**
 * The chain the browser tests drive: the web app and API (memory stores) on a free port, a
 * cloud MQTT client on the real Mosquitto feeding the control service, and a real gateway
 * process on a simulated paddy over Modbus TCP, talking to the cloud through that Mosquitto.
 */
export async function startWebChain(mqttUrl = 'mqtt://127.0.0.1:1883') {
  ensureUiBuilt();
  const suffix = randomBytes(4).toString('hex');
  const gw = `gw-web-${suffix}`;
  const farms: FarmInfo[] = [
    {
      id: `farm-a-${suffix}`,
      name: 'Ruộng ông Ba',
      commune: 'Đại Ân 2',
      cooperativeId: 'htx-dai-an',
      gatewayIds: [gw],
    },
    {
      id: `farm-b-${suffix}`,
      name: 'Ruộng bà Tư',
      commune: 'Lịch Hội Thượng',
      cooperativeId: 'htx-lich-hoi',
      gatewayIds: [`gw-other-${suffix}`],
    },
  ];
  const cloudClient: MqttClient = await mqtt.connectAsync(mqttUrl, { clientId: `cloud-web-${suffix}`, clean: true });
  let app: FastifyInstance | undefined;
  const built = await buildMemoryApp({
    farms,
    publish: mqttPublisher(cloudClient),
    extend: async (a) => {
      app = a;
      await a.register(uiPlugin, { tileUrl: '' });
    },
  });
  const unbridge = await bridgeControlToMqtt(cloudClient, built.control);
  // this client is the gateway's cloud: it says "ingest host online" so the gateway sends
  const hostTopic = topics.hostState(`web-${suffix}`);
  await cloudClient.publishAsync(hostTopic, JSON.stringify({ online: true, ts: Date.now() }), { qos: 1, retain: true });
  const port = await freePort();
  await built.app.listen({ port, host: '127.0.0.1' });

  // a real gateway process (edge/gateway.ts) on a simulated paddy over Modbus TCP: it polls,
  // runs the control loop, validates and applies configs and executes commands
  const site = await startPaddySite({
    seed: 3,
    initialLevelCm: -8,
    paddy: { rain: false },
    salinity: { monthlyBasePpt: Array(12).fill(0.6), spikeChanceDry: 0, spikeChanceWet: 0 },
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rs-gw-'));
  const file = parseGatewayFile(
    gatewayFileFor(site, { gatewayId: gw, mqttUrl, dataDir, pollSeconds: 1, loopIntervalMs: 500 }),
    'web-test',
    dataDir,
    {},
  );
  const gateway = new Gateway(file, {});
  await gateway.start();

  return {
    ...built,
    app: app!,
    gw,
    farms,
    url: `http://127.0.0.1:${port}`,
    gateway,
    site,
    cloudClient,
    async stop() {
      await gateway.stop().catch(() => undefined);
      await site.stop().catch(() => undefined);
      // the retained config must not outlive the test on the shared broker
      await cloudClient.publishAsync(topics.config(gw), '', { qos: 1, retain: true }).catch(() => undefined);
      await cloudClient.publishAsync(topics.state(gw), '', { qos: 1, retain: true }).catch(() => undefined);
      await cloudClient.publishAsync(hostTopic, '', { qos: 1, retain: true }).catch(() => undefined);
      await unbridge().catch(() => undefined);
      await cloudClient.endAsync().catch(() => undefined);
      await built.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
