import type { GatewayConfig, Reading } from '../../protocol/index.js';
import { step } from '../../edge/control/step.js';
import { initialState, restoreState } from '../../edge/control/state.js';
import type { ControlEvent, LoopOptions, LoopState } from '../../edge/control/types.js';
import { advancePaddy, type PaddyParams } from './paddy.js';
import { canalSalinityPpt, type SalinityParams } from './salinity.js';

/**
 * The control loop closed around the field models with no bus in between: a simulated week of
 * a paddy in milliseconds. Sensors are `wl1/water_level` and `sal1/salinity`; the intake is the
 * zone's intakeValve. `tamper` injects faults (a reading turned bad, stuck or missing).
 */
export interface PaddyLoopOptions {
  config: GatewayConfig;
  start: number;
  durationMs: number;
  tickMs?: number;
  initialLevelCm?: number;
  paddy?: Partial<PaddyParams>;
  salinity?: Partial<SalinityParams>;
  loop?: LoopOptions;
  /** return null to drop the reading, or a changed one */
  tamper?: (r: Reading, t: number) => Reading | null;
  /** restart the gateway (state restored from "disk") at these times */
  restartsAt?: number[];
  state?: LoopState;
}

export interface PaddyTrace {
  ts: number;
  levelCm: number;
  salinityPpt: number;
  intakeOpen: boolean;
}

export interface PaddyLoopResult {
  trace: PaddyTrace[];
  events: ControlEvent[];
  state: LoopState;
  /** how many times the intake went from closed to open */
  opens: number;
}

export function runPaddyLoop(o: PaddyLoopOptions): PaddyLoopResult {
  const tick = o.tickMs ?? 60_000;
  const intake = o.config.zones[0]?.intakeValve ?? o.config.zones[0]?.valves[0] ?? 'v1';
  let field = { ts: o.start, levelCm: o.initialLevelCm ?? 0 };
  let state = o.state ?? initialState();
  const relays = new Map<string, boolean>();
  const trace: PaddyTrace[] = [];
  const events: ControlEvent[] = [];
  const restarts = [...(o.restartsAt ?? [])].sort((a, b) => a - b);
  let opens = 0;
  for (let t = o.start; t <= o.start + o.durationMs; t += tick) {
    field = advancePaddy(field, t, { intakeOpen: relays.get(intake) === true }, o.paddy);
    if (restarts.length && t >= restarts[0]!) {
      restarts.shift();
      for (const k of relays.keys()) relays.set(k, false); // the gateway closes every relay as it starts
      state = restoreState(state, t);
    }
    const sal = canalSalinityPpt(t, o.salinity);
    const raw: Reading[] = [
      {
        sensor: 'wl1',
        metric: 'water_level',
        value: Math.round(field.levelCm * 10) / 10,
        unit: 'cm',
        ts: t,
        quality: 'good',
      },
      { sensor: 'sal1', metric: 'salinity', value: sal, unit: 'ppt', ts: t, quality: 'good' },
    ];
    const readings = o.tamper ? raw.map((r) => o.tamper!(r, t)).filter((r): r is Reading => r !== null) : raw;
    const r = step(state, readings, o.config, t, o.loop);
    state = r.state;
    for (const c of r.commands) {
      if (c.actuator === intake && c.on && !relays.get(intake)) opens++;
      relays.set(c.actuator, c.on);
    }
    events.push(...r.events);
    trace.push({ ts: t, levelCm: field.levelCm, salinityPpt: sal, intakeOpen: relays.get(intake) === true });
  }
  return { trace, events, state, opens };
}
