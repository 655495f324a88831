import type { Reading } from '../../protocol/schemas/messages.js';
import type { ZoneWeather } from '../../protocol/schemas/weather-rules.js';
import { localTime } from '../control/local-time.js';
import { et0Rate, nextBucket, runMinutesFor, zoneKc, type Et0Source } from './bucket.js';
import { forecastRain } from './forecast-rain.js';
import { addGaugeReading, emptyGauge, rainOverLast, type GaugeMemory } from './rain.js';
import type { ForecastView, StationNow, WeatherHold, WeatherSite, WeatherVerdict, WeatherVerdicts } from './types.js';

const HOUR = 3_600_000;
/** a step longer than this (a gateway that was off) is not integrated: ET of unknown hours is not guessed */
const MAX_STEP_MS = 6 * HOUR;

export interface ZoneWeatherMemory {
  bucketMm: number;
  /** since when the forecast has held this zone dry (for maxHoldHours) */
  forecastSince?: number;
  et0Source?: Et0Source;
}

export interface WeatherState {
  ts: number | null;
  gauges: Record<string, GaugeMemory>;
  zones: Record<string, ZoneWeatherMemory>;
}

export const initialWeatherState = (): WeatherState => ({ ts: null, gauges: {}, zones: {} });

/** What of a zone the weather needs (protocol Zone has more). */
export interface WeatherZone {
  id: string;
  valves: readonly string[];
  weather?: ZoneWeather;
}

export interface WeatherInput {
  now: number;
  readings: readonly Reading[];
  zones: readonly WeatherZone[];
  site: WeatherSite;
  forecast: ForecastView;
  /** valves that were open since the last call (the loop's state before this step) */
  openValves: ReadonlySet<string>;
  /** a rain gauge not read for this long is unknown */
  gaugeStaleMs: number;
  /** the gauge's counter wraps here (u16 of 0.1 mm: 6553.6 mm) */
  gaugeWrapMm?: number;
  /** a weather station's fresh values, if the site has one */
  station?: StationNow;
}

/**
 * One step of the weather: keeps the gauges' rain per hour and each zone's water bucket, and
 * says per zone what the weather allows. Pure: (state, input) → (state, verdicts).
 */
