import type { GatewayConfig, Reading, Zone } from '../../protocol/index.js';
import { clock } from './format.js';
import {
  awaitingFreshReadings,
  freshReadingsGate,
  maxRunTimeInterlock,
  pumpCapacityInterlock,
  pumpRules,
  salinityInterlock,
  type ValveDecision,
} from './interlocks.js';
import { localTime } from './local-time.js';
import { decisionCode, zoneDesire, type Desire } from './modes.js';
import { cloneState } from './state.js';
import { applyWeather } from '../weather/adjust.js';
import { mergeReadings, sensorKey, viewSensor } from './sensors.js';
import {
  DEFAULT_LOOP_OPTIONS,
  type ActuatorCommand,
  type ControlEvent,
  type LoopOptions,
  type LoopState,
  type StepResult,
} from './types.js';

/**
 * The irrigation control loop: a pure function of (state, new readings, config, now). No I/O,
 * no timers; the shell applies the commands in order and publishes the events. Commands come
 * only on changes (and once for every actuator on the first step: everything closed).
 */
export function step(
  prev: LoopState,
  readings: readonly Reading[],
  config: GatewayConfig,
  now: number,
  opts: LoopOptions = DEFAULT_LOOP_OPTIONS,
): StepResult {
  const state = cloneState(prev);
  const commands: ActuatorCommand[] = [];
  const events: ControlEvent[] = [];
  mergeReadings(state.latest, readings);
  const rules = pumpRules(config);
  if (!state.started)
    startUp(
      state,
      config,
      rules.map((r) => r.pump),
      now,
      commands,
      events,
    );
  trackSensorFaults(state, config, now, events);
  const ended = expireOverrides(state, now);

  const decisions = new Map<string, ValveDecision>();
  const local = localTime(now, config.timezone);
  const awaiting = awaitingFreshReadings(config, state, now);
  for (const zone of config.zones) {
    const zs = (state.zones[zone.id] ??= { irrigating: false });
    // weather (edge/weather) may only turn the mode's "open" into "closed"; interlocks still follow
    const auto = applyWeather(
      zoneDesire(zone, { state, zs, local, now }),
      opts.weather?.[zone.id],
      zone.valves.some((v) => state.valves[v]?.open === true),
    );
    for (const valve of zone.valves) {
      state.valves[valve] ??= { open: false, since: now };
      let d: ValveDecision = { ...valveWish(state, valve, auto, ended.has(valve), config.timezone), zone: zone.id };
      d = maxRunTimeInterlock(zone, valve, d, state, now, opts, config.timezone, events);
      d = salinityInterlock(zone, valve, d, state, now);
      d = freshReadingsGate(awaiting, valve, d, state);
      decisions.set(valve, d);
    }
  }
  pumpCapacityInterlock(rules, decisions, state);

  const opens: ActuatorCommand[] = [];
  const closes: ActuatorCommand[] = [];
  for (const [valve, vs] of Object.entries(state.valves)) {
    const d = decisions.get(valve) ?? {
      zone: '',
      open: false,
      code: 'valve_not_in_zone',
      reason: `closed: ${valve} is in no zone of config v${config.version}`,
      data: { configVersion: config.version },
    };
    const zone = config.zones.find((z) => z.id === d.zone);
    noteBlock(state, valve, d, now, events);
    if (d.open === vs.open) continue;
    vs.open = d.open;
    vs.since = now;
    if (!d.open && zone) state.zones[zone.id]!.lastClosedAt = now;
    (d.open ? opens : closes).push({ actuator: valve, on: d.open, reason: d.reason });
    if (d.interlock === 'salinity' || d.interlock === 'pump_capacity') {
      events.push(ev(now, 'interlock', decisionCode(d), zone, valve, d.reason, 'warning', d.data));
    }
    events.push(
      ev(
        now,
        d.open ? 'valve_opened' : 'valve_closed',
        decisionCode(d),
        zone,
        valve,
        d.reason,
        d.severity ?? 'info',
        d.data,
      ),
    );
  }
  const { on, off } = drivePumps(state, rules, now, events);
  commands.push(...off, ...closes, ...opens, ...on);
  return { state, commands, events };
}

function ev(
  ts: number,
  kind: ControlEvent['kind'],
  code: string,
  zone: Zone | undefined,
  valve: string,
  reason: string,
  severity: ControlEvent['severity'],
  data?: ControlEvent['data'],
): ControlEvent {
  return { ts, kind, code, ...(zone ? { zone: zone.id } : {}), valve, severity, reason, ...(data ? { data } : {}) };
}

/** A person's override beats the automatic mode; interlocks come after and beat both. */
function valveWish(state: LoopState, valve: string, auto: Desire, manualEnded: boolean, tz: string): Desire {
  const o = state.overrides[valve];
  const data = (by: string, until: number) => ({ by, until, ...(o?.cmdId ? { cmdId: o.cmdId } : {}) });
  if (o?.kind === 'close')
    return {
      open: false,
      code: 'manual_close',
      reason: `closed: held closed by ${o.by} until ${clock(o.until, tz)}`,
      data: data(o.by, o.until),
    };
  if (o?.kind === 'open')
    return {
      open: true,
      code: 'manual_open',
      reason: `opened: manual open by ${o.by} until ${clock(o.until, tz)}`,
      data: data(o.by, o.until),
    };
  if (manualEnded && !auto.open) {
    return {
      ...auto,
      code: 'manual_ended',
      data: { ...auto.data, then: decisionCode(auto) },
      reason: `closed: manual time ended, back to automatic (${auto.reason.replace(/^closed: /, '')})`,
    };
  }
  return auto;
}

