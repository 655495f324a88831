import { describe, expect, it } from 'vitest';
import { benchmarkDrain } from '../bench/lib/drain.js';
import { services } from './support/services.js';

const ok = await services.mosquitto();

describe.skipIf(!ok)('drain benchmark helper', () => {
  it('fills a backlog of the requested size and reports its drain rate once every reading is acknowledged', async () => {
    const r = await benchmarkDrain({ url: 'mqtt://127.0.0.1:1883', days: 0.25, sensors: 32, readingsPerMessage: 500 });
    expect(r.readings).toBe(6 * 60 * 32);
    expect(r.messages).toBe(Math.ceil(r.readings / 500));
    expect(r.diskBytes).toBeGreaterThan(0);
    expect(r.diskBytes / r.readings).toBeLessThan(400); // bytes per queued reading
    expect(r.drainReadingsPerSec).toBeGreaterThan(0);
    // drainMs is rounded to whole ms: allow 2 %
    const fromMs = r.readings / (r.drainMs / 1000);
    expect(Math.abs(r.drainReadingsPerSec - fromMs) / fromMs).toBeLessThan(0.02);
  });
});
