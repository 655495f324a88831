import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Gateway } from '../edge/gateway.js';
import { parseGatewayFile } from '../edge/config.js';
import { ModbusBus } from '../edge/modbus/index.js';
import type { ControlEvent } from '../edge/control/index.js';
import { PADDY_SITE_COILS, PADDY_SITE_UNITS, gatewayFileFor, startPaddySite } from '../simulators/paddy-site.js';
import { until } from './support/wait.js';

const fresh = { monthlyBasePpt: Array(12).fill(0.6), spikeChanceDry: 0, spikeChanceWet: 0 };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a gateway restarted while the canal turned saline', () => {
  it('never opens the intake or the pump on the readings of its previous run', async () => {
    // a dry paddy (−20 cm asks for water) and, at first, a fresh canal
    const site = await startPaddySite({ seed: 7, initialLevelCm: -20, paddy: { rain: false }, salinity: fresh });
    cleanups.push(() => site.stop());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-salty-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const file = parseGatewayFile(
      gatewayFileFor(site, {
        gatewayId: 'gw-salty',
        mqttUrl: 'mqtt://127.0.0.1:1',
        dataDir,
        pollSeconds: 1,
        loopIntervalMs: 100,
      }),
      'test',
      dataDir,
      {},
    );
    // an independent client on the same Modbus TCP port reads the relay board's coils
    const probe = new ModbusBus({ url: site.busUrl, name: 'probe' });
    await probe.start();
    cleanups.push(() => probe.stop());
    const coils = async () => {
      const c = await probe.read(PADDY_SITE_UNITS.relays, 1, 0, 8);
      return { intake: c[PADDY_SITE_COILS.intake] === 1, pump: c[PADDY_SITE_COILS.pump] === 1 };
    };

    const first = new Gateway(file, { uplink: null });
    await first.start();
    await until(
      'the first run to open the intake and pump',
      async () => {
        const c = await coils();
        return c.intake && c.pump;
      },
      20_000,
    );
    await first.stop();
    expect(await coils()).toEqual({ intake: false, pump: false });

    // while the gateway is down the salt wedge arrives: 5.2 ‰, far above the 2 ‰ limit
    site.setSalinity(5.2);
    const mark = site.coilWrites().length;
    const second = new Gateway(file, { uplink: null });
    const events: ControlEvent[] = [];
    second.on('event', (e) => events.push(e));
    await second.start();
    cleanups.push(() => second.stop());

    const blocked = await until(
      'the restarted loop to block the intake on the fresh salinity',
      () => events.find((e) => e.kind === 'blocked' && e.valve === 'v1' && e.data?.salinityPpt === 5.2),
      20_000,
    );
    expect(blocked.reason).toBe('blocked: intake salinity 5.2‰ > 2.0‰');
    const stepsAtBlock = second.stats().steps;
    await until('twenty more loop steps on fresh readings', () => second.stats().steps >= stepsAtBlock + 20, 20_000);

    const opened = site
      .coilWrites()
      .slice(mark)
      .filter((w) => w.on);
    expect(opened).toEqual([]);
    expect(await coils()).toEqual({ intake: false, pump: false });
    expect(events.filter((e) => e.kind === 'valve_opened' || e.kind === 'pump_on')).toEqual([]);
    // the level still asks for water: only the salinity keeps it shut
    expect(second.state.latest['wl1/water_level']?.value).toBeLessThan(-15);
  });
});
