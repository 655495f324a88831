import type { GatewayConfig, Zone } from '../../protocol/index.js';
import { clock, mins, num, ppt } from './format.js';
import type { Desire } from './modes.js';
import { sensorKey, viewSensor } from './sensors.js';
import type { ControlEvent, LoopOptions, LoopState } from './types.js';

/** A valve's final wish after the override and interlocks; `interlock` = a safety rule closed it. */
export interface ValveDecision extends Desire {
  zone: string;
  interlock?: 'salinity' | 'max_run_time' | 'pump_capacity' | 'fresh_readings';
}

/**
 * Intake salinity above the zone's limit keeps the intake closed and closes it if open.
 * Unknown salinity (no sensor, stale, bad) counts as too salty: canal water is only let in
 * when it is known to be fresh enough.
 */
export function salinityInterlock(
  zone: Zone,
  valve: string,
  d: ValveDecision,
  state: LoopState,
  now: number,
): ValveDecision {
  if (!d.open || valve !== zone.intakeValve) return d;
  const limit = zone.salinityLimitPpt;
  const ref = zone.sensors.intakeSalinity;
  const s = ref
    ? viewSensor(state, ref, zone.staleAfterSeconds, now)
    : { ok: false as const, why: 'no intake salinity sensor is configured', data: { cause: 'no_sensor' } };
  if (!s.ok) {
    const why = `intake salinity unknown, ${s.why}`;
    // right after start the probe has simply not been polled yet: wait quietly (still closed)
    const waiting =
      ref && !state.latest[sensorKey(ref)] && now - (state.startedAt ?? now) <= zone.staleAfterSeconds * 1000;
    return {
      ...d,
      open: false,
      code: 'salinity_unknown',
      reason: `closed: ${why}`,
      interlock: 'salinity',
      severity: 'warning',
      data: { ...s.data, limitPpt: limit },
      block: {
        key: waiting ? 'salinity_waiting' : 'salinity_unknown',
        reason: `blocked: ${why}`,
        ...(waiting ? { quiet: true } : {}),
      },
    };
  }
  if (s.value <= limit) return d;
  const cmp = `intake salinity ${ppt(s.value)} > ${ppt(limit)}`;
  return {
    ...d,
    open: false,
    code: 'salinity_interlock',
    reason: `closed: ${cmp}`,
    interlock: 'salinity',
    severity: 'warning',
    data: { ...d.data, salinityPpt: Math.round(s.value * 10) / 10, limitPpt: limit },
    block: { key: 'salinity_interlock', reason: `blocked: ${cmp}` },
  };
}

/**
 * Sensors some interlock needs (each zone's intake salinity probe) that have not been read since
 * this boot, while the zone's staleAfterSeconds since start have not passed yet. Until this list
 * is empty nothing opens: after a restart the first decision must rest on the bus as it is now.
 * After staleAfterSeconds the interlock itself treats a silent probe as unknown (= too salty).
 */
export function awaitingFreshReadings(config: GatewayConfig, state: LoopState, now: number): string[] {
  const since = state.startedAt ?? now;
  const out: string[] = [];
  for (const zone of config.zones) {
    const ref = zone.sensors.intakeSalinity;
    if (!ref || !zone.intakeValve || now - since > zone.staleAfterSeconds * 1000) continue;
    const r = state.latest[sensorKey(ref)];
    if (!r || r.ts < since) out.push(sensorKey(ref));
  }
  return [...new Set(out)];
}

/** Nothing opens before every interlock sensor has been read since start-up (quietly: a normal boot). */
export function freshReadingsGate(
  awaiting: string[],
  valve: string,
  d: ValveDecision,
  state: LoopState,
): ValveDecision {
  if (!d.open || awaiting.length === 0 || state.valves[valve]?.open) return d;
  const why = `waiting for a reading since start-up from ${awaiting.join(', ')}`;
  return {
    ...d,
    open: false,
    code: 'awaiting_fresh_readings',
    reason: `closed: ${why}`,
    interlock: 'fresh_readings',
    data: { sensors: awaiting.join(',') },
    block: { key: 'awaiting_fresh_readings', reason: `blocked: ${why}`, quiet: true },
  };
}

