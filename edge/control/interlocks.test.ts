import { describe, expect, it } from 'vitest';
import { GatewayConfig, type Command } from '../../protocol/index.js';
import { minutes } from '../../lib/time.js';
import { executeCommand } from './commands.js';
import { step } from './step.js';
import { initialState, restoreState } from './state.js';
import { T0, level, paddyConfig, reading, salinity } from './testing.js';

const cfg = paddyConfig();
const boot = (ppt = 1, cm = -10) => step(initialState(), [level(cm, T0), salinity(ppt, T0)], cfg, T0).state;

describe('salinity interlock', () => {
  it('keeps the intake closed while salinity is above the limit, with one blocked event', () => {
    let s = boot(3.4);
    const first = step(s, [level(-16.2, T0 + 1000)], cfg, T0 + 1000);
    expect(first.commands).toEqual([]);
    expect(first.events).toEqual([
      expect.objectContaining({ kind: 'blocked', valve: 'v1', reason: 'blocked: intake salinity 3.4‰ > 2.0‰' }),
    ]);
    s = first.state;
    for (let i = 2; i < 10; i++) {
      const r = step(s, [level(-16.2, T0 + i * 1000), salinity(3 + i / 10, T0 + i * 1000)], cfg, T0 + i * 1000);
      expect(r.events).toEqual([]);
      s = r.state;
    }
    const fresh = step(s, [salinity(1.2, T0 + 20_000)], cfg, T0 + 20_000);
    expect(fresh.commands.map((c) => c.actuator)).toEqual(['v1', 'p1']);
  });

  it('closes an open intake when salinity rises above the limit', () => {
    const open = step(boot(), [level(-16, T0 + 1000)], cfg, T0 + 1000).state;
    const r = step(open, [salinity(2.5, T0 + 2000)], cfg, T0 + 2000);
    expect(r.commands.map((c) => `${c.actuator}:${c.on}`)).toEqual(['p1:false', 'v1:false']);
    expect(r.events.map((e) => e.kind)).toEqual(['blocked', 'interlock', 'valve_closed', 'pump_off']);
    expect(r.events.find((e) => e.kind === 'valve_closed')?.reason).toBe('closed: intake salinity 2.5‰ > 2.0‰');
  });

  it('waits quietly for the first salinity reading after start, then says it is blocked', () => {
    const r = step(initialState(), [level(-20, T0)], cfg, T0);
    expect(r.state.valves.v1!.open).toBe(false);
    expect(r.events.filter((e) => e.kind === 'blocked')).toEqual([]);
    const later = step(r.state, [level(-20, T0 + minutes(6))], cfg, T0 + minutes(6));
    expect(later.state.valves.v1!.open).toBe(false);
    expect(later.events.find((e) => e.kind === 'blocked')?.reason).toBe(
      'blocked: intake salinity unknown, sensor sal1 has no reading yet',
    );
  });

  it.each([
    { name: 'a bad salinity reading', readings: [reading('sal1', 'salinity', null, T0, 'timeout')] },
    { name: 'a salinity value outside the sensor range', readings: [salinity(75, T0)] },
  ])('does not open the intake with unknown salinity: $name', ({ readings }) => {
    const r = step(initialState(), [level(-20, T0), ...readings], cfg, T0);
    expect(r.state.valves.v1!.open).toBe(false);
    expect(r.events.find((e) => e.kind === 'blocked')?.reason).toMatch(/^blocked: intake salinity unknown/);
  });

  it('does not let a manual open through either', () => {
    const cmd: Command = {
      id: 'c1',
      kind: 'open',
      zone: 'z1',
      minutes: 20,
      issuedAt: T0,
      expiresAt: T0 + minutes(5),
      by: 'farmer-an',
    };
    const r = executeCommand(boot(4.1), cmd, cfg, T0 + 1000);
    expect(r.outcome).toBe('rejected');
    expect(r.reason).toBe('blocked: intake salinity 4.1‰ > 2.0‰');
    expect(r.state.overrides).toEqual({});
  });
});

