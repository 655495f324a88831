import type { GatewayConfig, Reading } from '../../protocol/index.js';
import { step } from '../../edge/control/step.js';
import { initialState } from '../../edge/control/state.js';
import type { ControlEvent } from '../../edge/control/types.js';
import { advanceWeather, initialWeatherState } from '../../edge/weather/tracker.js';
import type { Forecast, WeatherSite } from '../../edge/weather/types.js';
import { advancePaddy, type PaddyParams } from '../field/paddy.js';
import { forecastAt, rainBetween } from './weather-model.js';

/**
 * An AWD paddy (simulators/field/paddy.ts) under the loop, with or without the zone's weather
 * rules, and the forecast of the paddy's own sky: does waiting for a forecast shower save
 * pumping? Sensors `wl1/water_level`, `sal1/salinity` (fresh canal), `gauge1/rain`.
 */
export interface PaddyWeatherOptions {
  config: GatewayConfig;
  start: number;
  durationMs: number;
  tickMs?: number;
  weather: boolean;
  paddy?: Partial<PaddyParams>;
  initialLevelCm?: number;
  pumpKw?: number;
}

export interface PaddyWeatherResult {
  pumpHours: number;
  pumpKwh: number;
  rainMm: number;
  minLevelCm: number;
  events: ControlEvent[];
}

const SITE: WeatherSite = { latDeg: 10.03, lonDeg: 105.78, elevationM: 2, timezone: 'Asia/Ho_Chi_Minh' };

export function runPaddyWeatherLoop(o: PaddyWeatherOptions): PaddyWeatherResult {
  const tick = o.tickMs ?? 10 * 60_000;
  const zone = o.config.zones[0]!;
  const intake = zone.intakeValve ?? zone.valves[0]!;
  const seed = o.paddy?.seed ?? 1;
  let field = { ts: o.start, levelCm: o.initialLevelCm ?? 0 };
  let state = initialState();
  let ws = initialWeatherState();
  let open = false;
  let gauge = 0;
  let issuedAt = -1;
  let issued: Forecast | undefined;
  const r: PaddyWeatherResult = { pumpHours: 0, pumpKwh: 0, rainMm: 0, minLevelCm: Infinity, events: [] };
  for (let t = o.start; t <= o.start + o.durationMs; t += tick) {
    field = advancePaddy(field, t, { intakeOpen: open }, { seed, ...o.paddy });
    const fell = t > o.start ? rainBetween(t - tick, t, { seed, utcOffsetHours: 7 }) : 0;
    gauge += fell;
    r.rainMm += fell;
    if (open) r.pumpHours += tick / 3_600_000;
    r.minLevelCm = Math.min(r.minLevelCm, field.levelCm);
    const readings: Reading[] = [
      {
        sensor: 'wl1',
        metric: 'water_level',
        value: Math.round(field.levelCm * 10) / 10,
        unit: 'cm',
        ts: t,
        quality: 'good',
      },
      { sensor: 'sal1', metric: 'salinity', value: 0.5, unit: 'ppt', ts: t, quality: 'good' },
      { sensor: 'gauge1', metric: 'rain', value: Math.round(gauge * 10) / 10, unit: 'mm', ts: t, quality: 'good' },
    ];
    let weather;
    if (o.weather) {
      const hour = Math.floor(t / 3_600_000) * 3_600_000;
      if (hour !== issuedAt) {
        issuedAt = hour;
        issued = forecastAt(hour, 25, { seed, utcOffsetHours: 7 });
      }
      const w = advanceWeather(ws, {
        now: t,
        readings,
        zones: o.config.zones,
        site: SITE,
        forecast: { ok: true, forecast: issued!, ageMs: t - issuedAt },
        openValves: new Set(open ? [intake] : []),
        gaugeStaleMs: 30 * 60_000,
      });
      ws = w.state;
      weather = w.verdicts;
    }
    const s = step(state, readings, o.config, t, {
      lockoutMinutes: 30,
      closeHoldMinutes: 60,
      stopAllHoldMinutes: 720,
      ...(weather ? { weather } : {}),
    });
    state = s.state;
    for (const c of s.commands) if (c.actuator === intake) open = c.on;
    r.events.push(...s.events);
  }
  r.pumpKwh = r.pumpHours * (o.pumpKw ?? 0);
  return r;
}
