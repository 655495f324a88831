import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayConfig } from '../../protocol/index.js';
import { WeatherFileConfig } from './config.js';
import { GatewayWeather } from './gateway-weather.js';

const T0 = Date.UTC(2026, 2, 15, 1); // 08:00 local
const H = 3_600_000;
const file = WeatherFileConfig.parse({ latDeg: 10.03, lonDeg: 105.78, forecast: false });
const config = (weather: unknown) =>
  GatewayConfig.parse({
    version: 1,
    zones: [
      {
        id: 'veg',
        mode: 'schedule',
        valves: ['v1'],
        schedule: { windows: [{ start: '05:00', end: '06:00' }] },
        weather,
      },
    ],
  });
const budget = config({ kc: 1, etBudget: { applicationRateMmPerHour: 8 } });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'gw-weather-'));
  dirs.push(d);
  return d;
};

describe('GatewayWeather', () => {
  it('keeps the zone buckets over a restart', async () => {
    const dir = tmp();
    const clock = { now: () => T0 + 8 * H };
    const a = new GatewayWeather(file, dir, clock);
    for (let h = 0; h <= 8; h++) a.advance([], new Set(), budget, T0 + h * H);
    const before = a.last.veg!.bucketMm!;
    expect(before).toBeLessThan(-2);
    await a.stop();
    const b = new GatewayWeather(file, dir, clock);
    expect(b.advance([], new Set(), budget, T0 + 8 * H + 60_000).veg!.bucketMm).toBeCloseTo(before, 0);
  });

  it('starts afresh from a saved state that is not one', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'weather-state.json'), '{"zones": {"veg": {"bucketMm": "lots"}}}');
    const w = new GatewayWeather(file, dir, { now: () => T0 });
    expect(w.advance([], new Set(), budget, T0).veg).toEqual({
      bucketMm: 0,
      close: expect.objectContaining({ code: 'weather_deficit_met' }),
    });
  });

  it('gives no verdicts, instead of failing the loop, when the weather step itself fails', () => {
    const w = new GatewayWeather(file, tmp(), { now: () => T0 });
    const broken = config({
      crop: { kind: 'tomato', plantedOn: '2026-03-01' },
      etBudget: { applicationRateMmPerHour: 8 },
    });
    (broken.zones[0]!.weather!.crop as { kind: string }).kind = 'durian';
    w.advance([], new Set(), broken, T0);
    expect(w.advance([], new Set(), broken, T0 + H)).toEqual({});
  });
});

describe('GatewayWeather with a weather station', () => {
  it("feeds the station's fresh readings to ET₀ and forgets them once stale", () => {
    const withStation = WeatherFileConfig.parse({
      latDeg: 10.03,
      lonDeg: 105.78,
      forecast: false,
      gaugeStaleMinutes: 30,
      station: { devices: ['ws-1'] },
    });
    const w = new GatewayWeather(withStation, tmp(), { now: () => T0 });
    const r = (metric: string, value: number, ts: number, unit = '') => ({
      sensor: 'ws-1',
      metric,
      value,
      unit,
      ts,
      quality: 'good' as const,
    });
    const at = T0 + 3 * H; // 11:00 local
    const all = [
      r('air_temperature', 33, at),
      r('air_humidity', 55, at),
      r('wind_speed', 2.5, at),
      r('solar_radiation', 800, at),
    ];
    w.advance(all, new Set(), budget, at);
    w.advance([], new Set(), budget, at + 10 * 60_000);
    expect(w.last.veg?.noStart?.params.et0Source ?? w.last.veg?.close?.params.et0Source).toBe('station');
    w.advance([], new Set(), budget, at + 40 * 60_000);
    expect(w.last.veg?.noStart?.params.et0Source ?? w.last.veg?.close?.params.et0Source).toBe('fallback');
  });
});