describe('max run time', () => {
  const short = paddyConfig({ maxRunMinutes: 30 });
  it('closes a valve at its max run time and locks it out before it may reopen', () => {
    let s = step(initialState(), [level(-16, T0), salinity(1, T0)], short, T0).state;
    expect(s.valves.v1!.open).toBe(true);
    const at = (m: number) => T0 + minutes(m);
    let r = step(s, [level(-14, at(29)), salinity(1, at(29))], short, at(29));
    expect(r.commands).toEqual([]);
    r = step(r.state, [level(-13, at(30)), salinity(1, at(30))], short, at(30));
    expect(r.commands.map((c) => `${c.actuator}:${c.on}`)).toEqual(['p1:false', 'v1:false']);
    expect(r.events.find((e) => e.kind === 'max_run_time')?.reason).toBe(
      'closed: v1 open 30 min ≥ max run time 30 min, locked out until 07:00',
    );
    r = step(r.state, [level(-16, at(31)), salinity(1, at(31))], short, at(31));
    expect(r.state.valves.v1!.open).toBe(false);
    expect(r.events.find((e) => e.kind === 'blocked')?.reason).toBe(
      'blocked: v1 locked out after max run time until 07:00',
    );
    r = step(r.state, [level(-16, at(60)), salinity(1, at(60))], short, at(60));
    expect(r.state.valves.v1!.open).toBe(true);
    s = r.state;
  });

  it('also ends a manual open that asks for longer than the max run time', () => {
    const cmd: Command = {
      id: 'c2',
      kind: 'open',
      valve: 'v1',
      minutes: 120,
      issuedAt: T0,
      expiresAt: T0 + minutes(5),
    };
    const s = step(initialState(), [level(0, T0), salinity(1, T0)], short, T0).state;
    const r = executeCommand(s, cmd, short, T0);
    expect(r.outcome).toBe('done');
    const later = step(r.state, [level(0, T0 + minutes(30)), salinity(1, T0 + minutes(30))], short, T0 + minutes(30));
    expect(later.state.valves.v1!.open).toBe(false);
    expect(later.state.overrides.v1).toBeUndefined();
  });
});

describe('pump interlock', () => {
  const two = GatewayConfig.parse({
    version: 1,
    zones: ['a', 'b', 'c'].map((id) => ({
      id,
      mode: 'schedule',
      valves: [`v${id}`],
      schedule: { windows: [{ start: '00:00', end: '00:00' }] },
    })),
    pumps: [{ pump: 'p1', valves: ['va', 'vb', 'vc'], maxOpenValves: 2 }],
  });
  it('opens at most maxOpenValves of a pump at once and blocks the rest', () => {
    const r = step(initialState(), [], two, T0);
    const open = Object.entries(r.state.valves)
      .filter(([, v]) => v.open)
      .map(([k]) => k);
    expect(open).toEqual(['va', 'vb']);
    expect(r.state.pumps.p1!.on).toBe(true);
    expect(r.events.find((e) => e.kind === 'blocked')).toMatchObject({
      valve: 'vc',
      reason: 'blocked: pump p1 already feeds 2 of at most 2 open valves',
    });
  });

  it('stops the pump when its last valve closes', () => {
    const on = step(initialState(), [], two, T0).state;
    const off = GatewayConfig.parse({ ...two, zones: two.zones.map((z) => ({ ...z, mode: 'off' })) });
    const r = step(on, [], off, T0 + 1000);
    expect(r.commands[0]).toMatchObject({ actuator: 'p1', on: false });
    expect(r.state.pumps.p1!.on).toBe(false);
  });
});

describe('stale and bad data', () => {
  it.each([
    { name: 'stale', r: level(-20, T0 - minutes(6)) },
    { name: 'bad (CRC)', r: reading('wl1', 'water_level', null, T0, 'crc') },
    { name: 'out of range', r: level(-140, T0) },
  ])('never opens a valve on $name data', ({ r }) => {
    const out = step(initialState(), [r, salinity(1, T0)], cfg, T0);
    expect(out.state.valves.v1!.open).toBe(false);
    expect(out.events.some((e) => e.kind === 'sensor_fault')).toBe(true);
  });

  it('closes a valve that is open when its data goes stale, and reopens when the sensor recovers', () => {
    const open = step(boot(), [level(-16, T0 + 1000)], cfg, T0 + 1000).state;
    const t = T0 + 1000 + minutes(5) + 1000;
    const r = step(open, [salinity(1, t)], cfg, t);
    expect(r.commands.map((c) => `${c.actuator}:${c.on}`)).toEqual(['p1:false', 'v1:false']);
    expect(r.events.find((e) => e.kind === 'valve_closed')?.reason).toBe(
      'closed: water level unknown, sensor wl1 is stale: last reading 5 min ago',
    );
    expect(r.events.find((e) => e.kind === 'sensor_fault')?.sensor).toBe('wl1');
    const back = step(r.state, [level(-12, t + 1000), salinity(1, t + 1000)], cfg, t + 1000);
    expect(back.state.valves.v1!.open).toBe(true);
    expect(back.events.map((e) => e.kind)).toContain('sensor_recovered');
  });
});

