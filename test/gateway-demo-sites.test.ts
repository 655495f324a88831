import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startDemoGateways, type DemoGateways } from '../edge/demo-gateways.js';

let demo: DemoGateways | undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'gwd-'));
afterEach(async () => {
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, fn: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('demo gateways', () => {
  it('starts N paddy sites with a gateway each, every gateway reading its own field', async () => {
    // nothing listens on port 1: the gateways run offline, as in the field
    demo = await startDemoGateways({ count: 2, mqttUrl: 'mqtt://127.0.0.1:1', dataDir: dir, idPrefix: `gw-d${randomBytes(2).toString('hex')}`, pollSeconds: 1 });
    expect(demo.gateways.map((g) => g.file.gatewayId)).toEqual([expect.stringMatching(/-1$/), expect.stringMatching(/-2$/)]);
    expect(new Set(demo.sites.map((s) => s.port)).size).toBe(2);
    await until('both gateways to read a water level', () => demo!.gateways.every((g) => g.state.latest['wl1/water_level']?.quality === 'good'));
    demo.gateways.forEach((g, i) => {
      expect(g.state.latest['wl1/water_level']!.value).toBeCloseTo(demo!.sites[i]!.field().levelCm, 0);
    });
    await demo.stop();
    for (const s of demo.sites) expect(s.field().intakeOpen).toBe(false);
    demo = undefined;
  });
});
