/**
 * An ingest in a process of its own, for the tests that kill it with SIGKILL.
 * Configuration comes as JSON in INGEST_CHILD; prints "ready" once subscribed.
 */
import { Ingest } from '../../../cloud/ingest/ingest.js';
import { InfluxTelemetryStore } from '../../../cloud/telemetry/influx/influx-store.js';

const cfg = JSON.parse(process.env.INGEST_CHILD ?? '{}') as {
  mqttUrl: string;
  username: string;
  password: string;
  instanceId: string;
  dataDir: string;
  influxUrl: string;
  db: string;
};
const store = new InfluxTelemetryStore({ url: cfg.influxUrl, db: cfg.db });
await store.init();
const ingest = new Ingest({
  store,
  mqttUrl: cfg.mqttUrl,
  username: cfg.username,
  password: cfg.password,
  instanceId: cfg.instanceId,
  dataDir: cfg.dataDir,
});
await ingest.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void ingest.stop().then(() => process.exit(0));
});
