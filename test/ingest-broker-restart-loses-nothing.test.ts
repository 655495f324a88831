import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ingest } from '../cloud/ingest/ingest.js';
import { metricsRegistry } from '../cloud/metrics.js';
import { countStored, publishStream, startFaultRig, until, type FaultRig } from './support/ingest/fault-rig.js';
import { InfluxTelemetryStore } from '../cloud/telemetry/influx/influx-store.js';
import { topics } from '../protocol/index.js';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());

async function rejected(reason: string): Promise<number> {
  const m = await metricsRegistry.getSingleMetric('ruongso_ingest_rejected_total')?.get();
  return m?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe.skipIf(!ok).each([
  { mode: 'a shared subscription', shared: true },
  { mode: 'a plain subscription', shared: false },
])('the broker restarted mid-stream, ingest on $mode', ({ shared }) => {
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
    'loses nothing and doubles nothing; malformed messages in the stream are counted and skipped',
    { timeout: 60_000 },
    async () => {
      const store = new InfluxTelemetryStore({ url: rig.influx.url, db: rig.db });
      await store.init();
      ingest = new Ingest({
        store,
        mqttUrl: rig.mosquitto.url,
        ...rig.cloudUser,
        instanceId: rig.gatewayId,
        dataDir: rig.dataDir,
        shared: shared ? 'auto' : false,
      });
      await ingest.start();
      expect(ingest.sharedSubscriptions).toBe(shared);
      const before = { json: await rejected('json'), schema: await rejected('schema') };
      const messages = 700;
      const perMessage = 20;
      const stream = await publishStream(rig, {
        messages,
        perMessage,
        ratePerSec: 200,
        extra: (seq, c) => {
          if (seq === 50) c.publish(topics.telemetry(rig.gatewayId), '{"bootId": ', { qos: 1 });
          if (seq === 60)
            c.publish(
              topics.telemetry(rig.gatewayId),
              JSON.stringify({ bootId: 'x', seq: 1, readings: [{ sensor: 'S P A C E', value: 1 }] }),
              { qos: 1 },
            );
        },
      });
      await until(async () => (await countStored(rig)).points > 150 * perMessage, 15_000, 'the first readings stored');
      await rig.mosquitto.stop();
      await new Promise((r) => setTimeout(r, 1000));
      await rig.mosquitto.start();
      await stream.done;
      await until(
        async () => (await countStored(rig)).points >= messages * perMessage,
        20_000,
        'all readings in InfluxDB',
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(await countStored(rig)).toEqual({ points: messages * perMessage, seqs: messages });
      expect(await rejected('json')).toBe(before.json + 1);
      expect(await rejected('schema')).toBe(before.schema + 1);
      const seq = ingest.seqStats(rig.gatewayId)!.boots[0]!;
      expect(seq.missing).toBe(0);
      await stream.stop();
    },
  );
});
