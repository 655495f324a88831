import { describe, expect, it } from 'vitest';
import { GatewayConfig, GatewayEvent } from '../../protocol/index.js';
import { minutes } from '../../lib/time.js';
import { step } from './step.js';
import { initialState, restoreState } from './state.js';
import { T0, level, moisture, paddyConfig, salinity, sprinklerConfig } from './testing.js';
import type { LoopState } from './types.js';

/** A started loop with the given readings already seen at T0. */
function started(config: GatewayConfig, readings = [level(-10, T0), salinity(1, T0)]): LoopState {
  return step(initialState(), readings, config, T0).state;
}

describe('start-up', () => {
  it('commands every valve and pump closed on the first step, pumps first', () => {
    const r = step(initialState(), [], paddyConfig(), T0);
    expect(r.commands).toEqual([
      { actuator: 'p1', on: false, reason: expect.stringMatching(/start-up/) },
      { actuator: 'v1', on: false, reason: expect.stringMatching(/start-up/) },
    ]);
    expect(r.events.map((e) => e.kind)).toEqual(['started']);
  });

  it('comes up closed after a restart even if the saved state had the intake open', () => {
    const cfg = paddyConfig();
    const open = step(started(cfg), [level(-16, T0 + 1000)], cfg, T0 + 1000).state;
    expect(open.valves.v1!.open).toBe(true);
    const restored = restoreState(open, T0 + 5000);
    expect(restored.valves.v1!.open).toBe(false);
    const r = step(restored, [], cfg, T0 + 5000);
    expect(r.commands[0]).toMatchObject({ actuator: 'p1', on: false });
    expect(r.commands[1]).toMatchObject({ actuator: 'v1', on: false });
  });

  it('emits only valid protocol events', () => {
    const cfg = paddyConfig();
    const r = step(started(cfg), [level(-16.2, T0 + 1000), salinity(3.4, T0 + 1000)], cfg, T0 + 1000);
    for (const e of r.events) expect(() => GatewayEvent.parse({ ...e, bootId: 'boot1' })).not.toThrow();
  });
});

describe('AWD mode', () => {
  const cases: Array<{ name: string; was: boolean; cm: number; open: boolean; reason?: string }> = [
    {
      name: 'opens the intake at the re-flood level',
      was: false,
      cm: -16.2,
      open: true,
      reason: 'opened: water level −16.2 cm ≤ −15 cm',
    },
    {
      name: 'opens exactly at −15 cm',
      was: false,
      cm: -15,
      open: true,
      reason: 'opened: water level −15.0 cm ≤ −15 cm',
    },
    { name: 'stays closed while the field drains between the marks', was: false, cm: -10, open: false },
    { name: 'keeps filling between the marks', was: true, cm: 2, open: true },
    {
      name: 'closes at the target flood depth',
      was: true,
      cm: 5.1,
      open: false,
      reason: 'closed: water level 5.1 cm ≥ 5 cm',
    },
  ];
  it.each(cases)('$name', ({ was, cm, open, reason }) => {
    const cfg = paddyConfig();
    let s = started(cfg);
    if (was) s = step(s, [level(-16, T0 + 1000)], cfg, T0 + 1000).state;
    const r = step(s, [level(cm, T0 + 2000)], cfg, T0 + 2000);
    expect(r.state.valves.v1!.open).toBe(open);
    if (reason) expect(r.commands.find((c) => c.actuator === 'v1')?.reason).toBe(reason);
    else expect(r.commands).toEqual([]);
  });

  it('opens the valve before the pump and stops the pump before the valve', () => {
    const cfg = paddyConfig();
    const a = step(started(cfg), [level(-16, T0 + 1000)], cfg, T0 + 1000);
    expect(a.commands.map((c) => `${c.actuator}:${c.on}`)).toEqual(['v1:true', 'p1:true']);
    const b = step(a.state, [level(6, T0 + 2000)], cfg, T0 + 2000);
    expect(b.commands.map((c) => `${c.actuator}:${c.on}`)).toEqual(['p1:false', 'v1:false']);
  });

  it('holds the level between the keep-flooded bounds inside the window (local dates)', () => {
    const cfg = paddyConfig({ awd: { keepFlooded: [{ from: '2026-03-10', to: '2026-03-20', minCm: 2, maxCm: 6 }] } });
    const r = step(started(cfg, [level(3, T0), salinity(1, T0)]), [level(1.5, T0 + 1000)], cfg, T0 + 1000);
    expect(r.commands[0]?.reason).toBe('opened: water level 1.5 cm ≤ 2 cm (keep flooded 2026-03-10…2026-03-20)');
    // 2026-03-09 16:59 UTC is still 23:59 on the 9th in Vietnam: outside the window
    const before = Date.UTC(2026, 2, 9, 16, 59);
    const s = step(initialState(), [level(1.5, before), salinity(1, before)], cfg, before);
    expect(s.state.valves.v1!.open).toBe(false);
  });

  it('emits nothing on a repeated identical reading', () => {
    const cfg = paddyConfig();
    const a = step(started(cfg), [level(-16, T0 + 1000)], cfg, T0 + 1000);
    const b = step(a.state, [level(-16, T0 + 2000)], cfg, T0 + 2000);
    expect(b.commands).toEqual([]);
    expect(b.events).toEqual([]);
  });
});

