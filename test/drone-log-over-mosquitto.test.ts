import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeField } from '../cloud/missions/field.js';
import { generatedFields } from '../cloud/missions/fixtures/fields.js';
import { planMission } from '../cloud/missions/planner.js';
import { DroneTelemetry, topics } from '../protocol/index.js';
import { flyMission } from '../simulators/drone/index.js';
import { services } from './support/services.js';

const ok = await services.mosquitto();

describe.skipIf(!ok)('drone simulator streams its as-applied log over Mosquitto', () => {
  const droneId = `drone-test-${randomBytes(4).toString('hex')}`;
  let sub: mqtt.MqttClient;
  let pub: mqtt.MqttClient;
  const received: unknown[] = [];

  beforeAll(async () => {
    sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `${droneId}-sub`, clean: true });
    sub.on('message', (_t, payload) => received.push(JSON.parse(payload.toString())));
    await sub.subscribeAsync(topics.drone(droneId), { qos: 1 });
    pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `${droneId}-pub` });
  });

  afterAll(async () => {
    await pub?.endAsync();
    await sub?.endAsync();
  });

  it('delivers every batch in order, each a valid DroneTelemetry message', async () => {
    const plan = planMission({
      field: makeField({ boundary: generatedFields.strip() }),
      drone: { swathM: 6, tankL: 40, maxFlowLpm: 16, speedMps: 6, enduranceMin: 18 },
      product: { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 },
    });
    const slept: number[] = [];
    const r = await flyMission(plan, {
      droneId,
      missionId: 'm-strip-1',
      publisher: pub,
      batchSize: 50,
      speedup: 1_000,
      sleep: async (ms) => {
        slept.push(ms);
      },
      seed: 7,
      windMps: 3,
    });
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(r.messages);
    const msgs = received.map((m) => DroneTelemetry.parse(m));
    expect(msgs.map((m) => m.seq)).toEqual(msgs.map((_, i) => i));
    expect(new Set(msgs.map((m) => m.bootId)).size).toBe(1);
    expect(msgs.every((m) => m.missionId === 'm-strip-1' && m.sortie === 1)).toBe(true);
    const samples = msgs.flatMap((m) => m.samples);
    expect(samples).toHaveLength(r.samples);
    expect(samples.some((s) => s.spraying && s.flowLpm > 0)).toBe(true);
    expect(samples.at(-1)!.tankL).toBeLessThan(samples[0]!.tankL);
    // paced by simulated time ÷ speedup: 50 samples at 2 Hz is 25 s of flight → 25 ms
    expect(slept[0]).toBeCloseTo(25, 0);
  });
});
