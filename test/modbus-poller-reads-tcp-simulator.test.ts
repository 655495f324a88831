import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/ports.js';
import { Reading } from '../protocol/schemas/messages.js';
import { DevicePoller, ModbusBus, RelayBoard, type SensorFault, type SensorRecovery } from '../edge/modbus/index.js';
import { startModbusSimulator, type ModbusSimulator } from '../simulators/modbus/index.js';

describe('the poller reads simulated sensors over Modbus TCP', () => {
  let sim: ModbusSimulator;
  let bus: ModbusBus;
  let poller: DevicePoller;
  let relays: RelayBoard;
  const coilWrites: [string | undefined, boolean][] = [];

  beforeAll(async () => {
    const port = await freePort();
    sim = await startModbusSimulator({ transport: 'tcp', port }, [
      { unitId: 1, profile: 'soil-rs485-4in1' },
      { unitId: 2, profile: 'intake-salinity' },
      { unitId: 3, profile: 'paddy-water-level' },
      { unitId: 4, profile: 'soil-npk-7in1' },
      { unitId: 9, profile: 'relay-board-8ch', onCoilWrite: (c, on) => coilWrites.push([c.name, on]) },
    ]);
    bus = new ModbusBus({ url: sim.url, timeoutMs: 150, retries: 0, slaveBackoff: { baseMs: 100, maxMs: 100 } });
    await bus.start();
    poller = new DevicePoller({
      buses: { field: bus },
      devices: [
        { id: 'soil-1', bus: 'field', unitId: 1, profile: 'soil-rs485-4in1' },
        { id: 'intake-1', bus: 'field', unitId: 2, profile: 'intake-salinity' },
        { id: 'paddy-1', bus: 'field', unitId: 3, profile: 'paddy-water-level' },
        { id: 'npk-1', bus: 'field', unitId: 4, profile: 'soil-npk-7in1' },
      ],
    });
    relays = new RelayBoard({
      buses: { field: bus },
      actuators: [
        { id: 'intake-gate', bus: 'field', unitId: 9, coil: 'relay5', profile: 'relay-board-8ch', kind: 'intake' },
        { id: 'pump-1', bus: 'field', unitId: 9, coil: 6, kind: 'pump' },
      ],
    });
  });

  afterAll(async () => {
    await poller?.stop();
    await bus?.stop();
    await sim?.stop();
  });

  it('decodes every metric of every profile into valid protocol readings', async () => {
    sim.setValue('soil_temperature', -3.4, 1);
    sim.setValue('water_level', -16.2, 3);
    sim.setValue('salinity', 3.4, 2);
    sim.setValue('water_ec', 52_000, 2);
    const readings = await poller.pollOnce();
    for (const r of readings) expect(Reading.safeParse(r).success).toBe(true);
    const v = (sensor: string, metric: string) => readings.find((r) => r.sensor === sensor && r.metric === metric);
    expect(v('soil-1', 'soil_temperature')).toMatchObject({ value: -3.4, unit: '°C', quality: 'good' });
    expect(v('soil-1', 'soil_moisture')).toMatchObject({ value: 34, unit: '%VWC', quality: 'good' });
    expect(v('paddy-1', 'water_level')).toMatchObject({ value: -16.2, unit: 'cm', quality: 'good' });
    expect(v('intake-1', 'salinity')!.value).toBeCloseTo(3.4, 5);
    expect(v('intake-1', 'water_ec')).toMatchObject({ value: 52_000, unit: 'µS/cm' });
    expect(v('npk-1', 'potassium')).toMatchObject({ value: 130, unit: 'mg/kg' });
    expect(readings).toHaveLength(4 + 3 + 2 + 7);
  });

  it('marks a silent sensor bad, emits one fault and one recovery', async () => {
    const faults: SensorFault[] = [];
    const recoveries: SensorRecovery[] = [];
    const offF = poller.onFault((f) => faults.push(f));
    const offR = poller.onRecovered((r) => recoveries.push(r));
    sim.setFault('timeout', true, 3);
    const bad = await poller.pollOnce('paddy-1');
    expect(bad.every((r) => r.quality === 'bad' && r.fault === 'timeout' && r.value === null)).toBe(true);
    // the neighbours on the same bus are still read
    expect((await poller.pollOnce('soil-1')).every((r) => r.quality === 'good')).toBe(true);
    await poller.pollOnce('paddy-1');
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({
      sensor: 'paddy-1',
      fault: 'timeout',
      metrics: ['water_level', 'water_temperature'],
    });
    sim.setFault('timeout', false, 3);
    await new Promise((r) => setTimeout(r, 120));
    expect((await poller.pollOnce('paddy-1')).every((r) => r.quality === 'good')).toBe(true);
    expect(recoveries).toEqual([expect.objectContaining({ sensor: 'paddy-1' })]);
    offF();
    offR();
  });

  it('reports exception replies, wrong unit ids, garbled replies and out-of-range values as faults', async () => {
    const faultOf = async (fault: 'exception' | 'unit_id' | 'crc' | 'out_of_range', value: number | boolean = true) => {
      sim.setFault(fault, value, 2);
      const rs = await poller.pollOnce('intake-1');
      sim.clearFaults(2);
      await new Promise((r) => setTimeout(r, 120));
      return rs;
    };
    expect((await faultOf('exception', 4)).map((r) => r.fault)).toEqual(['exception', 'exception', 'exception']);
    expect((await faultOf('unit_id')).map((r) => r.fault)).toEqual(['unit_id', 'unit_id', 'unit_id']);
    expect((await faultOf('crc')).map((r) => r.fault)).toEqual(['crc', 'crc', 'crc']);
    const oor = await faultOf('out_of_range');
    expect(oor.map((r) => [r.quality, r.fault])).toEqual([
      ['bad', 'out_of_range'],
      ['bad', 'out_of_range'],
      ['bad', 'out_of_range'],
    ]);
    expect(oor[1]!.value).toBeGreaterThan(60);
  });

  it('serves a stuck value while the stuck fault is on', async () => {
    sim.setValue('soil_moisture', 20, 1);
    sim.setFault('stuck', true, 1);
    sim.setValue('soil_moisture', 40, 1);
    expect((await poller.pollOnce('soil-1')).find((r) => r.metric === 'soil_moisture')!.value).toBe(20);
    sim.clearFaults(1);
    expect((await poller.pollOnce('soil-1')).find((r) => r.metric === 'soil_moisture')!.value).toBe(40);
  });

  it('switches relays, reads them back and closes them all', async () => {
    await relays.set('intake-gate', true);
    await relays.set('pump-1', true);
    expect(await relays.get('intake-gate')).toBe(true);
    expect(sim.device(9).coil(4)).toBe(true);
    const { closed, failed } = await relays.closeAll();
    expect(failed).toEqual([]);
    expect(closed.sort()).toEqual(['intake-gate', 'pump-1']);
    expect(sim.device(9).coil(4)).toBe(false);
    // close-all stops the pump before it shuts the intake: a pump never pushes against a shut valve
    expect(coilWrites).toEqual([
      ['relay5', true],
      ['relay7', true],
      ['relay7', false],
      ['relay5', false],
    ]);
  });

  it('polls on its own interval and hands readings to listeners', async () => {
    const own = new DevicePoller({
      buses: { field: bus },
      devices: [{ id: 'soil-2', bus: 'field', unitId: 1, profile: 'soil-rs485-4in1', pollSeconds: 1 }],
    });
    const batches: Reading[][] = [];
    own.onReadings((rs) => batches.push(rs));
    own.start();
    await new Promise((r) => setTimeout(r, 1300));
    await own.stop();
    expect(batches).toHaveLength(2);
    expect(batches[0]!.map((r) => r.metric)).toEqual(['soil_moisture', 'soil_temperature', 'soil_ec', 'soil_ph']);
  });
});
