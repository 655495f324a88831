import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Gateway } from '../edge/gateway.js';
import { parseGatewayFile } from '../edge/config.js';
import type { UplinkPort } from '../edge/uplink-port.js';
import type { ControlEvent } from '../edge/control/index.js';
import { startModbusSimulator } from '../simulators/modbus/index.js';
import { freePort } from '../lib/ports.js';
import type { Reading } from '../protocol/index.js';
import { until } from './support/wait.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// a vendor's map: water level as signed millimetres in input register 0, no scaling
const MM_PROFILE = `name: level-mm
description: water level in mm, as the vendor's sheet says
points:
  - { metric: water_level, function: 4, address: 0, type: i16, scale: 1, unit: mm, range: { min: -400, max: 400 } }
`;

describe('a water-level sensor profile written in millimetres', () => {
  it('reaches the loop and the uplink in cm, and does not open the intake at −5 cm', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-mm-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'level-mm.yaml'), MM_PROFILE);
    // the device on the wire: the shipped profile puts −5.0 cm as −50 (mm) in the register
    const port = await freePort();
    const sim = await startModbusSimulator({ transport: 'tcp', port }, [
      { unitId: 1, profile: 'paddy-water-level', values: (m) => (m === 'water_level' ? -5 : undefined) },
      { unitId: 2, profile: 'intake-salinity', values: (m) => (m === 'salinity' ? 0.5 : undefined) },
      { unitId: 4, profile: 'relay-board-8ch' },
    ]);
    cleanups.push(() => sim.stop());
    expect(sim.device(1).readRegisters(4, 0, 1)).toEqual([0xffce]);
    const file = parseGatewayFile(
      {
        gatewayId: 'gw-mm',
        mqtt: { url: 'mqtt://127.0.0.1:1' },
        dataDir: path.join(dir, 'data'),
        buses: [{ id: 'b', url: sim.url }],
        devices: [
          { id: 'wl1', bus: 'b', unitId: 1, profile: './level-mm.yaml', pollSeconds: 1 },
          { id: 'sal1', bus: 'b', unitId: 2, profile: 'intake-salinity', pollSeconds: 1 },
          { id: 'relays', bus: 'b', unitId: 4, profile: 'relay-board-8ch', poll: false },
        ],
        actuators: [
          { id: 'v1', kind: 'intake', device: 'relays', coil: 4 },
          { id: 'p1', kind: 'pump', device: 'relays', coil: 6 },
        ],
        initialConfig: {
          version: 1,
          zones: [
            {
              id: 'z1',
              mode: 'awd',
              valves: ['v1'],
              intakeValve: 'v1',
              pump: 'p1',
              awd: {},
              sensors: {
                waterLevel: { sensor: 'wl1', metric: 'water_level' },
                intakeSalinity: { sensor: 'sal1', metric: 'salinity' },
              },
            },
          ],
        },
        loop: { intervalMs: 100 },
      },
      'test',
      dir,
      {},
    );
    const published: Reading[] = [];
    const uplink: UplinkPort = {
      start() {},
      async stop() {},
      publishReadings: (r) => {
        published.push(...r);
      },
      publishEvent() {},
      onConfig() {},
      onCommand() {},
      setConfigVersion() {},
    };
    const gw = new Gateway(file, { uplink });
    const events: ControlEvent[] = [];
    gw.on('event', (e) => events.push(e));
    await gw.start();
    cleanups.push(() => gw.stop());

    const level = await until(
      'a water level on the uplink',
      () => published.find((r) => r.metric === 'water_level'),
      15_000,
    );
    expect(level).toMatchObject({ sensor: 'wl1', value: -5, unit: 'cm', quality: 'good' });
    await until(
      'the loop to see salinity and level after start-up',
      () => gw.state.latest['sal1/salinity'] && gw.state.latest['wl1/water_level'],
    );
    expect(gw.state.latest['wl1/water_level']!.value).toBe(-5);
    const steps = gw.stats().steps;
    await until('ten more steps', () => gw.stats().steps >= steps + 10);
    // −5 cm is above the −15 cm re-flood mark: read as −50 cm it would have opened
    expect(gw.state.valves.v1?.open).toBe(false);
    expect(events.filter((e) => e.kind === 'valve_opened')).toEqual([]);
  });
});
