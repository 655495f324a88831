import { describe, expect, it } from 'vitest';
import { checkWeather } from './weather.js';

const product = { name: 'Tilt 250EC', maxWindMps: 5 };

describe('checkWeather', () => {
  it('passes calm, dry weather', () => {
    expect(checkWeather({ windMps: 2, rainMmH: 0, rainProbability: 0.1 }, product).verdict).toBe('ok');
  });

  it('warns when the wind is close to the product limit', () => {
    const v = checkWeather({ windMps: 4.2 }, product);
    expect(v.verdict).toBe('warn');
    expect(v.findings[0]!.code).toBe('WIND_NEAR_LIMIT');
  });

  it('refuses wind or gusts over the product limit, naming the limit', () => {
    const v = checkWeather({ windMps: 3, gustMps: 6.5 }, product);
    expect(v.verdict).toBe('refuse');
    expect(v.findings[0]!.message).toContain('5 m/s');
    expect(v.findings[0]!.message).toContain('gusts of 6.5');
  });

  it('refuses in rain and when rain is likely, warns when it is possible', () => {
    expect(checkWeather({ windMps: 1, rainMmH: 1.5 }, product).findings.map((f) => f.code)).toEqual(['RAINING']);
    expect(checkWeather({ windMps: 1, rainProbability: 0.8 }, product).verdict).toBe('refuse');
    expect(checkWeather({ windMps: 1, rainProbability: 0.4 }, product).verdict).toBe('warn');
  });
});