export function advanceWeather(
  prev: WeatherState,
  input: WeatherInput,
): { state: WeatherState; verdicts: WeatherVerdicts } {
  const { now } = input;
  const gauges = { ...prev.gauges };
  const fell: Record<string, number> = {};
  for (const r of input.readings) {
    if (r.metric !== 'rain' || r.quality === 'bad' || r.value === null) continue;
    const { gauge, deltaMm } = addGaugeReading(gauges[r.sensor] ?? emptyGauge(), r.value, r.ts, input.gaugeWrapMm);
    gauges[r.sensor] = gauge;
    fell[r.sensor] = (fell[r.sensor] ?? 0) + deltaMm;
  }
  const dt = prev.ts === null ? 0 : now - prev.ts;
  const integrate = dt > 0 && dt <= MAX_STEP_MS;
  const zones: Record<string, ZoneWeatherMemory> = {};
  const verdicts: WeatherVerdicts = {};
  const date = localTime(now, input.site.timezone).date;
  for (const zone of input.zones) {
    const w = zone.weather;
    if (!w) continue;
    const mem: ZoneWeatherMemory = { bucketMm: 0, ...prev.zones[zone.id] };
    if (w.etBudget && integrate) {
      const et0 = et0Rate(input.site, input.forecast, now, w.etBudget.fallbackEt0MmPerDay, input.station);
      const kc = zoneKc(w, date) ?? 0;
      const hours = dt / HOUR;
      const open = zone.valves.some((v) => input.openValves.has(v));
      const rainMm = w.measuredRain ? (fell[w.measuredRain.sensor] ?? 0) : 0;
      const irrigationMm = open ? w.etBudget.applicationRateMmPerHour * w.etBudget.efficiency * hours : 0;
      mem.bucketMm = nextBucket(
        mem.bucketMm,
        { rainMm, irrigationMm, etcMm: kc * et0.mmPerHour * hours },
        w.etBudget.maxSurplusMm,
      );
      mem.et0Source = et0.source;
    }
    verdicts[zone.id] = zoneVerdict(w, mem, gauges, input);
    zones[zone.id] = mem;
  }
  return { state: { ts: now, gauges, zones }, verdicts };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function zoneVerdict(
  w: ZoneWeather,
  mem: ZoneWeatherMemory,
  gauges: Record<string, GaugeMemory>,
  input: WeatherInput,
): WeatherVerdict {
  const v: WeatherVerdict = w.etBudget ? { bucketMm: round1(mem.bucketMm) } : {};
  const rain = measuredRainHold(w, gauges, input);
  const forecast = rain ? undefined : forecastHold(w, mem, input);
  v.close = rain ?? forecast;
  if (!v.close && w.etBudget) {
    const b = w.etBudget;
    const params = { bucketMm: round1(mem.bucketMm), et0Source: mem.et0Source ?? null };
    if (mem.bucketMm >= 0) {
      // the deficit is refilled: a running sprinkler stops here, a shorter run than its window
      v.close = {
        code: 'weather_deficit_met',
        params,
        reason: `weather: water deficit refilled (bucket ${round1(mem.bucketMm)} mm)`,
      };
    } else if (-mem.bucketMm < b.minDeficitMm) {
      v.noStart = {
        code: 'weather_skip_no_deficit',
        params: { ...params, minDeficitMm: b.minDeficitMm },
        reason: `weather: deficit ${round1(-mem.bucketMm)} mm below ${b.minDeficitMm} mm, no run needed`,
      };
    } else {
      v.bucketMm = round1(mem.bucketMm);
      v.runMinutes = Math.round(runMinutesFor(mem.bucketMm, b.applicationRateMmPerHour, b.efficiency) * 10) / 10;
    }
  }
  if (!v.close) delete v.close;
  return v;
}

function measuredRainHold(
  w: ZoneWeather,
  gauges: Record<string, GaugeMemory>,
  input: WeatherInput,
): WeatherHold | undefined {
  const rule = w.measuredRain;
  if (!rule) return undefined;
  const g = gauges[rule.sensor];
  const mm = g ? rainOverLast(g, rule.hours, input.now, input.gaugeStaleMs) : null;
  // an unread or stale gauge is unknown, and unknown never skips irrigation
  if (mm === null || mm < rule.skipMm) return undefined;
  return {
    code: 'weather_skip_rain',
    params: { rainMm: mm, hours: rule.hours, skipMm: rule.skipMm, sensor: rule.sensor },
    reason: `weather: ${mm} mm of rain in the last ${rule.hours} h ≥ ${rule.skipMm} mm`,
  };
}

function forecastHold(w: ZoneWeather, mem: ZoneWeatherMemory, input: WeatherInput): WeatherHold | undefined {
  const rule = w.forecastRain;
  // a stale or missing forecast is no forecast: it never keeps water off
  if (!rule || !input.forecast.ok) {
    delete mem.forecastSince;
    return undefined;
  }
  const f = forecastRain(input.forecast.forecast, input.now, rule.hours);
  const wet = f.probabilityPct !== null && f.probabilityPct >= rule.probabilityPct && f.mm >= rule.mm;
  if (!wet) {
    delete mem.forecastSince;
    return undefined;
  }
  mem.forecastSince ??= input.now;
  if (input.now - mem.forecastSince > rule.maxHoldHours * HOUR) return undefined;
  return {
    code: 'weather_skip_forecast',
    params: {
      probabilityPct: f.probabilityPct,
      mm: f.mm,
      hours: rule.hours,
      minProbabilityPct: rule.probabilityPct,
      minMm: rule.mm,
    },
    reason: `weather: forecast ${f.probabilityPct}% chance of ${f.mm} mm within ${rule.hours} h`,
  };
}
