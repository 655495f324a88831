import type { LoopState } from './types.js';

export function initialState(): LoopState {
  return { started: false, latest: {}, valves: {}, pumps: {}, zones: {}, overrides: {}, faults: {} };
}

/**
 * The state a gateway comes back with after a restart: every actuator closed (the shell has
 * just commanded them so), manual opens forgotten; close holds, lock-outs, min-off clocks and
 * the fault memory kept — all of them can only keep water off, never turn it on. Readings are
 * forgotten: the canal may have turned saline while the gateway was down, so only readings
 * taken after this boot may drive an actuator.
 */
export function restoreState(saved: LoopState, now: number): LoopState {
  const s = cloneState(saved);
  s.started = false;
  s.latest = {};
  for (const [id, v] of Object.entries(s.valves)) {
    s.valves[id] = { open: false, since: now, ...(v.lockedUntil !== undefined ? { lockedUntil: v.lockedUntil } : {}) };
  }
  for (const id of Object.keys(s.pumps)) s.pumps[id] = { on: false, since: now };
  for (const [id, o] of Object.entries(s.overrides)) if (o.kind === 'open') delete s.overrides[id];
  for (const z of Object.values(s.zones)) z.lastClosedAt = now;
  return s;
}

/** Actuators this state believes are on, for telemetry and the birth inventory. */
export function openActuators(state: LoopState): string[] {
  return [
    ...Object.entries(state.valves)
      .filter(([, v]) => v.open)
      .map(([id]) => id),
    ...Object.entries(state.pumps)
      .filter(([, p]) => p.on)
      .map(([id]) => id),
  ];
}

/** A deep copy, by hand: structuredClone is ~10× slower and a simulated month is ~40k steps. */
export function cloneState(s: LoopState): LoopState {
  const map = <T extends object>(r: Record<string, T>) => {
    const out: Record<string, T> = {};
    for (const k in r) out[k] = { ...r[k]! };
    return out;
  };
  return {
    ...s,
    latest: map(s.latest),
    valves: map(s.valves),
    pumps: map(s.pumps),
    zones: map(s.zones),
    overrides: map(s.overrides),
    faults: { ...s.faults },
  };
}
