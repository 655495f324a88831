import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './support/fault-scenarios.js';
import { runAndReconcile, startStackWithCloud } from './support/fault-run.js';
import { services } from './support/services.js';

const ok = (await services.mosquittoBinary()) && (await services.influxd());
// the two with a file of their own: fault-cloud-down-across-broker-restart, fault-cloud-starts-while-influx-down
const OWN_FILE = new Set([
  'cloud kill -9, broker clean restart while it is down',
  'cloud restart while InfluxDB is down',
]);

describe.skipIf(!ok)(
  'the fault suite on the real stack (ruongso cloud, Mosquitto, InfluxDB, gateway processes)',
  () => {
    it.each(SCENARIOS.filter((s) => !OWN_FILE.has(s.name)).map((s) => [s.name, s] as const))(
      'reconciles every reading after: %s — missing 0, doubled 0',
      { timeout: 240_000 },
      async (_name, scenario) => {
        const stack = await startStackWithCloud();
        try {
          const { notes, reconciled: r } = await runAndReconcile(stack, scenario);
          expect(r.produced).toBeGreaterThan(1000);
          expect({ missing: r.missing, doubled: r.doubled }).toEqual({ missing: 0, doubled: 0 });
          if ('cloudLinkDown' in notes) expect(notes.cloudLinkDown).toBe(0);
        } finally {
          await stack.destroy();
        }
      },
    );
  },
);
