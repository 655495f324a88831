import { loadConfig } from '../config.js';
import { CloudService } from '../server.js';
import { provisionGateway } from '../registry/provision.js';
import { startDemoFleet } from '../../simulators/demo-fleet.js';
import mqtt from 'mqtt';
import { GatewayConfig, topics } from '../../protocol/index.js';
import type { FleetMember } from '../../simulators/demo-fleet.js';
import type { Registry } from '../registry/registry.js';
import { seedDemoHistory } from './history.js';
import { DEMO_ACTOR, DEMO_FARMS, seedDemoDistrict } from './seed.js';

export const DEMO_DRONE = { id: 'drone-demo-1', password: 'demo-drone' } as const;

export interface DemoOptions {
  port?: string;
  mqttPort?: string;
  dataDir?: string;
  speed?: number;
  env?: NodeJS.ProcessEnv;
  out?: NodeJS.WritableStream;
  /** resolve instead of waiting for a signal (tests) */
  signal?: AbortSignal;
}

export interface RunningDemo {
  cloud: CloudService;
  stop(): Promise<void>;
}

/** Starts cloud + fleet; returns once everything is up. */
export async function startDemo(o: DemoOptions = {}): Promise<RunningDemo> {
  const config = loadConfig(o.env ?? process.env, { PORT: o.port, MQTT_PORT: o.mqttPort, DATA_DIR: o.dataDir });
  // the district first: the web app binds the demo farmers to its farms when it seeds them
  const cloud = new CloudService({
    config, webApp: true, seed: async (registry) => { await seedDemoDistrict(registry); },
    // the simulated spray drone logs in with a demo secret (embedded broker only)
    brokerUsers: { drones: { [DEMO_DRONE.id]: DEMO_DRONE.password } },
  });
  await cloud.start();
  let fleet: Awaited<ReturnType<typeof startDemoFleet>> | undefined;
  try {
    // a year of history for the officer's reports; after the demo users exist (the web app seeds them)
    await seedDemoHistory(cloud.registry, cloud.facts!);
    // new broker credentials every start: the demo gateways live in this process
    const gateways = [];
    for (const f of DEMO_FARMS) {
      const cred = await provisionGateway(cloud.registry, { id: f.gatewayId, farmId: f.id }, DEMO_ACTOR);
      gateways.push({ gatewayId: f.gatewayId, password: cred.password });
    }
    fleet = await startDemoFleet({
      gateways, mqttUrl: cloud.brokerUrl, dataDir: config.DATA_DIR, speed: o.speed,
    });
    await publishLiveConfigs(cloud, fleet.members);
  } catch (err) {
    await cloud.stop();
    throw err;
  }
  const f = fleet;
  return {
    cloud,
    stop: async () => {
      await f.stop();
      await cloud.stop();
    },
  };
}

/**
 * Each demo gateway gets a zone config from the cloud that fits its hardware, published retained:
 * the newest stored one when it fits (a farmer's last change), else a new version of the site's
 * default zones. The embedded broker keeps nothing across restarts, so this runs at every start.
 */
async function publishLiveConfigs(cloud: CloudService, members: FleetMember[]): Promise<void> {
  const cred = cloud.cloudCredentials;
  const client = await mqtt.connectAsync(cloud.brokerUrl, {
    clientId: `ruongso-demo-${process.pid}`, reconnectPeriod: 0, ...(cred ? { username: cred.username, password: cred.password } : {}),
  });
  try {
    for (const m of members) {
      const config = await liveConfig(cloud.registry, m);
      await client.publishAsync(topics.config(m.gatewayId), JSON.stringify(config), { qos: 1, retain: true });
    }
  } finally {
    await client.endAsync();
  }
}

async function liveConfig(registry: Registry, m: FleetMember): Promise<GatewayConfig> {
  const actuators = new Set(m.site.actuators.map((a) => a.id));
  const [latest] = await registry.listConfigs(m.gatewayId, 1);
  const stored = latest ? GatewayConfig.safeParse(latest.config) : undefined;
  if (stored?.success && stored.data.version === latest!.version && stored.data.zones.length > 0
    && stored.data.zones.every((z) => z.valves.every((v) => actuators.has(v)))) return stored.data;
  const version = (latest?.version ?? 0) + 1;
  const config = GatewayConfig.parse({ ...m.site.zoneConfig(version), issuedAt: Date.now(), issuedBy: DEMO_ACTOR });
  await registry.putDesiredConfig(m.gatewayId, config, DEMO_ACTOR, Date.now());
  return config;
}

/** `ruongso demo`: start, print where to look, run until SIGINT/SIGTERM (also one during start-up). */
export async function runDemo(o: DemoOptions = {}): Promise<void> {
  const out = o.out ?? process.stdout;
  let stopRequested: (() => void) | undefined;
  const stopSignal = new Promise<void>((resolve) => { stopRequested = resolve; });
  const onSignal = (sig: NodeJS.Signals) => {
    process.once(sig, () => process.exit(130));
    stopRequested!();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  o.signal?.addEventListener('abort', () => stopRequested!());

  const demo = await startDemo(o);
  const url = demo.cloud.webUrl;
  out.write([
    '',
    `  Ruộng Số demo is running — open ${url}`,
    `  API docs: ${url}/docs   health: ${url}/healthz   metrics: ${url}/metrics`,
    `  MQTT broker: ${demo.cloud.brokerUrl}   data: ${demo.cloud.config.DATA_DIR}`,
    `  Farms: ${DEMO_FARMS.map((f) => `${f.name} (${f.gatewayId})`).join('; ')}`,
    demo.cloud.demoLogins,
    `  Spray drone: approve a mission as kythuat, download its .plan, then fly it (as-applied log → verify):`,
    `    ruongso sim drone --drone ${DEMO_DRONE.id} --mqtt ${demo.cloud.brokerUrl.replace('mqtt://', `mqtt://${DEMO_DRONE.id}:${DEMO_DRONE.password}@`)} --mission FILE.plan --mission-id ID --swath 5 --flow 2 --speedup 30`,
    '  Ctrl-C stops everything cleanly.',
    '',
  ].join('\n') + '\n');
  await stopSignal;
  demo.cloud.log.info('shutting down the demo');
  await demo.stop();
}
