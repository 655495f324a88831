import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from './support/services.js';
import { DevicePoller, ModbusBus, RelayBoard, type SensorFault } from '../edge/modbus/index.js';
import { openPtyPair, startModbusSimulator, type ModbusSimulator, type PtyPair } from '../simulators/modbus/index.js';

const ok = await services.socat();

describe.skipIf(!ok)(
  'the gateway polls simulated sensors across a real serial line (socat PTY pair, Modbus RTU)',
  () => {
    let pty: PtyPair;
    let sim: ModbusSimulator;
    let bus: ModbusBus;
    let poller: DevicePoller;
    const faults: SensorFault[] = [];

    beforeAll(async () => {
      pty = await openPtyPair();
      // two sensors and a relay board share one RS-485 line, as in a field
      sim = await startModbusSimulator({ transport: 'rtu', path: pty.b, baudRate: 9600 }, [
        { unitId: 1, profile: 'soil-rs485-4in1' },
        { unitId: 2, profile: 'paddy-water-level' },
        { unitId: 3, profile: 'relay-board-8ch' },
      ]);
      bus = new ModbusBus({
        url: `rtu://${pty.a}?baud=9600&parity=none&dataBits=8&stopBits=1`,
        timeoutMs: 200,
        retries: 1,
        retryDelayMs: 20,
        slaveBackoff: { baseMs: 100, maxMs: 100 },
      });
      await bus.start();
      poller = new DevicePoller({
        buses: { rs485: bus },
        devices: [
          { id: 'soil-1', bus: 'rs485', unitId: 1, profile: 'soil-rs485-4in1' },
          { id: 'paddy-1', bus: 'rs485', unitId: 2, profile: 'paddy-water-level' },
        ],
      });
      poller.onFault((f) => faults.push(f));
    });

    afterAll(async () => {
      await poller?.stop();
      await bus?.stop();
      await sim?.stop();
      await pty?.close();
    });

    it('reads the documented values over RTU', async () => {
      sim.setValue('water_level', -15.3, 2);
      sim.setValue('soil_temperature', -1.5, 1);
      const rs = await poller.pollOnce();
      expect(bus.connected).toBe(true);
      expect(rs.find((r) => r.metric === 'water_level')).toMatchObject({
        sensor: 'paddy-1',
        value: -15.3,
        unit: 'cm',
        quality: 'good',
      });
      expect(rs.find((r) => r.metric === 'soil_temperature')).toMatchObject({
        sensor: 'soil-1',
        value: -1.5,
        quality: 'good',
      });
      expect(rs.every((r) => r.quality === 'good')).toBe(true);
    });

    it('turns an injected CRC error into bad readings with fault crc', async () => {
      sim.setFault('crc', true, 1);
      const rs = await poller.pollOnce('soil-1');
      sim.clearFaults(1);
      expect(rs.map((r) => [r.quality, r.fault])).toEqual(Array(4).fill(['bad', 'crc']));
      expect(faults.at(-1)).toMatchObject({ sensor: 'soil-1', fault: 'crc' });
      await new Promise((r) => setTimeout(r, 150));
      expect((await poller.pollOnce('soil-1')).every((r) => r.quality === 'good')).toBe(true);
    });

    it('turns a silent sensor into bad readings with fault timeout while its neighbour is still read', async () => {
      sim.setFault('timeout', true, 2);
      const [paddy, soil] = await Promise.all([poller.pollOnce('paddy-1'), poller.pollOnce('soil-1')]);
      sim.clearFaults(2);
      expect(paddy.map((r) => r.fault)).toEqual(['timeout', 'timeout']);
      expect(soil.every((r) => r.quality === 'good')).toBe(true);
      expect(bus.stats().maxInFlight).toBe(1);
    });

    it('reports a reply from the wrong unit id as fault unit_id', async () => {
      await new Promise((r) => setTimeout(r, 150));
      sim.setFault('unit_id', true, 2);
      const rs = await poller.pollOnce('paddy-1');
      sim.clearFaults(2);
      expect(rs.map((r) => r.fault)).toEqual(['unit_id', 'unit_id']);
    });

    it('switches a relay over RTU and reads it back', async () => {
      const relays = new RelayBoard({
        buses: { rs485: bus },
        actuators: [{ id: 'valve-1', bus: 'rs485', unitId: 3, coil: 0 }],
      });
      await relays.set('valve-1', true);
      expect(sim.device(3).coil(0)).toBe(true);
      await relays.closeAll();
      expect(sim.device(3).coil(0)).toBe(false);
    });
  },
);
