import { describe, expect, it } from 'vitest';
import { hours, minutes } from '../lib/time.js';
import { T0, paddyConfig } from '../edge/control/testing.js';
import { runPaddyLoop } from '../simulators/field/paddy-loop.js';
import { step } from '../edge/control/step.js';
import { restoreState } from '../edge/control/state.js';
import { executeCommand } from '../edge/control/commands.js';

const fresh = { monthlyBasePpt: Array(12).fill(0.5), spikeChanceDry: 0, spikeChanceWet: 0 };

describe('a gateway that restarts', () => {
  it('comes up with every valve and pump commanded closed, then decides afresh', () => {
    const restartAt = T0 + minutes(30);
    const r = runPaddyLoop({
      config: paddyConfig(),
      start: T0,
      durationMs: hours(1),
      tickMs: minutes(1),
      initialLevelCm: -15.5,
      salinity: fresh,
      paddy: { rain: false },
      restartsAt: [restartAt],
    });
    const started = r.events.filter((e) => e.kind === 'started');
    expect(started.map((e) => e.ts)).toEqual([T0, restartAt]);
    expect(r.trace.find((p) => p.ts === restartAt - minutes(1))?.intakeOpen).toBe(true);
    // still below +5 cm: the loop reopens on fresh data after its start-up close
    expect(r.events.filter((e) => e.kind === 'valve_opened').map((e) => e.ts)).toEqual([T0, restartAt]);
  });

  it('forgets a manual open but keeps a stop-all hold across the restart', () => {
    const cfg = paddyConfig();
    const s0 = step(
      restoreState(
        step({ started: false, latest: {}, valves: {}, pumps: {}, zones: {}, overrides: {}, faults: {} }, [], cfg, T0)
          .state,
        T0,
      ),
      [],
      cfg,
      T0,
    ).state;
    const base = { issuedAt: T0, expiresAt: T0 + minutes(5) };
    const opened = executeCommand(s0, { ...base, id: 'a', kind: 'open', valve: 'v1', minutes: 60 }, cfg, T0).state;
    expect(restoreState(opened, T0 + 1000).overrides).toEqual({});
    const stopped = executeCommand(s0, { ...base, id: 'b', kind: 'stop-all' }, cfg, T0).state;
    const back = restoreState(stopped, T0 + 1000);
    expect(back.overrides.v1?.kind).toBe('close');
  });
});
