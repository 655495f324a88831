import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModbusBus } from './bus.js';
import { ModbusError } from './errors.js';
import { DevicePoller, type DeviceConfig, type SensorFault, type SensorRecovery } from './poller.js';

/** A bus in memory: register words per unit, or an error to throw, after `latencyMs`. */
function fakeBus(latencyMs = 5) {
  const units = new Map<number, number[] | ModbusError>();
  const calls: { unitId: number; fc: number; address: number; length: number; at: number }[] = [];
  const bus = {
    name: 'fake',
    read: (unitId: number, fc: number, address: number, length: number) => {
      calls.push({ unitId, fc, address, length, at: Date.now() });
      return new Promise<number[]>((resolve, reject) =>
        setTimeout(() => {
          const u = units.get(unitId);
          if (u instanceof ModbusError) reject(u);
          else resolve((u ?? []).slice(address, address + length));
        }, latencyMs),
      );
    },
  };
  return { bus: bus as unknown as ModbusBus, units, calls };
}

const timeout = () => new ModbusError('MODBUS_TIMEOUT', 'no reply from unit 1 on bus fake');

describe('DevicePoller', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 2, 10));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads each device once per interval in one merged request', async () => {
    const { bus, units, calls } = fakeBus();
    units.set(1, [356, 0xff9c, 1200, 65]);
    const poller = new DevicePoller({
      buses: { b: bus },
      devices: [{ id: 'soil-1', bus: 'b', unitId: 1, profile: 'soil-rs485-4in1', pollSeconds: 10 }],
    });
    const seen: number[] = [];
    poller.onReadings((rs) => seen.push(rs.length));
    poller.start();
    await vi.advanceTimersByTimeAsync(35_000);
    await poller.stop();
    expect(seen).toEqual([4, 4, 4, 4]);
    expect(calls.map((c) => [c.fc, c.address, c.length])).toEqual(Array(4).fill([3, 0, 4]));
    expect(calls.map((c) => c.at - calls[0]!.at)).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it('spreads the first polls of many devices instead of firing all at once', async () => {
    const { bus, units, calls } = fakeBus();
    for (let u = 1; u <= 4; u++) units.set(u, [100, 100, 100, 60]);
    const poller = new DevicePoller({
      buses: { b: bus },
      staggerMs: 4000,
      devices: [1, 2, 3, 4].map((u) => ({
        id: `s${u}`,
        bus: 'b',
        unitId: u,
        profile: 'soil-rs485-4in1',
        pollSeconds: 60,
      })),
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(5000);
    await poller.stop();
    expect(calls.map((c) => c.at - calls[0]!.at)).toEqual([0, 1000, 2000, 3000]);
  });

  it('skips ticks while a slow poll is still running instead of piling up', async () => {
    const { bus, units, calls } = fakeBus(2500);
    units.set(1, [1, 1, 1, 60]);
    const poller = new DevicePoller({
      buses: { b: bus },
      devices: [{ id: 's', bus: 'b', unitId: 1, profile: 'soil-rs485-4in1', pollSeconds: 1 }],
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(9_000);
    const stopped = poller.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    await stopped;
    // 1 s interval, 2.5 s per poll: at 0, 2.5, 5 and 7.5 s — never two at once
    expect(calls.map((c) => Math.round((c.at - calls[0]!.at) / 100) * 100)).toEqual([0, 2500, 5000, 7500]);
  });

  it('keeps an out-of-range value but marks it bad and says why', async () => {
    const { bus, units } = fakeBus();
    units.set(1, [1500, 250, 800, 62]);
    const poller = new DevicePoller({
      buses: { b: bus },
      devices: [{ id: 'soil-1', bus: 'b', unitId: 1, profile: 'soil-rs485-4in1' }],
    });
    const faults: SensorFault[] = [];
    poller.onFault((f) => faults.push(f));
    const p = poller.pollOnce();
    await vi.advanceTimersByTimeAsync(10);
    const rs = await p;
    expect(rs[0]).toMatchObject({ metric: 'soil_moisture', value: 150, quality: 'bad', fault: 'out_of_range' });
    expect(rs.slice(1).every((r) => r.quality === 'good')).toBe(true);
    expect(faults).toEqual([
      expect.objectContaining({
        sensor: 'soil-1',
        fault: 'out_of_range',
        metrics: ['soil_moisture'],
        reason: 'soil_moisture 150 %VWC outside 0…100',
      }),
    ]);
  });

  it('never hands out NaN: a float register holding NaN is an out-of-range reading without a value', async () => {
    const { bus, units } = fakeBus();
    units.set(1, [0, 1000, 0x7fc0, 0x0000, 250]);
    const poller = new DevicePoller({
      buses: { b: bus },
      devices: [{ id: 'intake-1', bus: 'b', unitId: 1, profile: 'intake-salinity' }],
    });
    const p = poller.pollOnce();
    await vi.advanceTimersByTimeAsync(10);
    expect((await p).find((r) => r.metric === 'salinity')).toMatchObject({
      value: null,
      quality: 'bad',
      fault: 'out_of_range',
    });
  });

  it('emits a fault once per change and a recovery once, with how long it was down', async () => {
    const { bus, units } = fakeBus();
    const poller = new DevicePoller({
      buses: { b: bus },
      devices: [{ id: 'tube-1', bus: 'b', unitId: 1, profile: 'paddy-water-level', pollSeconds: 60 }],
    });
    const faults: SensorFault[] = [];
    const recoveries: SensorRecovery[] = [];
    poller.onFault((f) => faults.push(f));
    poller.onRecovered((r) => recoveries.push(r));
    units.set(1, timeout());
    poller.start();
    await vi.advanceTimersByTimeAsync(120_100);
    expect(faults.map((f) => f.fault)).toEqual(['timeout']);
    expect(poller.faults()).toHaveLength(1);
    units.set(1, new ModbusError('MODBUS_CRC', 'garbled'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(faults.map((f) => f.fault)).toEqual(['timeout', 'crc']);
    units.set(1, [0xff6a, 290]);
    await vi.advanceTimersByTimeAsync(60_000);
    await poller.stop();
    expect(recoveries).toEqual([expect.objectContaining({ sensor: 'tube-1', downMs: 240_000 })]);
    expect(poller.faults()).toEqual([]);
  });

  it('keeps polling when a listener throws', async () => {
    const { bus, units } = fakeBus();
    units.set(1, [1, 1, 1, 60]);
    const poller = new DevicePoller({
      buses: { b: bus },
      devices: [{ id: 's', bus: 'b', unitId: 1, profile: 'soil-rs485-4in1', pollSeconds: 5 }],
    });
    let n = 0;
    poller.onReadings(() => {
      n++;
      throw new Error('listener bug');
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(11_000);
    await poller.stop();
    expect(n).toBe(3);
  });

  it('refuses a device list that names an unknown bus, repeats an id or has a bad unit id', () => {
    const { bus } = fakeBus();
    const make = (devices: DeviceConfig[]) => () => new DevicePoller({ buses: { b: bus }, devices });
    expect(make([{ id: 's', bus: 'x', profile: 'soil-rs485-4in1' }])).toThrow(/device s: no bus "x"; buses: b/);
    expect(
      make([
        { id: 's', bus: 'b', profile: 'soil-rs485-4in1' },
        { id: 's', bus: 'b', profile: 'soil-rs485-4in1' },
      ]),
    ).toThrow(/used twice/);
    expect(make([{ id: 's', bus: 'b', unitId: 300, profile: 'soil-rs485-4in1' }])).toThrow(
      /unitId: unitId must be 1–247/,
    );
  });
});