describe('commands', () => {
  const base = { issuedAt: T0, expiresAt: T0 + minutes(5) };
  it('opens for N minutes then hands back to the automatic mode', () => {
    const s = boot(1, -5);
    const r = executeCommand(
      s,
      { ...base, id: 'c1', kind: 'open', zone: 'z1', minutes: 20, by: 'farmer-an' },
      cfg,
      T0 + 1000,
    );
    expect(r.outcome).toBe('done');
    expect(r.commands.map((c) => `${c.actuator}:${c.on}`)).toEqual(['v1:true', 'p1:true']);
    expect(r.events.at(-1)).toMatchObject({
      kind: 'cmd_executed',
      reason: 'command c1 by farmer-an: open v1 for 20 min',
    });
    const t = T0 + 1000 + minutes(20);
    const end = step(r.state, [level(-4, t), salinity(1, t)], cfg, t);
    expect(end.commands.find((c) => c.actuator === 'v1')?.reason).toBe(
      'closed: manual time ended, back to automatic (water level −4.0 cm > −15 cm, no water needed)',
    );
  });

  it('close holds the valve closed against the automatic mode', () => {
    const open = step(boot(), [level(-16, T0 + 1000)], cfg, T0 + 1000).state;
    const r = executeCommand(open, { ...base, id: 'c3', kind: 'close', valve: 'v1' }, cfg, T0 + 2000);
    expect(r.outcome).toBe('done');
    expect(r.state.valves.v1!.open).toBe(false);
    const later = step(r.state, [level(-17, T0 + minutes(30)), salinity(1, T0 + minutes(30))], cfg, T0 + minutes(30));
    expect(later.state.valves.v1!.open).toBe(false);
  });

  it('stop-all closes everything, and an open command can still override it', () => {
    const open = step(boot(), [level(-16, T0 + 1000)], cfg, T0 + 1000).state;
    const r = executeCommand(open, { ...base, id: 'c4', kind: 'stop-all' }, cfg, T0 + 2000);
    expect(r.state.valves.v1!.open).toBe(false);
    expect(r.state.pumps.p1!.on).toBe(false);
    const o = executeCommand(r.state, { ...base, id: 'c5', kind: 'open', valve: 'v1', minutes: 5 }, cfg, T0 + 3000);
    expect(o.state.valves.v1!.open).toBe(true);
  });

  it.each([
    {
      cmd: { id: 'x', kind: 'open', valve: 'v9', minutes: 5 },
      outcome: 'rejected',
      reason: 'unknown valve "v9" in config v1',
    },
    { cmd: { id: 'x', kind: 'close', zone: 'z9' }, outcome: 'rejected', reason: 'unknown zone "z9" in config v1' },
  ] as const)('rejects $reason', ({ cmd, outcome, reason }) => {
    const r = executeCommand(boot(), { ...base, ...cmd }, cfg, T0 + 1000);
    expect(r).toMatchObject({ outcome, reason });
  });

  it('does not execute an expired command', () => {
    const r = executeCommand(boot(), { ...base, id: 'x', kind: 'stop-all' }, cfg, T0 + minutes(6));
    expect(r.outcome).toBe('expired');
    expect(r.state.overrides).toEqual({});
  });
});

