import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayEvent, type Command } from '../../protocol/index.js';
import { days, hours, minutes } from '../../lib/time.js';
import { runPaddyLoop } from '../../simulators/field/paddy-loop.js';
import { executeCommand } from './commands.js';
import { EVENT_CODES } from './event-codes.js';
import { step } from './step.js';
import { initialState } from './state.js';
import { T0, level, moisture, paddyConfig, salinity, sprinklerConfig } from './testing.js';
import type { ControlEvent } from './types.js';

/** Events of a month of a paddy with salt spikes and a probe that dies for a day, plus commands and sprinkler modes. */
function manyEvents(): ControlEvent[] {
  const month = runPaddyLoop({
    config: paddyConfig({ maxRunMinutes: 120 }),
    start: T0,
    durationMs: days(30),
    tickMs: minutes(10),
    initialLevelCm: -14,
    salinity: { spikeChanceDry: 0.2 },
    paddy: { rain: true },
    tamper: (r, t) =>
      r.sensor === 'sal1' && t > T0 + days(3) && t < T0 + days(4)
        ? null
        : r.sensor === 'wl1' && t > T0 + days(6) && t < T0 + days(6) + hours(2)
          ? { ...r, quality: 'bad', fault: 'crc', value: null }
          : r,
  }).events;
  const out = [...month];
  const cfg = paddyConfig();
  let s = step(initialState(), [level(-10, T0), salinity(1, T0)], cfg, T0).state;
  const cmd = (c: Partial<Command> & { id: string; kind: Command['kind'] }, t: number) => {
    const r = executeCommand(s, { issuedAt: t, expiresAt: t + 60_000, ...c } as Command, cfg, t);
    out.push(...r.events);
    s = r.state;
  };
  cmd({ id: 'a', kind: 'open', valve: 'v1', minutes: 5 }, T0 + 1000);
  cmd({ id: 'b', kind: 'close', valve: 'v1' }, T0 + 2000);
  cmd({ id: 'c', kind: 'stop-all' }, T0 + 3000);
  const r = step(s, [level(-20, T0 + hours(13))], cfg, T0 + hours(13));
  out.push(...r.events);
  const sprinkler = sprinklerConfig({
    schedule: { use: 'allow', windows: [{ days: [], start: '05:00', end: '07:00' }] },
  });
  const first = step(initialState(), [moisture(20, T0)], sprinkler, T0);
  out.push(...first.events);
  let p = first.state;
  for (const [min, pct] of [
    [30, 20],
    [60, 36],
    [62, 20],
    [200, 20],
  ] as const) {
    const x = step(p, [moisture(pct, T0 + minutes(min))], sprinkler, T0 + minutes(min));
    out.push(...x.events);
    p = x.state;
  }
  out.push(...step(initialState(), [moisture(20, T0)], sprinklerConfig({ mode: 'off' }), T0).events);
  return out;
}

describe('event codes', () => {
  const events = manyEvents();

  it('every event the loop emits carries a listed code and only the params listed for it', () => {
    expect(events.length).toBeGreaterThan(50);
    for (const e of events) {
      expect(() => GatewayEvent.parse({ ...e, bootId: 'boot1' })).not.toThrow();
      const params = EVENT_CODES[e.code];
      expect(params, `code ${e.code} (${e.kind}: ${e.reason})`).toBeDefined();
      if (params!.some((p) => p.startsWith('…'))) continue;
      const allowed = new Set(params!.map((p) => p.replace(/\?$/, '')));
      for (const k of Object.keys(e.data ?? {})) expect(allowed.has(k), `${e.code}: data.${k}`).toBe(true);
    }
  });

  it('covers the decisions a farmer sees most', () => {
    const codes = new Set(events.map((e) => e.code));
    for (const c of [
      'started',
      'awd_refill',
      'awd_target_reached',
      'salinity_interlock',
      'sensor_unknown',
      'sensor_recovered',
      'manual_open',
      'manual_close',
      'cmd_stop_all',
      'pump_valve_open',
      'soil_refill',
      'outside_allowed_window',
    ])
      expect(codes, c).toContain(c);
  });

  it('are all listed with their params in edge/README.md', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Event codes'));
    for (const code of Object.keys(EVENT_CODES)) expect(section, code).toContain(`\`${code}\``);
  });
});
