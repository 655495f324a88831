import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ingest } from '../cloud/ingest/ingest.js';
import { countStored, publishStream, startFaultRig, until, type FaultRig } from './support/ingest/fault-rig.js';
import { InfluxTelemetryStore } from '../cloud/telemetry/influx/influx-store.js';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());

describe.skipIf(!ok)('InfluxDB stopped for a while, then started', () => {
  let rig: FaultRig;
  let ingest: Ingest;
  beforeAll(async () => {
    rig = await startFaultRig();
  });
  afterAll(async () => {
    await ingest?.stop();
    await rig?.destroy();
  });

  it(
    'spools while InfluxDB is down and replays: every reading stored once, none lost',
    { timeout: 60_000 },
    async () => {
      const store = new InfluxTelemetryStore({
        url: rig.influx.url,
        db: rig.db,
        retry: { maxRetries: 2, minDelayMs: 50, maxDelayMs: 200, maxTotalMs: 500 },
      });
      await store.init();
      ingest = new Ingest({
        store,
        mqttUrl: rig.mosquitto.url,
        ...rig.cloudUser,
        instanceId: rig.gatewayId,
        dataDir: rig.dataDir,
        replayMaxDelayMs: 500,
      });
      await ingest.start();
      const messages = 600;
      const perMessage = 20;
      const stream = await publishStream(rig, { messages, perMessage, ratePerSec: 150 });
      await until(() => stream.acked() > 100, 10_000, 'first messages');
      await rig.influx.stop();
      let maxSpooled = 0;
      const watch = setInterval(() => {
        maxSpooled = Math.max(maxSpooled, ingest.status().spool?.batches ?? 0);
      }, 50);
      await new Promise((r) => setTimeout(r, 2500));
      await rig.influx.start();
      await stream.done;
      await until(
        async () => (await countStored(rig)).points >= messages * perMessage && ingest.status().spool?.batches === 0,
        20_000,
        'all readings in InfluxDB',
      );
      clearInterval(watch);
      expect(maxSpooled).toBeGreaterThan(0);
      expect(await countStored(rig)).toEqual({ points: messages * perMessage, seqs: messages });
      await stream.stop();
    },
  );
});
