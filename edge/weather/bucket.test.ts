import { describe, expect, it } from 'vitest';
import { et0Rate, etShapePerHour, nextBucket, runMinutesFor, utcOffsetHours, zoneKc } from './bucket.js';
import { ZoneWeather } from '../../protocol/schemas/weather-rules.js';
import type { Forecast } from './types.js';

const site = { latDeg: 10.03, lonDeg: 105.78, elevationM: 2, timezone: 'Asia/Ho_Chi_Minh' };
const NOON_LOCAL = Date.UTC(2026, 2, 15, 5); // 12:00 at UTC+7

describe('the water bucket (Smart Irrigation style)', () => {
  it('adds rain and irrigation, subtracts crop ET and caps the surplus', () => {
    expect(nextBucket(-4, { rainMm: 1, irrigationMm: 0, etcMm: 0.5 }, 10)).toBe(-3.5);
    expect(nextBucket(-4, { rainMm: 30, irrigationMm: 0, etcMm: 0 }, 10)).toBe(10);
    expect(nextBucket(-199, { rainMm: 0, irrigationMm: 0, etcMm: 5 }, 10)).toBe(-200);
  });

  it('turns a deficit into sprinkler minutes: 6 mm at 8 mm/h and 75 % efficiency is 60 min', () => {
    expect(runMinutesFor(-6, 8, 0.75)).toBeCloseTo(60, 6);
    expect(runMinutesFor(2, 8, 0.75)).toBe(0);
  });

  it('takes Kc from the crop and its planting date, or a fixed kc', () => {
    const w = ZoneWeather.parse({ crop: { kind: 'tomato', plantedOn: '2026-03-01' } });
    expect(zoneKc(w, '2026-03-10')).toBe(0.6);
    expect(zoneKc(w, '2026-05-20')).toBe(1.15);
    expect(zoneKc({ ...w, kc: 0.9 }, '2026-05-01')).toBe(0.9);
    expect(zoneKc(ZoneWeather.parse({}), '2026-05-01')).toBeNull();
  });

  it("knows Vietnam is UTC+7 and spreads a day's ET over daylight hours", () => {
    expect(utcOffsetHours(NOON_LOCAL, 'Asia/Ho_Chi_Minh')).toBe(7);
    let sum = 0;
    for (let h = 0; h < 24; h += 0.01) sum += etShapePerHour(h) * 0.01;
    expect(sum).toBeCloseTo(1, 3);
  });

  it('computes the ET₀ rate from a fresh forecast hour, else from the fallback daily ET₀', () => {
    const forecast: Forecast = {
      provider: 'test',
      latDeg: 10,
      lonDeg: 105.8,
      elevationM: 2,
      fetchedAt: NOON_LOCAL,
      hours: [{ ts: NOON_LOCAL, precipitationMm: 0, probabilityPct: 0, tC: 33, rhPct: 55, windMs: 3, solarWm2: 850 }],
    };
    const fromForecast = et0Rate(site, { ok: true, forecast, ageMs: 0 }, NOON_LOCAL + 10 * 60_000, 5);
    expect(fromForecast.source).toBe('forecast');
    expect(fromForecast.mmPerHour).toBeGreaterThan(0.5);
    expect(fromForecast.mmPerHour).toBeLessThan(1.0);
    const fallback = et0Rate(site, { ok: false, why: 'stale', ageMs: 1e9 }, NOON_LOCAL, 5);
    expect(fallback).toEqual({ mmPerHour: 5 * (Math.PI / 24), source: 'fallback' });
  });
});

describe('ET₀ from a weather station on the bus', () => {
  const hour = { ts: NOON_LOCAL, precipitationMm: 0, probabilityPct: 0, tC: 33, rhPct: 55, windMs: 3, solarWm2: 850 };
  const forecast = {
    ok: true as const,
    ageMs: 0,
    forecast: { provider: 'test', latDeg: 10, lonDeg: 105.8, elevationM: 2, fetchedAt: NOON_LOCAL, hours: [hour] },
  };
  const at = NOON_LOCAL + 10 * 60_000;

  it("takes the station's values over the forecast's, and measured wind at its own height", () => {
    const fromForecast = et0Rate(site, forecast, at, 5).mmPerHour;
    const calm = et0Rate(site, forecast, at, 5, { windMs: 0.5, windHeightM: 2 });
    expect(calm.source).toBe('forecast');
    expect(calm.mmPerHour).toBeLessThan(fromForecast);
    // 3 m/s at 10 m is 2.24 m/s at 2 m (FAO-56 eq. 47): the same ET₀ either way
    expect(
      et0Rate(site, forecast, at, 5, { windMs: 3 * (4.87 / Math.log(67.8 * 10 - 5.42)), windHeightM: 2 }).mmPerHour,
    ).toBeCloseTo(fromForecast, 6);
  });

  it('needs no forecast when the station gives all four inputs', () => {
    const r = et0Rate(site, { ok: false, why: 'none', ageMs: null }, at, 5, {
      tC: 33,
      rhPct: 55,
      windMs: 2.2,
      solarWm2: 850,
      windHeightM: 2,
    });
    expect(r.source).toBe('station');
    expect(r.mmPerHour).toBeGreaterThan(0.5);
  });

  it('falls back without a forecast when the station lacks an input', () => {
    expect(
      et0Rate(site, { ok: false, why: 'none', ageMs: null }, at, 5, { tC: 33, rhPct: 55, windHeightM: 2 }).source,
    ).toBe('fallback');
  });
});
