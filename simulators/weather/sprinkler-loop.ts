import type { GatewayConfig, Reading } from '../../protocol/index.js';
import { step } from '../../edge/control/step.js';
import { initialState } from '../../edge/control/state.js';
import type { ControlEvent, LoopOptions } from '../../edge/control/types.js';
import { advanceWeather, initialWeatherState } from '../../edge/weather/tracker.js';
import type { Forecast, ForecastView, WeatherSite } from '../../edge/weather/types.js';
import { advanceSoil, type SoilParams } from '../field/soil.js';
import { WEATHER_DEFAULTS, forecastAt, rainBetween } from './weather-model.js';

/**
 * The loop and the weather rules closed around a sprinkler zone's soil, with no bus in between:
 * a season in milliseconds. Sensors: `soil1/soil_moisture` and `gauge1/rain` (cumulative mm).
 * `weather: false` runs the same season with the zones' weather blocks ignored.
 */
export interface SprinklerLoopOptions {
  config: GatewayConfig;
  start: number;
  durationMs: number;
  tickMs?: number;
  weather: boolean;
  /** the forecast the gateway has at t: the model's own (default), none, or one of your own */
  forecast?: 'model' | 'none' | ((t: number) => ForecastView);
  /** forecast rain that never comes, per hour start */
  falseAlarm?: (hourStart: number) => boolean;
  soil?: Partial<SoilParams>;
  initialMoisturePct?: number;
  loop?: LoopOptions;
  /** pump power, kW, for the energy figure */
  pumpKw?: number;
  /** soil moisture below which the crop counts as stressed (default: the zone's refill point, else 20 %) */
  stressBelowPct?: number;
}

export interface SprinklerLoopResult {
  valveOpenHours: number;
  waterM3: number;
  pumpKwh: number;
  rainMm: number;
  minMoisturePct: number;
  /** hours the soil spent below `stressBelowPct` */
  hoursStressed: number;
  events: ControlEvent[];
  opens: number;
}

const SITE: WeatherSite = { latDeg: 10.03, lonDeg: 105.78, elevationM: 2, timezone: 'Asia/Ho_Chi_Minh' };

export function runSprinklerLoop(o: SprinklerLoopOptions): SprinklerLoopResult {
  const tick = o.tickMs ?? 5 * 60_000;
  const zone = o.config.zones[0]!;
  const valve = zone.valves[0]!;
  const soilParams: Partial<SoilParams> = { seed: WEATHER_DEFAULTS.seed, ...o.soil };
  let soil = { ts: o.start, moisturePct: o.initialMoisturePct ?? 30 };
  let state = initialState();
  let ws = initialWeatherState();
  let gauge = 0;
  let open = false;
  let issuedAt = -1;
  let issued: Forecast | undefined;
  const r: SprinklerLoopResult = {
    valveOpenHours: 0,
    waterM3: 0,
    pumpKwh: 0,
    rainMm: 0,
    minMoisturePct: Infinity,
    hoursStressed: 0,
    events: [],
    opens: 0,
  };
  const stress = o.stressBelowPct ?? zone.threshold?.refillPct ?? 20;
  for (let t = o.start; t <= o.start + o.durationMs; t += tick) {
    soil = advanceSoil(soil, t, open, soilParams);
    const fell = t > o.start ? rainBetween(t - tick, t, { seed: soilParams.seed ?? 1, utcOffsetHours: 7 }) : 0;
    gauge += fell;
    r.rainMm += fell;
    if (open) r.valveOpenHours += tick / 3_600_000;
    r.minMoisturePct = Math.min(r.minMoisturePct, soil.moisturePct);
    if (soil.moisturePct < stress) r.hoursStressed += tick / 3_600_000;
    const readings: Reading[] = [
      {
        sensor: 'soil1',
        metric: 'soil_moisture',
        value: Math.round(soil.moisturePct * 10) / 10,
        unit: '%VWC',
        ts: t,
        quality: 'good',
      },
      { sensor: 'gauge1', metric: 'rain', value: Math.round(gauge * 10) / 10, unit: 'mm', ts: t, quality: 'good' },
    ];
    let opts = o.loop;
    if (o.weather) {
      // a forecast service refreshes hourly: the model's forecast is issued once an hour too
      if (o.forecast === undefined || o.forecast === 'model') {
        const hour = Math.floor(t / 3_600_000) * 3_600_000;
        if (hour !== issuedAt) {
          issuedAt = hour;
          issued = forecastAt(hour, 25, { seed: soilParams.seed ?? 1, utcOffsetHours: 7 }, o.falseAlarm);
        }
      }
      const forecast: ForecastView =
        typeof o.forecast === 'function'
          ? o.forecast(t)
          : o.forecast === 'none'
            ? { ok: false, why: 'none', ageMs: null }
            : { ok: true, forecast: issued!, ageMs: t - issuedAt };
      const w = advanceWeather(ws, {
        now: t,
        readings,
        zones: o.config.zones,
        site: SITE,
        forecast,
        openValves: new Set(open ? [valve] : []),
        gaugeStaleMs: 30 * 60_000,
      });
      ws = w.state;
      opts = {
        ...(o.loop ?? { lockoutMinutes: 30, closeHoldMinutes: 60, stopAllHoldMinutes: 720 }),
        weather: w.verdicts,
      };
    }
    const s = step(state, readings, o.config, t, opts);
    state = s.state;
    for (const c of s.commands)
      if (c.actuator === valve) {
        if (c.on && !open) r.opens++;
        open = c.on;
      }
    r.events.push(...s.events);
  }
  r.waterM3 = r.valveOpenHours * (zone.flowM3PerHour ?? 0);
  r.pumpKwh = r.valveOpenHours * (o.pumpKw ?? 0);
  return r;
}
