import { describe, expect, it } from 'vitest';
import { applyWeather } from './adjust.js';
import type { WeatherVerdict } from './types.js';

const wantsWater = {
  open: true,
  code: 'soil_refill',
  reason: 'opened: soil moisture 18 % ≤ refill point 20 %',
  data: { soilMoisturePct: 18 },
};
const rain: WeatherVerdict = {
  close: {
    code: 'weather_skip_rain',
    params: { rainMm: 6, hours: 24 },
    reason: 'weather: 6 mm of rain in the last 24 h ≥ 5 mm',
  },
};

describe('applyWeather', () => {
  it('keeps a valve closed that the mode would open, with the code and params in the event data', () => {
    const d = applyWeather(wantsWater, rain, false);
    expect(d.open).toBe(false);
    expect(d.block).toEqual({
      key: 'weather_skip_rain',
      reason: 'blocked: weather: 6 mm of rain in the last 24 h ≥ 5 mm',
    });
    expect(d).toMatchObject({ code: 'weather_skip_rain' });
    expect(d.data).toEqual({ soilMoisturePct: 18, rainMm: 6, hours: 24 });
  });

  it('never opens a valve the mode keeps closed', () => {
    const closed = {
      open: false,
      code: 'soil_no_water_needed',
      reason: 'closed: soil moisture 30 % > refill point 20 %',
    };
    expect(applyWeather(closed, rain, false)).toBe(closed);
    expect(applyWeather(closed, {}, false)).toBe(closed);
  });

  it('lets a running sprinkler finish its deficit but keeps a closed one from starting', () => {
    const v: WeatherVerdict = {
      noStart: { code: 'weather_skip_no_deficit', params: { bucketMm: -1 }, reason: 'weather: deficit 1 mm' },
    };
    expect(applyWeather(wantsWater, v, true).open).toBe(true);
    expect(applyWeather(wantsWater, v, false).open).toBe(false);
  });

  it('changes nothing without a verdict', () => {
    expect(applyWeather(wantsWater, undefined, false)).toBe(wantsWater);
  });
});