/** Every valve has a maximum run time; after it, a lock-out so it does not reopen at once. */
export function maxRunTimeInterlock(
  zone: Zone,
  valve: string,
  d: ValveDecision,
  state: LoopState,
  now: number,
  opts: LoopOptions,
  tz: string,
  events: ControlEvent[],
): ValveDecision {
  const vs = state.valves[valve];
  if (!vs) return d;
  const maxMs = zone.maxRunMinutes * 60_000;
  if (vs.open && d.open && now - vs.since >= maxMs) {
    const rest = Math.max(opts.lockoutMinutes, zone.threshold?.minOffMinutes ?? 0) * 60_000;
    vs.lockedUntil = now + rest;
    delete state.overrides[valve];
    const reason = `closed: ${valve} open ${mins(now - vs.since)} ≥ max run time ${num(zone.maxRunMinutes)} min, locked out until ${clock(vs.lockedUntil, tz)}`;
    const data = {
      maxRunMinutes: zone.maxRunMinutes,
      openMinutes: Math.round((now - vs.since) / 60_000),
      lockedUntil: vs.lockedUntil,
    };
    events.push({
      ts: now,
      kind: 'max_run_time',
      code: 'max_run_time',
      zone: zone.id,
      valve,
      severity: 'warning',
      reason,
      data,
    });
    return { ...d, open: false, code: 'max_run_time', reason, interlock: 'max_run_time', severity: 'warning', data };
  }
  if (d.open && vs.lockedUntil !== undefined && now < vs.lockedUntil) {
    const why = `${valve} locked out after max run time until ${clock(vs.lockedUntil, tz)}`;
    return {
      ...d,
      open: false,
      code: 'lockout',
      reason: `closed: ${why}`,
      data: { lockedUntil: vs.lockedUntil },
      block: { key: 'lockout', reason: `blocked: ${why}` },
    };
  }
  if (vs.lockedUntil !== undefined && now >= vs.lockedUntil) delete vs.lockedUntil;
  return d;
}

export interface PumpRuleResolved {
  pump: string;
  valves: string[];
  maxOpenValves: number;
}

/** Pump rules from config.pumps plus each zone's `pump`, merged per pump. */
export function pumpRules(config: GatewayConfig): PumpRuleResolved[] {
  const rules = new Map<string, PumpRuleResolved>();
  for (const p of config.pumps)
    rules.set(p.pump, { pump: p.pump, valves: [...p.valves], maxOpenValves: p.maxOpenValves });
  for (const z of config.zones) {
    if (!z.pump) continue;
    const r = rules.get(z.pump) ?? { pump: z.pump, valves: [], maxOpenValves: 4 };
    for (const v of z.valves) if (!r.valves.includes(v)) r.valves.push(v);
    rules.set(z.pump, r);
  }
  return [...rules.values()];
}

/** At most maxOpenValves of a pump's valves open at once: valves already open keep their place. */
export function pumpCapacityInterlock(
  rules: PumpRuleResolved[],
  decisions: Map<string, ValveDecision>,
  state: LoopState,
): void {
  for (const rule of rules) {
    const wanting = rule.valves.filter((v) => decisions.get(v)?.open);
    wanting.sort((a, b) => Number(!!state.valves[b]?.open) - Number(!!state.valves[a]?.open));
    for (const v of wanting.slice(rule.maxOpenValves)) {
      const d = decisions.get(v)!;
      const why = `pump ${rule.pump} already feeds ${rule.maxOpenValves} of at most ${rule.maxOpenValves} open valves`;
      decisions.set(v, {
        ...d,
        open: false,
        code: 'pump_capacity',
        reason: `closed: ${why}`,
        interlock: 'pump_capacity',
        data: { pump: rule.pump, maxOpenValves: rule.maxOpenValves },
        block: { key: 'pump_capacity', reason: `blocked: ${why}` },
      });
    }
  }
}
