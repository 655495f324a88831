import { describe, expect, it } from 'vitest';
import { hours, minutes } from '../lib/time.js';
import { T0, moisture, reading, sprinklerConfig } from '../edge/control/testing.js';
import { executeCommand, initialState, step, type ControlEvent, type LoopState } from '../edge/control/index.js';
import { advanceWeather, initialWeatherState, type WeatherState } from '../edge/weather/tracker.js';
import type { ForecastView } from '../edge/weather/types.js';
import { forecastAt } from '../simulators/weather/index.js';
import type { Reading } from '../protocol/index.js';

const site = { latDeg: 10.03, lonDeg: 105.78, elevationM: 2, timezone: 'Asia/Ho_Chi_Minh' };
const OPTS = { lockoutMinutes: 30, closeHoldMinutes: 60, stopAllHoldMinutes: 720 };
const gauge = (mm: number, ts: number) => reading('gauge1', 'rain', mm, ts);
const noForecast: ForecastView = { ok: false, why: 'none', ageMs: null };

const config = sprinklerConfig({
  maxRunMinutes: 240,
  weather: {
    measuredRain: { sensor: 'gauge1', skipMm: 5, hours: 24 },
    forecastRain: { probabilityPct: 70, mm: 5, hours: 12 },
  },
});

/** The gateway's two pure steps, in the order the shell runs them. */
class Site {
  loop: LoopState = initialState();
  ws: WeatherState = initialWeatherState();
  events: ControlEvent[] = [];
  forecast: ForecastView = noForecast;
  tick(t: number, readings: Reading[]) {
    const open = new Set(
      Object.entries(this.loop.valves)
        .filter(([, v]) => v.open)
        .map(([id]) => id),
    );
    const w = advanceWeather(this.ws, {
      now: t,
      readings,
      zones: config.zones,
      site,
      forecast: this.forecast,
      openValves: open,
      gaugeStaleMs: minutes(30),
    });
    this.ws = w.state;
    const r = step(this.loop, readings, config, t, { ...OPTS, weather: w.verdicts });
    this.loop = r.state;
    this.events.push(...r.events);
    return w.verdicts;
  }
  get open() {
    return this.loop.valves.v2?.open === true;
  }
}

describe('irrigation skips on measured rain', () => {
  it("keeps a dry zone's sprinkler closed after 8 mm in the gauge, says why with a code, and irrigates once the rain is a day old", () => {
    const s = new Site();
    s.tick(T0, [moisture(30, T0), gauge(120, T0)]);
    // a shower over the next two hours: 8 mm, while the topsoil probe still reads dry
    s.tick(T0 + hours(1), [moisture(30, T0 + hours(1)), gauge(124, T0 + hours(1))]);
    s.tick(T0 + hours(2), [moisture(24, T0 + hours(2)), gauge(128, T0 + hours(2))]);
    expect(s.open).toBe(false);
    const blocked = s.events.find((e) => e.kind === 'blocked');
    expect(blocked).toMatchObject({
      zone: 'z2',
      valve: 'v2',
      code: 'weather_skip_rain',
      data: expect.objectContaining({ rainMm: 8, hours: 24, skipMm: 5, sensor: 'gauge1' }),
    });
    let t = T0 + hours(2);
    for (; t < T0 + hours(27); t += minutes(10)) {
      s.tick(t, [moisture(24, t), gauge(128, t)]);
      if (s.open) break;
    }
    // the shower fell in the hours starting T0 and T0+1h: it leaves the 24 h window at T0+26h
    expect(s.open).toBe(true);
    expect(t).toBeGreaterThan(T0 + hours(25));
    expect(t).toBeLessThanOrEqual(T0 + hours(26));
  });

  it("irrigates on light rain below the farmer's limit and on a rain gauge that stopped answering", () => {
    const light = new Site();
    light.tick(T0, [moisture(24, T0), gauge(10, T0)]);
    light.tick(T0 + minutes(5), [moisture(24, T0 + minutes(5)), gauge(13, T0 + minutes(5))]);
    expect(light.open).toBe(true);

    const dead = new Site();
    dead.tick(T0, [moisture(30, T0), gauge(10, T0)]);
    dead.tick(T0 + minutes(5), [moisture(30, T0 + minutes(5)), gauge(30, T0 + minutes(5))]);
    const t = T0 + minutes(40);
    dead.tick(t, [moisture(24, t), { ...gauge(0, t), value: null, quality: 'bad', fault: 'timeout' }]);
    // the last good reading (20 mm of rain) is 35 min old: stale, so unknown, so no skip
    expect(dead.open).toBe(true);
  });

  it('holds off for a forecast shower, irrigates when the forecast goes stale, and a forecast never opens a valve', () => {
    const s = new Site();
    s.forecast = {
      ok: true,
      forecast: {
        ...forecastAt(T0, 24),
        hours: forecastAt(T0, 24).hours.map((h, i) => ({
          ...h,
          precipitationMm: i === 6 ? 12 : 0,
          probabilityPct: i === 6 ? 90 : 10,
        })),
      },
      ageMs: 0,
    };
    s.tick(T0, [moisture(24, T0), gauge(0, T0)]);
    expect(s.open).toBe(false);
    expect(s.events.find((e) => e.kind === 'blocked')).toMatchObject({
      code: 'weather_skip_forecast',
      data: expect.objectContaining({ probabilityPct: 90, mm: 12 }),
    });
    s.forecast = { ok: false, why: 'stale', ageMs: hours(7) };
    s.tick(T0 + minutes(5), [moisture(24, T0 + minutes(5)), gauge(0, T0 + minutes(5))]);
    expect(s.open).toBe(true);

    const wet = new Site();
    wet.forecast = { ok: true, forecast: forecastAt(T0, 24), ageMs: 0 };
    wet.tick(T0, [moisture(30, T0), gauge(0, T0)]);
    expect(wet.open).toBe(false);
    expect(wet.events.some((e) => e.kind === 'valve_opened')).toBe(false);
  });

  it('never stands in the way of a person: a manual open during a rain skip opens the valve', () => {
    const s = new Site();
    s.tick(T0, [moisture(24, T0), gauge(0, T0)]);
    s.tick(T0 + minutes(5), [moisture(24, T0 + minutes(5)), gauge(9, T0 + minutes(5))]);
    expect(s.open).toBe(false);
    const verdicts = s.tick(T0 + minutes(10), [moisture(24, T0 + minutes(10))]);
    const r = executeCommand(
      s.loop,
      { id: 'c1', kind: 'open', valve: 'v2', minutes: 15, issuedAt: T0, expiresAt: T0 + hours(1), by: 'farmer' },
      config,
      T0 + minutes(11),
      { ...OPTS, weather: verdicts },
    );
    expect(r.outcome).toBe('done');
    expect(r.state.valves.v2?.open).toBe(true);
  });
});
