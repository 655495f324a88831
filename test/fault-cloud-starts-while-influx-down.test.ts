import { describe, expect, it } from 'vitest';
import { runAndReconcile, scenarioNamed, stackForBlock } from './support/fault-run.js';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());
const scenario = scenarioNamed('cloud restart while InfluxDB is down');

describe.skipIf(!ok)('the cloud restarts while InfluxDB is down', () => {
  const stack = stackForBlock();

  it(
    'starts anyway, says degraded, spools, and replays when InfluxDB returns: missing 0, doubled 0',
    { timeout: 180_000 },
    async () => {
      const { notes, reconciled: r } = await runAndReconcile(stack(), scenario);
      expect(notes).toEqual({ healthWhileDown: 'degraded', telemetryOkWhileDown: false });
      expect(r.produced).toBeGreaterThan(1000);
      expect({ missing: r.missing, doubled: r.doubled }).toEqual({ missing: 0, doubled: 0 });
      await expect.poll(async () => (await stack().cloud.health()).status, { timeout: 20_000 }).toBe('ok');
    },
  );
});
