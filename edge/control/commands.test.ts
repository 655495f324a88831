import { describe, expect, it } from 'vitest';
import { Command as CommandSchema, type Command } from '../../protocol/index.js';
import { minutes } from '../../lib/time.js';
import { executeCommand } from './commands.js';
import { EVENT_CODES } from './event-codes.js';
import { step } from './step.js';
import { initialState } from './state.js';
import { T0, level, paddyConfig, salinity } from './testing.js';
import type { LoopState } from './types.js';

const cfg = paddyConfig();
const cmd = (c: Partial<Command> & { id: string; kind: Command['kind'] }, t: number) =>
  ({ issuedAt: t, expiresAt: t + minutes(1), by: 'nongdan', ...c }) as Command;

/** A paddy between its marks, then closed by hand, then the field dries below the refill mark. */
function heldClosedWhileDry(): LoopState {
  const booted = step(initialState(), [level(-10, T0), salinity(1, T0)], cfg, T0).state;
  const closed = executeCommand(booted, cmd({ id: 'c1', kind: 'close', valve: 'v1' }, T0 + 1000), cfg, T0 + 1000);
  expect(closed.outcome).toBe('done');
  const dry = step(closed.state, [level(-20, T0 + minutes(5)), salinity(1, T0 + minutes(5))], cfg, T0 + minutes(5));
  expect(dry.state.valves.v1!.open).toBe(false);
  return dry.state;
}

describe('resume automatic now', () => {
  it('is a valid command for a valve, a zone, or every valve', () => {
    for (const target of [{ valve: 'v1' }, { zone: 'z1' }, {}]) {
      expect(() => CommandSchema.parse(cmd({ id: 'r', kind: 'resume', ...target }, T0))).not.toThrow();
    }
  });

  it('ends a manual close at once and the automatic mode opens the dry field in the same step', () => {
    const held = heldClosedWhileDry();
    expect(held.overrides.v1?.kind).toBe('close');
    const r = executeCommand(
      held,
      cmd({ id: 'r1', kind: 'resume', valve: 'v1' }, T0 + minutes(6)),
      cfg,
      T0 + minutes(6),
    );
    expect(r.outcome).toBe('done');
    expect(r.state.overrides).toEqual({});
    expect(r.state.valves.v1!.open).toBe(true);
    expect(r.events.find((e) => e.kind === 'valve_opened')?.code).toBe('awd_refill');
    const ran = r.events.find((e) => e.kind === 'cmd_executed');
    expect(ran).toMatchObject({
      code: 'cmd_resume',
      data: { cmdId: 'r1', by: 'nongdan', valves: 'v1', cleared: 'v1' },
    });
    for (const k of Object.keys(ran!.data ?? {})) expect(EVENT_CODES.cmd_resume).toContain(k);
  });

  it('clears every hold when it names neither a zone nor a valve', () => {
    const held = heldClosedWhileDry();
    const r = executeCommand(held, cmd({ id: 'r2', kind: 'resume' }, T0 + minutes(6)), cfg, T0 + minutes(6));
    expect(r.outcome).toBe('done');
    expect(r.state.overrides).toEqual({});
  });

  it('ends a manual open too: the automatic mode closes a field already flooded', () => {
    const booted = step(initialState(), [level(-10, T0), salinity(1, T0)], cfg, T0).state;
    const opened = executeCommand(
      booted,
      cmd({ id: 'o1', kind: 'open', zone: 'z1', minutes: 30 }, T0 + 1000),
      cfg,
      T0 + 1000,
    );
    expect(opened.state.valves.v1!.open).toBe(true);
    const r = executeCommand(opened.state, cmd({ id: 'r3', kind: 'resume', zone: 'z1' }, T0 + 2000), cfg, T0 + 2000);
    expect(r.state.overrides).toEqual({});
    expect(r.state.valves.v1!.open).toBe(false);
  });

  it('is done without change when there is no hold, and refused for an unknown valve', () => {
    const booted = step(initialState(), [level(-10, T0), salinity(1, T0)], cfg, T0).state;
    const none = executeCommand(booted, cmd({ id: 'r4', kind: 'resume', valve: 'v1' }, T0 + 1000), cfg, T0 + 1000);
    expect(none.outcome).toBe('done');
    expect(none.events.find((e) => e.code === 'cmd_resume')?.data).toMatchObject({ cleared: '' });
    const unknown = executeCommand(booted, cmd({ id: 'r5', kind: 'resume', valve: 'nope' }, T0 + 1000), cfg, T0 + 1000);
    expect(unknown).toMatchObject({ outcome: 'rejected', code: 'unknown_target' });
  });
});