describe('threshold mode (sprinklers)', () => {
  it('opens at the refill point, holds between, closes at field capacity, then rests', () => {
    const cfg = sprinklerConfig();
    let s = started(cfg, [moisture(30, T0)]);
    const seq: Array<[number, number, boolean, string?]> = [
      [1, 24, true, 'opened: soil moisture 24.0 % ≤ refill point 25 %'],
      [2, 30, true],
      [3, 35.2, false, 'closed: soil moisture 35.2 % ≥ field capacity 35 %'],
      [4, 30, false],
      [5, 20, false], // 2 min after closing: minimum off time
      [40, 20, true, 'opened: soil moisture 20.0 % ≤ refill point 25 %'],
    ];
    for (const [min, pct, open, reason] of seq) {
      const t = T0 + minutes(min);
      const r = step(s, [moisture(pct, t)], cfg, t);
      expect(r.state.valves.v2!.open, `minute ${min}`).toBe(open);
      if (reason) expect(r.commands[0]?.reason).toBe(reason);
      if (min === 5) expect(r.events[0]?.reason).toBe('blocked: minimum off time 30 min, 28 min left');
      s = r.state;
    }
  });
});

describe('schedule mode', () => {
  const sched = (use: 'irrigate' | 'allow', mode: 'schedule' | 'threshold') =>
    sprinklerConfig({
      mode,
      schedule: {
        use,
        windows: [
          { days: [2], start: '05:00', end: '07:00' },
          { days: [], start: '22:00', end: '02:00' },
        ],
      },
    });
  const at = (h: number, m = 0, day = 10) => Date.UTC(2026, 2, day, h - 7, m); // local hour on 2026-03-<day>
  it.each([
    { name: 'irrigates inside a weekday window (local time)', ts: at(6), open: true },
    { name: 'not outside it', ts: at(7, 1), open: false },
    { name: 'not on another weekday', ts: at(6, 0, 11), open: false },
    { name: 'inside a window that runs past midnight', ts: at(1, 30, 11), open: true },
  ])('$name', ({ ts, open }) => {
    const cfg = sched('irrigate', 'schedule');
    const r = step(initialState(), [moisture(30, ts)], cfg, ts);
    expect(r.state.valves.v2!.open).toBe(open);
  });

  it('as "allow" lets the threshold mode irrigate only inside the windows', () => {
    const cfg = sched('allow', 'threshold');
    const out = step(initialState(), [moisture(20, at(12))], cfg, at(12));
    expect(out.state.valves.v2!.open).toBe(false);
    expect(out.events.find((e) => e.kind === 'blocked')?.reason).toBe(
      'blocked: outside allowed windows 05:00–07:00, 22:00–02:00',
    );
    const inside = step(out.state, [moisture(20, at(22, 5))], cfg, at(22, 5));
    expect(inside.state.valves.v2!.open).toBe(true);
    const ends = step(inside.state, [moisture(22, at(2, 1, 11))], cfg, at(2, 1, 11));
    expect(ends.commands[0]).toMatchObject({
      on: false,
      reason: 'closed: outside allowed windows 05:00–07:00, 22:00–02:00',
    });
  });
});

describe('off mode', () => {
  it('keeps every valve closed whatever the sensors say', () => {
    const cfg = paddyConfig({ mode: 'off' });
    const r = step(started(cfg), [level(-30, T0 + 1000)], cfg, T0 + 1000);
    expect(r.commands).toEqual([]);
    expect(r.state.valves.v1!.open).toBe(false);
  });
});
