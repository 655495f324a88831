import { describe, expect, it } from 'vitest';
import { days, hours } from '../lib/time.js';
import { GatewayConfig, type GatewayConfigInput } from '../protocol/index.js';
import {
  runPaddyWeatherLoop,
  runSprinklerLoop,
  type SprinklerLoopOptions,
  type SprinklerLoopResult,
} from '../simulators/weather/index.js';

// the 2026 dry season in the Delta: 1 January – 30 April, 00:00 local (UTC+7); the soil model
// (simulators/field/soil.ts) and the gauge share one sky, the forecast is the model's own
const SEASON = {
  start: Date.UTC(2025, 11, 31, 17),
  durationMs: days(120),
  tickMs: 10 * 60_000,
  pumpKw: 1.1,
  stressBelowPct: 20,
};
const RULES = {
  measuredRain: { sensor: 'gauge1', skipMm: 5, hours: 24 },
  forecastRain: { probabilityPct: 70, mm: 5, hours: 12 },
};
// 0.1 ha of tomatoes under sprinklers: 8 m³/h on 1000 m² is 8 mm/h
const zone = (over: Partial<GatewayConfigInput['zones'][number]>) =>
  GatewayConfig.parse({
    version: 1,
    zones: [{ id: 'veg', valves: ['v1'], maxRunMinutes: 240, flowM3PerHour: 8, areaHa: 0.1, mode: 'off', ...over }],
  });
const timerZone = zone({
  mode: 'schedule',
  schedule: { windows: [{ start: '05:00', end: '06:30' }] },
  weather: {
    ...RULES,
    crop: { kind: 'tomato', plantedOn: '2026-01-01' },
    etBudget: { applicationRateMmPerHour: 8, efficiency: 0.75 },
  },
});
const probeZone = zone({
  mode: 'threshold',
  sensors: { soilMoisture: { sensor: 'soil1', metric: 'soil_moisture' } },
  threshold: { refillPct: 25, fieldCapacityPct: 34, minOffMinutes: 30 },
  weather: RULES,
});

const season = (o: Partial<SprinklerLoopOptions> & Pick<SprinklerLoopOptions, 'config' | 'weather'>) =>
  runSprinklerLoop({ ...SEASON, ...o });
const codes = (r: SprinklerLoopResult) =>
  new Set(r.events.map((e) => e.code).filter((c): c is string => !!c && c.startsWith('weather_')));
const pct = (a: number, b: number) => Math.round((1 - a / b) * 100);

describe('a simulated dry season, with and without weather rules', () => {
  it('a timer zone on the crop ET budget uses under half the water and pump energy, and its soil never dries out', () => {
    const without = season({ config: timerZone, weather: false });
    const withRules = season({ config: timerZone, weather: true });
    // the figures the README reports
    console.info(
      `timer zone, 120 dry-season days: ${without.valveOpenHours.toFixed(1)} h → ${withRules.valveOpenHours.toFixed(1)} h, ` +
        `${without.waterM3.toFixed(0)} → ${withRules.waterM3.toFixed(0)} m³ (−${pct(withRules.waterM3, without.waterM3)} %), ` +
        `${without.pumpKwh.toFixed(0)} → ${withRules.pumpKwh.toFixed(0)} kWh; rain ${withRules.rainMm.toFixed(0)} mm; ` +
        `soil min ${without.minMoisturePct.toFixed(1)} / ${withRules.minMoisturePct.toFixed(1)} %VWC`,
    );
    expect(without.waterM3).toBeCloseTo(120 * 1.5 * 8, 0); // 90 min a day, every day
    expect(withRules.waterM3).toBeLessThan(without.waterM3 * 0.5);
    expect(withRules.pumpKwh).toBeLessThan(without.pumpKwh * 0.5);
    expect(withRules.minMoisturePct).toBeGreaterThan(25);
    expect(withRules.hoursStressed).toBe(0);
    expect(codes(withRules)).toEqual(
      new Set(['weather_deficit_met', 'weather_skip_no_deficit', 'weather_skip_rain', 'weather_skip_forecast']),
    );
  });

  it('without any forecast the ET budget runs on the fallback ET₀ and measured rain, and still keeps the soil moist', () => {
    const r = season({ config: timerZone, weather: true, forecast: 'none' });
    const without = season({ config: timerZone, weather: false });
    expect(r.valveOpenHours).toBeGreaterThan(0);
    expect(r.waterM3).toBeLessThan(without.waterM3);
    expect(r.hoursStressed).toBe(0);
    expect(codes(r).has('weather_skip_forecast')).toBe(false);
  });

  it('a soil-probe zone waters as much with the rules as without when no shower comes right at its refill point', () => {
    const without = season({ config: probeZone, weather: false });
    const withRules = season({ config: probeZone, weather: true });
    console.info(
      `soil-probe zone, 120 dry-season days: ${without.waterM3.toFixed(0)} → ${withRules.waterM3.toFixed(0)} m³`,
    );
    expect(withRules.valveOpenHours).toBeCloseTo(without.valveOpenHours, 5);
    expect(withRules.hoursStressed).toBe(0);
  });

  it('a forecast that promises rain every hour and never delivers holds a dry zone back at most maxHoldHours', () => {
    const r = season({
      config: probeZone,
      weather: true,
      durationMs: days(3),
      initialMoisturePct: 24.5,
      falseAlarm: () => true,
    });
    const skip = r.events.filter((e) => e.code === 'weather_skip_forecast');
    const firstOpen = r.events.find((e) => e.kind === 'valve_opened');
    expect(skip.length).toBeGreaterThan(0);
    expect(firstOpen).toBeDefined();
    expect(firstOpen!.ts - skip[0]!.ts).toBeLessThanOrEqual(hours(24) + SEASON.tickMs);
    expect(firstOpen!.ts - SEASON.start).toBeGreaterThanOrEqual(hours(24));
    expect(r.minMoisturePct).toBeGreaterThan(20);
  });

  it('an AWD paddy pumps no more with forecast and rain rules than without in the dry season, and never drops below the refill mark', () => {
    const paddy = (weather?: GatewayConfigInput['zones'][number]['weather']) =>
      GatewayConfig.parse({
        version: 1,
        zones: [
          {
            id: 'z1',
            mode: 'awd',
            valves: ['v1'],
            intakeValve: 'v1',
            awd: {},
            maxRunMinutes: 600,
            ...(weather ? { weather } : {}),
            sensors: {
              waterLevel: { sensor: 'wl1', metric: 'water_level' },
              intakeSalinity: { sensor: 'sal1', metric: 'salinity' },
            },
          },
        ],
      });
    const o = { start: SEASON.start, durationMs: days(90), pumpKw: 3 };
    const without = runPaddyWeatherLoop({ ...o, config: paddy(), weather: false });
    const withRules = runPaddyWeatherLoop({
      ...o,
      weather: true,
      config: paddy({
        forecastRain: { probabilityPct: 70, mm: 10, hours: 12 },
        measuredRain: { sensor: 'gauge1', skipMm: 15, hours: 12 },
      }),
    });
    console.info(
      `AWD paddy, 90 dry-season days: pump ${without.pumpHours.toFixed(1)} h → ${withRules.pumpHours.toFixed(1)} h`,
    );
    expect(without.pumpHours).toBeGreaterThan(10);
    expect(withRules.pumpHours).toBeLessThanOrEqual(without.pumpHours);
    expect(withRules.minLevelCm).toBeGreaterThanOrEqual(-15.5);
  });
});
