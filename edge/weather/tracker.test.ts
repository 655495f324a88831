import { describe, expect, it } from 'vitest';
import type { Reading } from '../../protocol/schemas/messages.js';
import { ZoneWeather, type ZoneWeatherInput } from '../../protocol/schemas/weather-rules.js';
import { advanceWeather, initialWeatherState, type WeatherInput, type WeatherState } from './tracker.js';
import type { Forecast, ForecastView } from './types.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 15, 23); // 06:00 local (UTC+7)
const site = { latDeg: 10.03, lonDeg: 105.78, elevationM: 2, timezone: 'Asia/Ho_Chi_Minh' };
const none: ForecastView = { ok: false, why: 'none', ageMs: null };

const rain = (total: number, ts: number, quality: 'good' | 'bad' = 'good'): Reading => ({
  sensor: 'gauge-1',
  metric: 'rain',
  value: quality === 'good' ? total : null,
  unit: 'mm',
  ts,
  quality,
});

function zone(w: ZoneWeatherInput) {
  return { id: 'veg', valves: ['v1'], weather: ZoneWeather.parse(w) };
}

function run(
  w: ZoneWeatherInput,
  steps: { at: number; readings?: Reading[]; open?: boolean; forecast?: ForecastView }[],
  state: WeatherState = initialWeatherState(),
) {
  const z = zone(w);
  let out = { state, verdicts: {} as ReturnType<typeof advanceWeather>['verdicts'] };
  for (const s of steps) {
    const input: WeatherInput = {
      now: s.at,
      readings: s.readings ?? [],
      zones: [z],
      site,
      forecast: s.forecast ?? none,
      openValves: new Set(s.open ? ['v1'] : []),
      gaugeStaleMs: 2 * H,
    };
    out = advanceWeather(out.state, input);
  }
  return out;
}

function wetForecast(at: number, probabilityPct: number, mmPerHour: number): ForecastView {
  const hours = Array.from({ length: 24 }, (_, i) => ({
    ts: at + i * H,
    precipitationMm: i >= 3 && i < 6 ? mmPerHour : 0,
    probabilityPct: i >= 3 && i < 6 ? probabilityPct : 5,
    tC: 30,
    rhPct: 70,
    windMs: 2,
    solarWm2: 400,
  }));
  const forecast: Forecast = { provider: 'test', latDeg: 10, lonDeg: 105.8, elevationM: 2, fetchedAt: at, hours };
  return { ok: true, forecast, ageMs: 0 };
}

