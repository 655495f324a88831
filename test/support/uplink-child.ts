/**
 * A process to kill -9 in edge fault tests. Configured by the UPLINK_CHILD env (JSON):
 *  - mode "queue-writer": appends numbered messages to a DiskQueue forever, printing "committed N";
 *  - mode "gateway": runs an Uplink fed by a counter: every tickMs it publishes one reading per
 *    sensor (value = tick, ts = tsBase + tick × 1000) and prints "produced T" once they are accepted.
 */
import { DiskQueue, Uplink } from '../../edge/uplink/index.js';

interface ChildConfig {
  mode: 'queue-writer' | 'gateway';
  dataDir: string;
  gatewayId?: string;
  url?: string;
  username?: string;
  password?: string;
  sensors?: number;
  tickMs?: number;
  tsBase?: number;
  /** first tick of the counter: a gateway restarted after kill -9 goes on where the killed one stopped */
  startTick?: number;
  maxReadings?: number;
  maxDelayMs?: number;
  /** passed to the Uplink as is (e.g. { required: false }) */
  host?: { required?: boolean; graceMs?: number };
}

const cfg = JSON.parse(process.env.UPLINK_CHILD ?? '{}') as ChildConfig;

if (cfg.mode === 'queue-writer') {
  const q = new DiskQueue(cfg.dataDir, { capacityReadings: 1_000_000 });
  let n = 0;
  const tick = () => {
    q.enqueue('event', JSON.stringify({ n }));
    process.stdout.write(`committed ${n + 1}\n`);
    n++;
    setImmediate(tick);
  };
  tick();
} else {
  const up = new Uplink({
    gatewayId: cfg.gatewayId!,
    url: cfg.url!,
    username: cfg.username,
    password: cfg.password,
    dataDir: cfg.dataDir,
    fw: 'child/1',
    batch: { maxReadings: cfg.maxReadings ?? 64, maxDelayMs: cfg.maxDelayMs ?? 50 },
    queue: { drainPerSecond: 1000, maxInflight: 32 },
    reconnect: { minMs: 100, maxMs: 500 },
    ...(cfg.host ? { host: cfg.host } : {}),
  });
  up.start();
  process.stdout.write(`boot ${up.bootId}\n`);
  const sensors = cfg.sensors ?? 8;
  let t = cfg.startTick ?? 0;
  const producer = setInterval(() => {
    up.publishReadings(
      Array.from({ length: sensors }, (_, i) => ({
        sensor: `s${i}`,
        metric: 'counter',
        value: t,
        unit: 'n',
        ts: (cfg.tsBase ?? 1_764_288_000_000) + t * 1000,
      })),
    );
    process.stdout.write(`produced ${t}\n`);
    t++;
  }, cfg.tickMs ?? 5);
  // SIGUSR2: stop producing, keep sending what is queued (fault tests wait for it to land)
  process.on('SIGUSR2', () => {
    clearInterval(producer);
    up.flush();
    process.stdout.write(`stopped ${t - 1}\n`);
  });
  process.on('SIGTERM', () => {
    clearInterval(producer);
    void up.stop().then(() => process.exit(0));
  });
}
