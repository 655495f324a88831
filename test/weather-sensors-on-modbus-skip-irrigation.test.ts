import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/ports.js';
import { Reading } from '../protocol/index.js';
import { Gateway } from '../edge/gateway.js';
import { parseGatewayFile } from '../edge/config.js';
import type { ControlEvent } from '../edge/control/index.js';
import { DevicePoller, ModbusBus } from '../edge/modbus/index.js';
import { startModbusSimulator, type ModbusSimulator } from '../simulators/modbus/index.js';
import { anemometerValues, rainGaugeValues } from '../simulators/weather/index.js';
import { until as waitUntil } from './support/wait.js';

const until = <T>(what: string, fn: () => T | undefined | false) => waitUntil(what, fn, 15_000, 50);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function weatherSite() {
  const gauge = rainGaugeValues(Date.now(), { model: null, startTotalMm: 812.4 });
  const port = await freePort();
  const sim: ModbusSimulator = await startModbusSimulator({ transport: 'tcp', port }, [
    { unitId: 1, profile: 'soil-rs485-4in1' },
    { unitId: 5, profile: 'rain-gauge-rs485', values: gauge.values },
    { unitId: 6, profile: 'anemometer-rs485', values: anemometerValues() },
    { unitId: 9, profile: 'relay-board-8ch' },
  ]);
  cleanups.push(() => sim.stop());
  return { sim, gauge };
}

describe('a rain gauge and an anemometer on the Modbus bus', () => {
  it('are read by the poller from their shipped profiles into valid readings in canonical units', async () => {
    const { sim, gauge } = await weatherSite();
    const bus = new ModbusBus({ url: sim.url, timeoutMs: 300, retries: 0 });
    await bus.start();
    cleanups.push(() => bus.stop());
    const poller = new DevicePoller({
      buses: { field: bus },
      devices: [
        { id: 'gauge-1', bus: 'field', unitId: 5, profile: 'rain-gauge-rs485' },
        { id: 'wind-1', bus: 'field', unitId: 6, profile: 'anemometer-rs485' },
      ],
    });
    cleanups.push(() => poller.stop());
    sim.setValue('wind_speed', 6.4, 6);
    sim.setValue('wind_direction', 225, 6);
    const first = await poller.pollOnce();
    for (const r of first) expect(Reading.safeParse(r).success).toBe(true);
    const v = (rs: Reading[], metric: string) => rs.find((r) => r.metric === metric);
    expect(v(first, 'rain')).toMatchObject({ sensor: 'gauge-1', value: 812.4, unit: 'mm', quality: 'good' });
    expect(v(first, 'rain_rate')).toMatchObject({ value: 0, unit: 'mm/h' });
    expect(v(first, 'wind_speed')).toMatchObject({ sensor: 'wind-1', value: 6.4, unit: 'm/s', quality: 'good' });
    expect(v(first, 'wind_direction')).toMatchObject({ value: 225, unit: '°' });
    gauge.pour(3.1); // 15 tips of 0.2 mm = 3.0 mm; the rest waits for the next tip
    expect(v(await poller.pollOnce('gauge-1'), 'rain')!.value).toBeCloseTo(815.4, 5);
  });

  it("keep a dry zone's sprinkler off through the gateway once 8 mm fell, with the code on the event, and record the wind", async () => {
    const { sim, gauge } = await weatherSite();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-weather-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    sim.setValue('soil_moisture', 31, 1);
    const file = parseGatewayFile(
      {
        gatewayId: 'gw-weather',
        mqtt: { url: 'mqtt://127.0.0.1:1' },
        dataDir,
        buses: [{ id: 'field', url: sim.url, timeoutMs: 300, retries: 0 }],
        devices: [
          { id: 'soil-1', bus: 'field', unitId: 1, profile: 'soil-rs485-4in1', pollSeconds: 1 },
          { id: 'gauge-1', bus: 'field', unitId: 5, profile: 'rain-gauge-rs485', pollSeconds: 1 },
          { id: 'wind-1', bus: 'field', unitId: 6, profile: 'anemometer-rs485', pollSeconds: 1 },
          { id: 'relays', bus: 'field', unitId: 9, profile: 'relay-board-8ch', poll: false },
        ],
        actuators: [{ id: 'v1', device: 'relays', coil: 'relay1' }],
        weather: { latDeg: 10.03, lonDeg: 105.78, forecast: false },
        initialConfig: {
          version: 1,
          zones: [
            {
              id: 'veg',
              mode: 'threshold',
              valves: ['v1'],
              sensors: { soilMoisture: { sensor: 'soil-1', metric: 'soil_moisture' } },
              threshold: { refillPct: 25, fieldCapacityPct: 35, minOffMinutes: 0 },
              weather: { measuredRain: { sensor: 'gauge-1', skipMm: 5, hours: 24 } },
            },
          ],
        },
        loop: { intervalMs: 200 },
      },
      'test',
      dataDir,
      {},
    );
    const gw = new Gateway(file, { uplink: null });
    const events: ControlEvent[] = [];
    gw.on('event', (e) => events.push(e));
    await gw.start();
    cleanups.push(() => gw.stop());
    await until('the first gauge reading', () => gw.state.latest['gauge-1/rain']?.value === 812.4);
    gauge.pour(8);
    await until('the gauge to count 8 mm', () => gw.state.latest['gauge-1/rain']?.value === 820.4);
    sim.setValue('soil_moisture', 19.5, 1);
    const blocked = await until('the weather skip', () =>
      events.find((e) => e.kind === 'blocked' && e.code === 'weather_skip_rain'),
    );
    expect(blocked).toMatchObject({
      zone: 'veg',
      valve: 'v1',
      data: expect.objectContaining({ rainMm: 8, hours: 24, skipMm: 5 }),
    });
    expect(gw.state.latest['soil-1/soil_moisture']?.value).toBe(19.5);
    expect(gw.state.valves.v1?.open).toBe(false);
    expect(sim.device(9).coil(0)).toBe(false);
    expect(events.some((e) => e.kind === 'valve_opened')).toBe(false);
    // measured wind is a reading like any other: it goes up in telemetry for spray approvals
    expect(gw.state.latest['wind-1/wind_speed']).toMatchObject({ quality: 'good' });
    expect(gw.state.latest['wind-1/wind_direction']?.value).toBeGreaterThanOrEqual(0);
  });
});
