import { describe, expect, it } from 'vitest';
import { runAndReconcile, scenarioNamed, stackForBlock } from './support/fault-run.js';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());
const scenario = scenarioNamed('cloud kill -9, broker clean restart while it is down');

describe.skipIf(!ok)('the cloud is down while the broker restarts cleanly (host state, Sparkplug B style)', () => {
  const stack = stackForBlock();

  it(
    'keeps every reading on the gateways until the cloud is back: missing 0, doubled 0',
    { timeout: 180_000 },
    async () => {
      const { reconciled: r } = await runAndReconcile(stack(), scenario);
      expect(r.produced).toBeGreaterThan(1000);
      expect({ missing: r.missing, doubled: r.doubled }).toEqual({ missing: 0, doubled: 0 });
    },
  );
});
