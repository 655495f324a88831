import { loadConfig } from '../config.js';
import { CloudService } from '../server.js';
import { provisionGateway } from '../registry/provision.js';
import { startDemoFleet } from '../../simulators/demo-fleet.js';
import { DEMO_ACTOR, DEMO_FARMS, seedDemoDistrict } from './seed.js';

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
  const cloud = new CloudService({ config });
  await cloud.start();
  let fleet: Awaited<ReturnType<typeof startDemoFleet>> | undefined;
  try {
    await seedDemoDistrict(cloud.registry);
    // new broker credentials every start: the demo gateways live in this process
    const gateways = [];
    for (const f of DEMO_FARMS) {
      const cred = await provisionGateway(cloud.registry, { id: f.gatewayId, farmId: f.id }, DEMO_ACTOR);
      gateways.push({ gatewayId: f.gatewayId, password: cred.password });
    }
    fleet = await startDemoFleet({
      gateways, mqttUrl: cloud.brokerUrl, dataDir: config.DATA_DIR, speed: o.speed,
    });
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
    '  Ctrl-C stops everything cleanly.',
    '',
  ].join('\n') + '\n');
  await stopSignal;
  demo.cloud.log.info('shutting down the demo');
  await demo.stop();
}
