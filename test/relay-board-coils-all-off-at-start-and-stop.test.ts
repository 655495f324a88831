import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Gateway } from '../edge/gateway.js';
import { parseGatewayFile } from '../edge/config.js';
import { ModbusBus } from '../edge/modbus/index.js';
import { PADDY_SITE_COILS, PADDY_SITE_UNITS, gatewayFileFor, startPaddySite } from '../simulators/paddy-site.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a relay board with coils left ON before the gateway runs', () => {
  it('has every coil commanded off at start and at stop, except the exempt one; pumps stop before valves', async () => {
    const site = await startPaddySite({ seed: 3, initialLevelCm: -5, paddy: { rain: false } });
    cleanups.push(() => site.stop());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-coils-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const input = gatewayFileFor(site, {
      gatewayId: 'gw-coils',
      mqttUrl: 'mqtt://127.0.0.1:1',
      dataDir,
      pollSeconds: 1,
    });
    // relay3 (coil 2) feeds the farm's night light: start and stop must leave it alone
    input.devices = input.devices.map((d) => (d.id === 'relays' ? { ...d, exemptCoils: ['relay3'] } : d));
    const file = parseGatewayFile({ ...input, loop: { ...input.loop, pumpStopDelayMs: 300 } }, 'test', dataDir, {});
    const probe = new ModbusBus({ url: site.busUrl, name: 'probe' });
    await probe.start();
    cleanups.push(() => probe.stop());
    const allOn = () =>
      Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((c) => probe.writeCoil(PADDY_SITE_UNITS.relays, c, true)));
    const coils = () => probe.read(PADDY_SITE_UNITS.relays, 1, 0, 8);

    await allOn(); // as an installer with mbpoll would
    expect(await coils()).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    const mark = site.coilWrites().length;
    const gw = new Gateway(file, { uplink: null });
    await gw.start();
    cleanups.push(() => gw.stop());
    expect(await coils()).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);

    // the pump relays (7 and 8: coils 6, 7) went off first, the valves ≥ 300 ms later
    // (the loop's own start-up step closes its actuators once more afterwards: keep each coil's first write)
    const offs = site
      .coilWrites()
      .slice(mark)
      .filter((w, i, all) => !w.on && all.findIndex((x) => x.address === w.address) === i);
    const firstValve = Math.min(...offs.filter((w) => ![6, 7].includes(w.address)).map((w) => w.ts));
    const lastPump = Math.max(...offs.filter((w) => [6, 7].includes(w.address)).map((w) => w.ts));
    expect(
      offs
        .slice(0, 2)
        .map((w) => w.address)
        .sort(),
    ).toEqual([PADDY_SITE_COILS.pump, 7]);
    expect(firstValve - lastPump).toBeGreaterThanOrEqual(290);

    await allOn();
    await gw.stop();
    expect(await coils()).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
  });
});
