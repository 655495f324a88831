import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../lib/ports.js';
import { Gateway } from '../edge/gateway.js';
import { parseGatewayFile } from '../edge/config.js';
import type { ControlEvent } from '../edge/control/index.js';
import { startModbusSimulator } from '../simulators/modbus/index.js';
import { until as waitUntil } from './support/wait.js';

const until = <T>(what: string, fn: () => T | undefined | false) => waitUntil(what, fn, 15_000, 50);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../edge/weather/fixtures/${name}`, import.meta.url), 'utf8')) as {
    hourly: { time: number[] };
  };

/**
 * Serves a recorded Open-Meteo response re-stamped to the test's clock: its shower (16 March,
 * stamps 08–11 UTC) lands `showerInHours` from now; 'down' answers 503.
 */
async function forecastServer(answer: 'rain' | 'dry' | 'down', showerInHours = 3) {
  const body = fixture(
    answer === 'dry' ? 'open-meteo-can-tho-dry-2026-03-15.json' : 'open-meteo-can-tho-rain-2026-03-15.json',
  );
  const shower = Date.UTC(2026, 2, 16, 7) / 1000;
  const shift = Math.floor(Date.now() / 3_600_000) * 3600 + showerInHours * 3600 - shower;
  body.hourly.time = body.hourly.time.map((t) => t + shift);
  const port = await freePort();
  const server = http.createServer((_req, res) =>
    answer === 'down'
      ? res.writeHead(503).end()
      : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
  );
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${port}/v1/forecast`;
}

async function gateway(forecastUrl: string) {
  const port = await freePort();
  const sim = await startModbusSimulator({ transport: 'tcp', port }, [
    { unitId: 1, profile: 'soil-rs485-4in1' },
    { unitId: 9, profile: 'relay-board-8ch' },
  ]);
  cleanups.push(() => sim.stop());
  sim.setValue('soil_moisture', 31, 1);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-forecast-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const file = parseGatewayFile(
    {
      gatewayId: 'gw-forecast',
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      dataDir,
      buses: [{ id: 'field', url: sim.url, timeoutMs: 300, retries: 0 }],
      devices: [
        { id: 'soil-1', bus: 'field', unitId: 1, profile: 'soil-rs485-4in1', pollSeconds: 1 },
        { id: 'relays', bus: 'field', unitId: 9, profile: 'relay-board-8ch', poll: false },
      ],
      actuators: [{ id: 'v1', device: 'relays', coil: 'relay1' }],
      weather: { latDeg: 10.03, lonDeg: 105.78, forecast: { url: forecastUrl, timeoutMs: 2000 } },
      initialConfig: {
        version: 1,
        zones: [
          {
            id: 'veg',
            mode: 'threshold',
            valves: ['v1'],
            sensors: { soilMoisture: { sensor: 'soil-1', metric: 'soil_moisture' } },
            threshold: { refillPct: 25, fieldCapacityPct: 35, minOffMinutes: 0 },
            weather: { forecastRain: { probabilityPct: 70, mm: 5, hours: 12 } },
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
  return { gw, sim, events, dataDir };
}

describe('a sprinkler waits for forecast rain, from an Open-Meteo-format server', () => {
  it('keeps a dry zone closed while a shower of 14.5 mm at 85 % is forecast within 12 h', async () => {
    const { gw, sim, events, dataDir } = await gateway(await forecastServer('rain'));
    await until('the forecast to be cached', () => existsSync(path.join(dataDir, 'forecast.json')));
    sim.setValue('soil_moisture', 19, 1);
    const blocked = await until('the forecast skip', () =>
      events.find((e) => e.kind === 'blocked' && e.code === 'weather_skip_forecast'),
    );
    expect(blocked.data).toMatchObject({ probabilityPct: 85, mm: 14.5, hours: 12 });
    expect(gw.state.latest['soil-1/soil_moisture']?.value).toBe(19);
    expect(gw.state.valves.v1?.open).toBe(false);
    expect(sim.device(9).coil(0)).toBe(false);
  });

  it('irrigates as usual when the forecast is dry, and when the forecast server is down', async () => {
    for (const answer of ['dry', 'down'] as const) {
      const { sim, events } = await gateway(await forecastServer(answer));
      sim.setValue('soil_moisture', 19, 1);
      await until(`the valve to open (${answer})`, () => sim.device(9).coil(0));
      expect(events.some((e) => e.code?.startsWith('weather_'))).toBe(false);
      for (const c of cleanups.splice(0).reverse()) await c();
    }
  });
});