function noteBlock(state: LoopState, valve: string, d: ValveDecision, now: number, events: ControlEvent[]): void {
  const vs = state.valves[valve]!;
  const key = d.block?.key;
  if (key === vs.block) return;
  if (key) {
    vs.block = key;
    vs.blockReason = d.block!.reason;
  } else {
    delete vs.block;
    delete vs.blockReason;
  }
  if (d.block && !d.block.quiet) {
    const severity = key === 'salinity_interlock' || key === 'salinity_unknown' ? 'warning' : 'info';
    events.push({
      ts: now,
      kind: 'blocked',
      code: key!,
      zone: d.zone,
      valve,
      severity,
      reason: d.block.reason,
      ...(d.data ? { data: d.data } : {}),
    });
  }
}

/** A pump runs only while at least one of its valves is open. */
function drivePumps(state: LoopState, rules: ReturnType<typeof pumpRules>, now: number, events: ControlEvent[]) {
  const on: ActuatorCommand[] = [];
  const off: ActuatorCommand[] = [];
  const ruled = new Set(rules.map((r) => r.pump));
  for (const id of Object.keys(state.pumps))
    if (!ruled.has(id)) rules = [...rules, { pump: id, valves: [], maxOpenValves: 0 }];
  for (const r of rules) {
    const ps = (state.pumps[r.pump] ??= { on: false, since: now });
    const openValves = r.valves.filter((v) => state.valves[v]?.open);
    const want = openValves.length > 0;
    if (want === ps.on) continue;
    ps.on = want;
    ps.since = now;
    const reason = want ? `pump on: valve ${openValves.join(', ')} open` : `pump off: no valve of ${r.pump} open`;
    (want ? on : off).push({ actuator: r.pump, on: want, reason });
    events.push({
      ts: now,
      kind: want ? 'pump_on' : 'pump_off',
      code: want ? 'pump_valve_open' : 'pump_no_valve_open',
      valve: r.pump,
      severity: 'info',
      reason,
      data: { pump: r.pump, valves: openValves.join(',') },
    });
  }
  return { on, off };
}

function startUp(
  state: LoopState,
  config: GatewayConfig,
  pumps: string[],
  now: number,
  commands: ActuatorCommand[],
  events: ControlEvent[],
): void {
  const valves = new Set([...Object.keys(state.valves), ...config.zones.flatMap((z) => z.valves)]);
  const all = new Set([...pumps, ...Object.keys(state.pumps)]);
  for (const p of all) {
    state.pumps[p] = { on: false, since: now };
    commands.push({ actuator: p, on: false, reason: 'closed: start-up, every actuator starts off' });
  }
  for (const v of valves) {
    state.valves[v] = { ...state.valves[v], open: false, since: now };
    commands.push({ actuator: v, on: false, reason: 'closed: start-up, every valve starts closed' });
  }
  state.started = true;
  state.startedAt = now;
  events.push({
    ts: now,
    kind: 'started',
    code: 'started',
    severity: 'info',
    reason: `started: ${valves.size} valves and ${all.size} pumps commanded closed`,
    data: { configVersion: config.version, valves: valves.size, pumps: all.size },
  });
}

function trackSensorFaults(state: LoopState, config: GatewayConfig, now: number, events: ControlEvent[]) {
  for (const zone of config.zones) {
    for (const ref of Object.values(zone.sensors)) {
      if (!ref) continue;
      const key = sensorKey(ref);
      const s = viewSensor(state, ref, zone.staleAfterSeconds, now);
      // right after start the bus has not been read yet: silence is a fault only once it is stale
      const waiting = !state.latest[key] && now - (state.startedAt ?? now) <= zone.staleAfterSeconds * 1000;
      if (waiting) continue;
      const had = state.faults[key];
      if (!s.ok && had === undefined) {
        state.faults[key] = s.why;
        events.push({
          ts: now,
          kind: 'sensor_fault',
          code: 'sensor_unknown',
          zone: zone.id,
          sensor: ref.sensor,
          severity: 'warning',
          reason: `sensor fault: ${s.why}`,
          data: s.data,
        });
      } else if (s.ok && had !== undefined) {
        delete state.faults[key];
        events.push({
          ts: now,
          kind: 'sensor_recovered',
          code: 'sensor_recovered',
          zone: zone.id,
          sensor: ref.sensor,
          severity: 'info',
          reason: `sensor recovered: ${ref.sensor} ${ref.metric} reads again`,
          data: { sensor: ref.sensor, metric: ref.metric },
        });
      }
    }
  }
}

function expireOverrides(state: LoopState, now: number): Set<string> {
  const ended = new Set<string>();
  for (const [valve, o] of Object.entries(state.overrides)) {
    if (o.until > now) continue;
    delete state.overrides[valve];
    if (o.kind === 'open') ended.add(valve);
  }
  return ended;
}
