import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/ports.js';
import { DevicePoller, ModbusBus } from '../edge/modbus/index.js';
import { startModbusSimulator, type ModbusSimulator } from '../simulators/modbus/index.js';

describe('a Modbus TCP bus whose device restarts', () => {
  let sim: ModbusSimulator | undefined;
  let bus: ModbusBus | undefined;

  afterAll(async () => {
    await bus?.stop();
    await sim?.stop();
  });

  it('reports disconnected readings while it is gone and reconnects by itself', async () => {
    const port = await freePort();
    const start = () => startModbusSimulator({ transport: 'tcp', port }, { unitId: 1, profile: 'paddy-water-level' });
    sim = await start();
    bus = new ModbusBus({ url: `tcp://127.0.0.1:${port}`, timeoutMs: 300, reconnect: { baseMs: 100, maxMs: 400 } });
    await bus.start();
    const poller = new DevicePoller({
      buses: { b: bus },
      devices: [{ id: 'tube-1', bus: 'b', unitId: 1, profile: 'paddy-water-level' }],
    });
    expect((await poller.pollOnce()).every((r) => r.quality === 'good')).toBe(true);

    const dropped = new Promise((r) => bus!.once('disconnected', r));
    await sim.stop();
    await dropped;
    const gone = await poller.pollOnce();
    expect(gone.map((r) => [r.quality, r.fault])).toEqual([
      ['bad', 'disconnected'],
      ['bad', 'disconnected'],
    ]);

    const back = new Promise((r) => bus!.once('connected', r));
    sim = await start();
    await back;
    expect((await poller.pollOnce()).every((r) => r.quality === 'good')).toBe(true);
    expect(bus.stats().reconnects).toBeGreaterThan(0);
  });
});
