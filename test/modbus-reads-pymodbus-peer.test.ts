import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForPort } from '../lib/ports.js';
import { services } from './support/services.js';
import { DevicePoller, ModbusBus } from '../edge/modbus/index.js';

const ok = await services.pymodbus();
const SCRIPT = fileURLToPath(new URL('./support/pymodbus_server.py', import.meta.url));

// Raw register words as a vendor's datasheet would give them, served by a server no one here wrote.
const UNITS = {
  // soil 4-in-1: 41.2 %VWC, −5.2 °C (0xFFCC), 1530 µS/cm, pH 6.8
  1: { hr: [412, 0xffcc, 1530, 68] },
  // intake probe: EC 52,000 µS/cm as u32 high word first; salinity 3.25 ‰ as f32 0x40500000; 28.7 °C
  2: { hr: [0x0000, 0xcb20, 0x4050, 0x0000, 287] },
  // paddy tube: −15.3 cm (−153 mm = 0xFF67) in input registers, 29.1 °C
  3: { ir: [0xff67, 291] },
};

describe.skipIf(!ok)('the gateway reads an independent Modbus server (pymodbus) through its profiles', () => {
  let server: ChildProcess;
  let bus: ModbusBus;
  let poller: DevicePoller;

  beforeAll(async () => {
    const port = await freePort();
    // the Debian interpreter: pymodbus is installed for it, not for the pyenv python3 on PATH
    server = spawn('/usr/bin/python3', [SCRIPT, String(port), JSON.stringify(UNITS)], { stdio: 'ignore' });
    await waitForPort(port, '127.0.0.1', 15_000);
    bus = new ModbusBus({ url: `tcp://127.0.0.1:${port}`, timeoutMs: 1000 });
    await bus.start();
    poller = new DevicePoller({
      buses: { peer: bus },
      devices: [
        { id: 'soil-1', bus: 'peer', unitId: 1, profile: 'soil-rs485-4in1' },
        { id: 'intake-1', bus: 'peer', unitId: 2, profile: 'intake-salinity' },
        { id: 'paddy-1', bus: 'peer', unitId: 3, profile: 'paddy-water-level' },
      ],
    });
  });

  afterAll(async () => {
    await poller?.stop();
    await bus?.stop();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('decodes the values the peer serves', async () => {
    const rs = await poller.pollOnce();
    const v = (sensor: string, metric: string) => rs.find((r) => r.sensor === sensor && r.metric === metric);
    expect(rs.every((r) => r.quality === 'good')).toBe(true);
    expect(v('soil-1', 'soil_moisture')?.value).toBe(41.2);
    expect(v('soil-1', 'soil_temperature')?.value).toBe(-5.2);
    expect(v('soil-1', 'soil_ec')?.value).toBe(1530);
    expect(v('soil-1', 'soil_ph')?.value).toBe(6.8);
    expect(v('intake-1', 'water_ec')?.value).toBe(52_000);
    expect(v('intake-1', 'salinity')?.value).toBe(3.25);
    expect(v('intake-1', 'water_temperature')?.value).toBe(28.7);
    expect(v('paddy-1', 'water_level')).toMatchObject({ value: -15.3, unit: 'cm' });
    expect(v('paddy-1', 'water_temperature')?.value).toBe(29.1);
  });

  it('gets an exception, not a value, for a register the peer does not have', async () => {
    const err = await bus.read(3, 4, 40, 2).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MODBUS_EXCEPTION', fault: 'exception' });
  });
});
