import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/ports.js';
import { services } from './support/services.js';
import { startModbusSimulator, type ModbusSimulator } from '../simulators/modbus/index.js';

const ok = await services.mbpoll();
const run = promisify(execFile);

/** mbpoll prints one "[ref]: value" line per register or coil. */
async function mbpoll(port: number, args: string[]): Promise<Map<number, string>> {
  const { stdout } = await run('mbpoll', ['-m', 'tcp', '-p', String(port), '-1', '-t', ...args, '127.0.0.1'], {
    timeout: 10_000,
  });
  return new Map([...stdout.matchAll(/^\[(\d+)\]:\s+(.+)$/gm)].map((m) => [Number(m[1]), m[2]!.trim()]));
}

describe.skipIf(!ok)('an independent Modbus client (mbpoll) reads our simulator and gets the documented values', () => {
  let sim: ModbusSimulator;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    sim = await startModbusSimulator({ transport: 'tcp', port }, [
      { unitId: 1, profile: 'soil-rs485-4in1' },
      { unitId: 2, profile: 'intake-salinity' },
      { unitId: 3, profile: 'paddy-water-level' },
      { unitId: 4, profile: 'relay-board-8ch' },
    ]);
    sim.setValue('soil_moisture', 35.6, 1);
    sim.setValue('soil_temperature', -10, 1);
    sim.setValue('soil_ec', 1200, 1);
    sim.setValue('soil_ph', 6.5, 1);
    sim.setValue('water_ec', 52_000, 2);
    sim.setValue('salinity', 3.5, 2);
    sim.setValue('water_level', -15, 3);
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('serves the soil sensor map at holding registers 40001–40004 (1-based, mbpoll default)', async () => {
    const regs = await mbpoll(port, ['4', '-a', '1', '-r', '1', '-c', '4']);
    // 35.6 %VWC ×0.1 → 356; −10.0 °C signed ×0.1 → −100; 1200 µS/cm; pH 6.5 ×0.1 → 65
    expect([...regs.entries()]).toEqual([
      [1, '356'],
      [2, '65436 (-100)'],
      [3, '1200'],
      [4, '65'],
    ]);
  });

  it('is the same register with PDU (0-based) addressing: -0 -r 0', async () => {
    const regs = await mbpoll(port, ['4', '-0', '-a', '1', '-r', '0', '-c', '1']);
    expect(regs.get(0)).toBe('356');
  });

  it('serves 32-bit EC and float salinity with the high word first', async () => {
    expect((await mbpoll(port, ['4:int', '-B', '-a', '2', '-r', '1', '-c', '1'])).get(1)).toBe('52000');
    expect((await mbpoll(port, ['4:float', '-B', '-a', '2', '-r', '3', '-c', '1'])).get(3)).toBe('3.5');
  });

  it('serves the water level as a signed input register in mm', async () => {
    expect((await mbpoll(port, ['3', '-a', '3', '-r', '1', '-c', '1'])).get(1)).toBe('65386 (-150)');
  });

  it('switches a relay coil written by mbpoll', async () => {
    await run('mbpoll', ['-m', 'tcp', '-p', String(port), '-1', '-t', '0', '-a', '4', '-r', '3', '127.0.0.1', '1'], {
      timeout: 10_000,
    });
    expect(sim.device(4).coil(2)).toBe(true);
    expect([...(await mbpoll(port, ['0', '-a', '4', '-r', '1', '-c', '4'])).values()]).toEqual(['0', '0', '1', '0']);
  });
});
