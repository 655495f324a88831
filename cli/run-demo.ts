/**
 * `ruongso demo`: the cloud, its demo district and the simulated fleet in one process. It lives in
 * cli/ because it wires simulators to the cloud, and cloud/ never imports simulators/.
 */
import mqtt from 'mqtt';
import { CONFIG_KEYS, loadConfig, type CloudConfig } from '../cloud/config.js';
import { demoCredentials, demoOverrides } from '../cloud/demo/credentials.js';
import { seedDemoHistory, seedDemoTelemetry } from '../cloud/demo/history.js';
import { DEMO_ACTOR, DEMO_FARMS, seedDemoDistrict } from '../cloud/demo/seed.js';
import { provisionGateway } from '../cloud/registry/provision.js';
import type { Registry } from '../cloud/registry/registry.js';
import { CloudService } from '../cloud/server.js';
import { canListen, freePort } from '../lib/ports.js';
import { GatewayConfig, topics } from '../protocol/index.js';
import { startDemoFleet, type FleetMember } from '../simulators/demo-fleet.js';

/** the demo drone's login; its password is generated per data directory (cloud/demo/credentials.ts) */
export const DEMO_DRONE = { id: 'drone-demo-1' } as const;

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

type PortKey = 'PORT' | 'MQTT_PORT';

/**
 * The demo's own defaults (8080, 1883) give way to a free port when something holds them — a
 * system Mosquitto on 1883 is common. A port the user asked for (flag, env or a config file with
 * another value) is kept, so a taken one still stops the start with the PORT_IN_USE message.
 */
async function movedPorts(
  config: CloudConfig,
  env: NodeJS.ProcessEnv,
  o: DemoOptions,
): Promise<Partial<Record<PortKey, number>>> {
  const asked = (key: PortKey, flag: string | undefined) =>
    flag !== undefined || (env[key] ?? '') !== '' || config[key] !== CONFIG_KEYS[key].schema.parse(undefined);
  const keys: PortKey[] = config.MQTT_URL ? ['PORT'] : ['PORT', 'MQTT_PORT'];
  const moved: Partial<Record<PortKey, number>> = {};
  for (const key of keys) {
    if (asked(key, key === 'PORT' ? o.port : o.mqttPort) || (await canListen(config[key], config.HOST))) continue;
    moved[key] = await freePort(config.HOST);
  }
  return moved;
}

/** Starts cloud + fleet; returns once everything is up. */
export async function startDemo(o: DemoOptions = {}): Promise<RunningDemo> {
  const env = o.env ?? process.env;
  // demo mode, loopback unless HOST is set, the data directory's own generated passwords
  const overrides = { PORT: o.port, MQTT_PORT: o.mqttPort, DATA_DIR: o.dataDir, ...demoOverrides(env, o.dataDir) };
  let config = loadConfig(env, overrides);
  const moved = await movedPorts(config, env, o);
  if (Object.keys(moved).length) {
    config = loadConfig(env, { ...overrides, ...moved });
    const out = o.out ?? process.stdout;
    for (const [key, port] of Object.entries(moved)) {
      out.write(
        `  ${key} ${CONFIG_KEYS[key as PortKey].schema.parse(undefined)} is taken: the demo uses ${port} instead (set ${key} to choose one)\n`,
      );
    }
  }
  // the district first: the web app binds the demo farmers to its farms when it seeds them
  const cloud = new CloudService({
    config,
    webApp: true,
    seed: async (registry) => {
      await seedDemoDistrict(registry);
    },
    // the simulated spray drone logs in with a demo secret (embedded broker only)
    brokerUsers: { drones: { [DEMO_DRONE.id]: demoCredentials(config.DATA_DIR).dronePassword } },
  });
  await cloud.start();
  let fleet: Awaited<ReturnType<typeof startDemoFleet>> | undefined;
  try {
    // a year of history for the officer's reports; after the demo users exist (the web app seeds them)
    await seedDemoHistory(cloud.registry, cloud.facts!);
    // a season of telemetry, so the farmer's charts have data on first start
    await seedDemoTelemetry(cloud.store);
    // new broker credentials every start: the demo gateways live in this process
    const gateways = [];
    for (const f of DEMO_FARMS) {
      const cred = await provisionGateway(cloud.registry, { id: f.gatewayId, farmId: f.id }, DEMO_ACTOR);
      gateways.push({ gatewayId: f.gatewayId, password: cred.password });
    }
    fleet = await startDemoFleet({
      gateways,
      mqttUrl: cloud.brokerUrl,
      dataDir: config.DATA_DIR,
      speed: o.speed,
    });
    await publishLiveConfigs(cloud, fleet.members);
  } catch (err) {
    // the gateways too: their timers and sockets would keep a failed demo's process alive
    await fleet?.stop();
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
    // a client id is bound to its login: the cloud's are `username` or `username:…`
    clientId: `${cred ? `${cred.username}:` : 'ruongso-'}demo-${process.pid}`,
    reconnectPeriod: 0,
    ...(cred ? { username: cred.username, password: cred.password } : {}),
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
  if (
    stored?.success &&
    stored.data.version === latest!.version &&
    stored.data.zones.length > 0 &&
    stored.data.zones.every((z) => z.valves.every((v) => actuators.has(v)))
  )
    return stored.data;
  const version = (latest?.version ?? 0) + 1;
  const config = GatewayConfig.parse({ ...m.site.zoneConfig(version), issuedAt: Date.now(), issuedBy: DEMO_ACTOR });
  await registry.putDesiredConfig(m.gatewayId, config, DEMO_ACTOR, Date.now());
  return config;
}

/** `ruongso demo`: start, print where to look, run until SIGINT/SIGTERM (also one during start-up). */
export async function runDemo(o: DemoOptions = {}): Promise<void> {
  const out = o.out ?? process.stdout;
  let stopRequested: (() => void) | undefined;
  const stopSignal = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const onSignal = (sig: NodeJS.Signals) => {
    process.once(sig, () => process.exit(130));
    stopRequested!();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  o.signal?.addEventListener('abort', () => stopRequested!());

  let demo: RunningDemo;
  try {
    demo = await startDemo(o);
  } catch (err) {
    // a failed start ends the process like any error: no handler left to swallow Ctrl-C
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw err;
  }
  const url = demo.cloud.webUrl;
  out.write(
    [
      '',
      `  Ruộng Số demo is running — open ${url}`,
      `  API docs: ${url}/docs   health: ${url}/healthz   metrics: ${url}/metrics`,
      `  MQTT broker: ${demo.cloud.brokerUrl}   data: ${demo.cloud.config.DATA_DIR}`,
      `  Farms: ${DEMO_FARMS.map((f) => `${f.name} (${f.gatewayId})`).join('; ')}`,
      demo.cloud.demoLogins,
      `  Spray drone: approve a mission as kythuat, download its GeoJSON (every sortie, the plan's flow, swath and tank), then fly it (as-applied log → verify):`,
      `    ruongso sim drone --drone ${DEMO_DRONE.id} --mqtt ${demo.cloud.brokerUrl.replace('mqtt://', `mqtt://${DEMO_DRONE.id}:${demoCredentials(demo.cloud.config.DATA_DIR).dronePassword}@`)} --mission FILE.geojson --mission-id ID --speedup 30`,
      '  Ctrl-C stops everything cleanly.',
      '',
    ].join('\n') + '\n',
  );
  await stopSignal;
  demo.cloud.log.info('shutting down the demo');
  await demo.stop();
}
