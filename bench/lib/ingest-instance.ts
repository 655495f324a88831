/**
 * One cloud ingest instance for the ingest benchmark's scale-out phase, in a process of its own:
 * its own broker login (the broker binds a client id to its login), a $share group shared with
 * the other instances, writing into InfluxDB. Config as JSON in argv[2]; talks over IPC like the
 * Node-RED peer: sends {kind:'ready',cpuMs} once subscribed, then {kind:'stored',n,ts (every
 * 10th),at,cpuMs} per write; on 'stop' it retires (unsubscribes, ends its session) and exits.
 */
import type { StoredReading, TelemetryStore, WriteResult } from '../../cloud/telemetry/store.js';

// the root logger reads LOG_LEVEL when first imported: keep info lines off the bench's output
process.env.LOG_LEVEL ??= 'warn';
const { Ingest } = await import('../../cloud/ingest/ingest.js');
const { InfluxTelemetryStore } = await import('../../cloud/telemetry/influx/influx-store.js');

interface Cfg {
  mqttUrl: string;
  username: string;
  password: string;
  shareGroup: string;
  influxUrl: string;
  db: string;
  dataDir: string;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as Cfg;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const send = (m: Record<string, unknown>) => process.send!(m);

const inner = new InfluxTelemetryStore({ url: cfg.influxUrl, db: cfg.db });
const store: TelemetryStore = {
  kind: 'influx',
  init: () => inner.init(),
  async write(points: StoredReading[]): Promise<WriteResult> {
    const res = await inner.write(points);
    const ts: number[] = [];
    for (let i = 0; i < points.length; i += 10) ts.push(points[i]!.ts);
    send({ kind: 'stored', n: points.length, ts, at: Date.now(), cpuMs: cpuMs() });
    return res;
  },
  query: (q) => inner.query(q),
  latest: (g) => inner.latest(g),
  health: () => inner.health(),
  close: () => inner.close(),
};
await store.init();
const ingest = new Ingest({
  store,
  mqttUrl: cfg.mqttUrl,
  username: cfg.username,
  password: cfg.password,
  shared: true,
  shareGroup: cfg.shareGroup,
  dataDir: cfg.dataDir,
  subscribeDrones: false,
});
await ingest.start();
send({ kind: 'ready', cpuMs: cpuMs() });
process.on('message', (m) => {
  if (m !== 'stop') return;
  void ingest
    .stop({ retire: true })
    .then(() => store.close())
    .finally(() => process.exit(0));
});