describe('fresh readings only after a restart', () => {
  const saltyCanal = () => {
    // the previous process saw fresh water and a dry field: it had the intake open
    const before = step(boot(0.5, -10), [level(-20, T0 + 1000)], cfg, T0 + 1000).state;
    expect(before.valves.v1!.open).toBe(true);
    return restoreState(before, T0 + 60_000);
  };

  it('forgets every reading of the previous boot', () => {
    expect(saltyCanal().latest).toEqual({});
  });

  it('opens nothing on the first step after a restart, even with a level that asks for water', () => {
    const r = step(saltyCanal(), [], cfg, T0 + 60_000);
    expect(r.commands.every((c) => !c.on)).toBe(true);
    expect(r.state.valves.v1!.open).toBe(false);
  });

  it('waits for the salinity probe even when the water level arrives first', () => {
    const s = step(saltyCanal(), [], cfg, T0 + 60_000).state;
    const r = step(s, [level(-20, T0 + 61_000)], cfg, T0 + 61_000);
    expect(r.commands).toEqual([]);
    expect(r.state.valves.v1!.blockReason).toMatch(/sal1/);
    expect(r.events).toEqual([]);
  });

  it('keeps the intake and pump closed when the first fresh salinity is above the limit', () => {
    const s = step(step(saltyCanal(), [], cfg, T0 + 60_000).state, [level(-20, T0 + 61_000)], cfg, T0 + 61_000).state;
    const r = step(s, [salinity(4.5, T0 + 62_000)], cfg, T0 + 62_000);
    expect(r.commands).toEqual([]);
    expect(r.events.map((e) => e.kind)).toEqual(['blocked']);
    expect(r.state.pumps.p1!.on).toBe(false);
  });

  it('opens once the first salinity reading since start-up is fresh enough', () => {
    const s = step(saltyCanal(), [level(-20, T0 + 61_000)], cfg, T0 + 61_000).state;
    const r = step(s, [salinity(0.8, T0 + 62_000)], cfg, T0 + 62_000);
    expect(r.commands.map((c) => `${c.actuator}:${c.on}`)).toEqual(['v1:true', 'p1:true']);
  });

  it('never acts on a reading timestamped before this boot, even if it arrives after it', () => {
    const s = step(saltyCanal(), [level(-20, T0 + 61_000)], cfg, T0 + 61_000).state;
    const r = step(s, [salinity(0.8, T0 + 30_000)], cfg, T0 + 62_000);
    expect(r.state.valves.v1!.open).toBe(false);
  });

  it('lets a zone without an intake open as soon as its own sensor reads after start-up', () => {
    const both = GatewayConfig.parse({
      ...cfg,
      zones: [
        ...cfg.zones,
        {
          id: 'z2',
          mode: 'threshold',
          valves: ['v2'],
          sensors: { soilMoisture: { sensor: 'soil1', metric: 'soil_moisture' } },
          threshold: { refillPct: 25, fieldCapacityPct: 35 },
        },
      ],
    });
    const r = step(initialState(), [reading('soil1', 'soil_moisture', 20, T0)], both, T0);
    // the salinity probe of z1 has not answered yet: nothing opens anywhere until it has
    expect(r.state.valves.v2!.open).toBe(false);
    const later = step(
      r.state,
      [salinity(1, T0 + 1000), reading('soil1', 'soil_moisture', 20, T0 + 1000)],
      both,
      T0 + 1000,
    );
    expect(later.state.valves.v2!.open).toBe(true);
  });

  it('stops waiting for a silent probe after staleAfterSeconds: other valves open, the intake stays shut', () => {
    const both = GatewayConfig.parse({
      ...cfg,
      zones: [
        ...cfg.zones,
        {
          id: 'z2',
          mode: 'threshold',
          valves: ['v2'],
          sensors: { soilMoisture: { sensor: 'soil1', metric: 'soil_moisture' } },
          threshold: { refillPct: 25, fieldCapacityPct: 35 },
        },
      ],
    });
    const s = step(initialState(), [level(-20, T0)], both, T0).state;
    const t = T0 + minutes(6);
    const r = step(s, [level(-20, t), reading('soil1', 'soil_moisture', 20, t)], both, t);
    expect(r.state.valves.v2!.open).toBe(true);
    expect(r.state.valves.v1!.open).toBe(false);
  });
});

describe('sensor roles read their own metric', () => {
  it('refuses soil salinity or TDS as the intake salinity of a zone (mg/L is not ‰)', () => {
    for (const metric of ['soil_salinity', 'tds', 'water_ec']) {
      const r = GatewayConfig.safeParse({
        ...cfg,
        zones: [
          { ...cfg.zones[0]!, sensors: { ...cfg.zones[0]!.sensors, intakeSalinity: { sensor: 'sal1', metric } } },
        ],
      });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]).toMatchObject({
        path: ['zones', 0, 'sensors', 'intakeSalinity', 'metric'],
        message: `sensors.intakeSalinity must read metric salinity, not ${metric}`,
      });
    }
  });
});
