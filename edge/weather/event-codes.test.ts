import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayConfig, GatewayEvent } from '../../protocol/index.js';
import { days } from '../../lib/time.js';
import { runSprinklerLoop } from '../../simulators/weather/index.js';
import { WEATHER_EVENT_CODES } from './event-codes.js';

describe('weather event codes', () => {
  const config = GatewayConfig.parse({
    version: 1,
    zones: [
      {
        id: 'veg',
        mode: 'schedule',
        valves: ['v1'],
        maxRunMinutes: 120,
        schedule: { windows: [{ start: '05:00', end: '06:30' }] },
        weather: {
          kc: 1,
          measuredRain: { sensor: 'gauge1', skipMm: 5, hours: 24 },
          forecastRain: { probabilityPct: 70, mm: 5, hours: 12 },
          etBudget: { applicationRateMmPerHour: 8 },
        },
      },
    ],
  });
  // May–June: the rains begin, so every rule has something to do
  const events = runSprinklerLoop({
    config,
    start: Date.UTC(2026, 4, 1, -7),
    durationMs: days(40),
    tickMs: 10 * 60_000,
    weather: true,
  }).events.filter((e) => e.code.startsWith('weather_'));

  it('every weather decision carries a listed code, valid on the wire, with all of its params', () => {
    expect(new Set(events.map((e) => e.code))).toEqual(new Set(Object.keys(WEATHER_EVENT_CODES)));
    for (const e of events) {
      expect(() => GatewayEvent.parse({ ...e, bootId: 'boot1' })).not.toThrow();
      for (const p of WEATHER_EVENT_CODES[e.code]!.filter((x) => !x.startsWith('…')))
        expect(e.data, `${e.code}: data.${p}`).toHaveProperty(p);
    }
  });

  it('are listed with their params in weather/README.md and edge/README.md, and translated in the web app', () => {
    const weatherReadme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const edgeReadme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const vi = readFileSync(new URL('../../cloud/ui/src/messages/vi.ts', import.meta.url), 'utf8');
    const en = readFileSync(new URL('../../cloud/ui/src/messages/en.ts', import.meta.url), 'utf8');
    for (const [code, params] of Object.entries(WEATHER_EVENT_CODES)) {
      expect(weatherReadme, code).toContain(`\`${code}\``);
      expect(edgeReadme, code).toContain(`\`${code}\``);
      expect(vi, code).toContain(`ev_${code}:`);
      expect(en, code).toContain(`ev_${code}:`);
      for (const p of params.filter((x) => !x.startsWith('…'))) expect(weatherReadme, `${code}.${p}`).toContain(p);
    }
  });
});
