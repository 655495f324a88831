import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from './support/fault-scenarios.js';
import { drainAndReconcile, startFaultStack, untilFlowing, type FaultStack } from './support/fault-stack.js';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());
const scenario = SCENARIOS.find((s) => s.name.startsWith('cloud kill -9, broker clean restart'))!;

describe.skipIf(!ok)('the cloud is down while the broker restarts cleanly (host state, Sparkplug B style)', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await startFaultStack({ gateways: 2 });
    await stack.cloud.start();
  }, 120_000);
  afterAll(async () => {
    await stack?.destroy();
  });

  it(
    'keeps every reading on the gateways until the cloud is back: missing 0, doubled 0',
    { timeout: 180_000 },
    async () => {
      await untilFlowing(stack);
      await scenario.run(stack);
      const r = await drainAndReconcile(stack);
      expect(r.produced).toBeGreaterThan(1000);
      expect({ missing: r.missing, doubled: r.doubled }).toEqual({ missing: 0, doubled: 0 });
    },
  );
});
