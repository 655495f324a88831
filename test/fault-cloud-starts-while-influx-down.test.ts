import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from './support/fault-scenarios.js';
import { drainAndReconcile, startFaultStack, untilFlowing, type FaultStack } from './support/fault-stack.js';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());
const scenario = SCENARIOS.find((s) => s.name === 'cloud restart while InfluxDB is down')!;

describe.skipIf(!ok)('the cloud restarts while InfluxDB is down', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await startFaultStack({ gateways: 2 });
    await stack.cloud.start();
  }, 120_000);
  afterAll(async () => {
    await stack?.destroy();
  });

  it(
    'starts anyway, says degraded, spools, and replays when InfluxDB returns: missing 0, doubled 0',
    { timeout: 180_000 },
    async () => {
      await untilFlowing(stack);
      const notes = await scenario.run(stack);
      expect(notes).toEqual({ healthWhileDown: 'degraded', telemetryOkWhileDown: false });
      const r = await drainAndReconcile(stack);
      expect(r.produced).toBeGreaterThan(1000);
      expect({ missing: r.missing, doubled: r.doubled }).toEqual({ missing: 0, doubled: 0 });
      await expect.poll(async () => (await stack.cloud.health()).status, { timeout: 20_000 }).toBe('ok');
    },
  );
});