describe('advanceWeather', () => {
  it("skips on measured rain at or above the farmer's limit, with the code and its params", () => {
    const { verdicts } = run({ measuredRain: { sensor: 'gauge-1', skipMm: 5, hours: 24 } }, [
      { at: T0, readings: [rain(100, T0)] },
      { at: T0 + H, readings: [rain(106.2, T0 + H)] },
    ]);
    expect(verdicts.veg!.close).toEqual({
      code: 'weather_skip_rain',
      params: { rainMm: 6.2, hours: 24, skipMm: 5, sensor: 'gauge-1' },
      reason: expect.stringContaining('6.2 mm of rain'),
    });
  });

  it('lets irrigation run on less rain, on a bad gauge reading and on a gauge gone stale', () => {
    const w = { measuredRain: { sensor: 'gauge-1', skipMm: 5, hours: 24 } };
    expect(
      run(w, [
        { at: T0, readings: [rain(100, T0)] },
        { at: T0 + H, readings: [rain(103, T0 + H)] },
      ]).verdicts.veg!.close,
    ).toBeUndefined();
    expect(run(w, [{ at: T0, readings: [rain(100, T0, 'bad')] }]).verdicts.veg!.close).toBeUndefined();
    const stale = run(w, [
      { at: T0, readings: [rain(100, T0)] },
      { at: T0 + H, readings: [rain(120, T0 + H)] },
      { at: T0 + 4 * H },
    ]);
    expect(stale.verdicts.veg!.close).toBeUndefined();
  });

  it('skips on a forecast of rain above both thresholds, never on a missing or stale forecast', () => {
    const w = { forecastRain: { probabilityPct: 70, mm: 5, hours: 12 } };
    expect(run(w, [{ at: T0, forecast: wetForecast(T0, 80, 3) }]).verdicts.veg!.close).toMatchObject({
      code: 'weather_skip_forecast',
      params: { probabilityPct: 80, mm: 9, hours: 12 },
    });
    expect(run(w, [{ at: T0, forecast: wetForecast(T0, 60, 3) }]).verdicts.veg!.close).toBeUndefined();
    expect(run(w, [{ at: T0, forecast: wetForecast(T0, 90, 1) }]).verdicts.veg!.close).toBeUndefined();
    expect(
      run(w, [{ at: T0, forecast: { ok: false, why: 'stale', ageMs: 9 * H } }]).verdicts.veg!.close,
    ).toBeUndefined();
  });

  it('stops believing a forecast that keeps promising rain after maxHoldHours', () => {
    const w = { forecastRain: { probabilityPct: 70, mm: 5, hours: 12, maxHoldHours: 6 } };
    const steps = Array.from({ length: 8 }, (_, i) => ({ at: T0 + i * H, forecast: wetForecast(T0 + i * H, 90, 3) }));
    expect(run(w, steps.slice(0, 6)).verdicts.veg!.close?.code).toBe('weather_skip_forecast');
    expect(run(w, steps).verdicts.veg!.close).toBeUndefined();
  });

  it('draws the bucket down by Kc × ET₀ and starts a run only past the minimum deficit', () => {
    const w = {
      kc: 1,
      etBudget: { applicationRateMmPerHour: 8, efficiency: 0.75, minDeficitMm: 2, fallbackEt0MmPerDay: 5 },
    };
    const morning = run(w, [{ at: T0 }, { at: T0 + 2 * H }]);
    expect(morning.verdicts.veg!.noStart?.code).toBe('weather_skip_no_deficit');
    const day = run(
      w,
      Array.from({ length: 13 }, (_, i) => ({ at: T0 + i * H })),
    );
    expect(day.verdicts.veg!.bucketMm).toBeCloseTo(-5, 1);
    expect(day.verdicts.veg!.runMinutes).toBeCloseTo(50, 0);
    expect(day.verdicts.veg!.close).toBeUndefined();
  });

  it('ends a run once the sprinkler has refilled the deficit (a shortened run)', () => {
    const w = { kc: 1, etBudget: { applicationRateMmPerHour: 8, efficiency: 0.75, fallbackEt0MmPerDay: 5 } };
    const dry = run(
      w,
      Array.from({ length: 13 }, (_, i) => ({ at: T0 + i * H })),
    );
    const t = T0 + 12 * H;
    const steps = Array.from({ length: 12 }, (_, i) => ({ at: t + (i + 1) * 5 * 60_000, open: true }));
    const after = run(w, steps, dry.state);
    expect(after.verdicts.veg!.close).toMatchObject({ code: 'weather_deficit_met' });
  });

  it('counts measured rain into the bucket, so rain shortens the next run', () => {
    const w = {
      kc: 1,
      measuredRain: { sensor: 'gauge-1', skipMm: 50, hours: 24 },
      etBudget: { applicationRateMmPerHour: 8, efficiency: 0.75, fallbackEt0MmPerDay: 5 },
    };
    const steps = Array.from({ length: 13 }, (_, i) => ({
      at: T0 + i * H,
      readings: [rain(i === 12 ? 3 : 0, T0 + i * H)],
    }));
    expect(run(w, steps).verdicts.veg!.bucketMm).toBeCloseTo(-2, 1);
  });

  it('does not guess the ET of hours the gateway was off', () => {
    const w = { kc: 1, etBudget: { applicationRateMmPerHour: 8, fallbackEt0MmPerDay: 5 } };
    expect(run(w, [{ at: T0 }, { at: T0 + 30 * H }]).state.zones.veg!.bucketMm).toBe(0);
  });
});
