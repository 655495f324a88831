import { describe, expect, it } from 'vitest';
import { WeatherFileConfig } from './config.js';

describe('the weather block of the gateway file', () => {
  it('needs only the site: the Open-Meteo forecast and its timings come by default', () => {
    expect(WeatherFileConfig.parse({ latDeg: 10.03, lonDeg: 105.78 })).toEqual({
      latDeg: 10.03,
      lonDeg: 105.78,
      elevationM: 2,
      gaugeStaleMinutes: 30,
      gaugeWrapMm: 6553.6,
      forecast: {
        provider: 'open-meteo',
        url: 'https://api.open-meteo.com/v1/forecast',
        refreshMinutes: 60,
        retryMinutes: 5,
        staleAfterHours: 6,
        timeoutMs: 10_000,
        days: 2,
      },
    });
  });

  it('turns forecasts off with false and refuses a bad URL, an unknown key or a latitude off the Earth', () => {
    expect(WeatherFileConfig.parse({ latDeg: 10, lonDeg: 105, forecast: false }).forecast).toBe(false);
    const msg = (raw: unknown) =>
      WeatherFileConfig.safeParse(raw).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(msg({ latDeg: 10, lonDeg: 105, forecast: { url: 'ftp://x' } })).toEqual([
      'forecast.url: weather.forecast.url must be http:// or https://',
    ]);
    expect(msg({ latDeg: 10, lonDeg: 105, forecst: {} })?.[0]).toMatch(/forecst/);
    expect(msg({ latDeg: 100, lonDeg: 105 })?.[0]).toMatch(/^latDeg/);
  });
});
