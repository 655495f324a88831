import type { Zone } from '../../protocol/index.js';
import { cm, num, pct } from './format.js';
import { activeWindow, describeWindows, type LocalTime } from './local-time.js';
import { viewSensor } from './sensors.js';
import type { LoopState, ZoneState } from './types.js';

/** What a zone's mode asks for its valves, and why. `block` = it wants water but may not have it. */
export interface Desire {
  open: boolean;
  /**
   * stable snake_case reason code of the event this decision makes (edge/README.md "Event codes");
   * every mode sets it; when left out the block's key stands in (see `decisionCode`)
   */
  code?: string;
  reason: string;
  /** quiet: recorded (so a later change is noticed) but not worth an event; key = the blocked event's code */
  block?: { key: string; reason: string; quiet?: boolean };
  data?: Record<string, number | string | boolean | null>;
  severity?: 'info' | 'warning' | 'critical';
}

export interface ModeContext {
  state: LoopState;
  zs: ZoneState;
  local: LocalTime;
  now: number;
}

/** the event code of a decision */
export function decisionCode(d: Desire): string {
  return d.code ?? d.block?.key ?? (d.open ? 'opened' : 'closed');
}

const closed = (code: string, reason: string, extra: Partial<Desire> = {}): Desire => ({
  open: false,
  code,
  reason,
  ...extra,
});

/** AWD: re-flood at the low mark, stop at the high mark, keep what it did in between. */
export function awdController(zone: Zone, ctx: ModeContext): Desire {
  const ref = zone.sensors.waterLevel;
  const awd = zone.awd;
  if (!ref || !awd)
    return closed('zone_incomplete', 'closed: AWD zone has no water-level sensor or settings', {
      data: { mode: 'awd' },
    });
  const s = viewSensor(ctx.state, ref, zone.staleAfterSeconds, ctx.now);
  if (!s.ok)
    return closed('sensor_unknown', `closed: water level unknown, ${s.why}`, { severity: 'warning', data: s.data });
  const window = awd.keepFlooded.find((k) => ctx.local.date >= k.from && ctx.local.date <= k.to);
  // re-flood at −15 cm, flood to +5 cm: IRRI "safe AWD"; a keep-flooded window narrows the band
  const low = window ? window.minCm : awd.refloodCm;
  const high = window ? window.maxCm : awd.targetCm;
  const why = window ? ` (keep flooded ${window.from}…${window.to})` : '';
  const data = { waterLevelCm: Math.round(s.value * 10) / 10, lowCm: low, highCm: high, keepFlooded: !!window };
  const level = cm(s.value, 1);
  if (s.value <= low) ctx.zs.irrigating = true;
  else if (s.value >= high) ctx.zs.irrigating = false;
  if (ctx.zs.irrigating) {
    const cmp = s.value <= low ? `≤ ${cm(low)}` : `< ${cm(high)}, refilling`;
    return {
      open: true,
      code: s.value <= low ? 'awd_refill' : 'awd_refilling',
      reason: `opened: water level ${level} ${cmp}${why}`,
      data,
    };
  }
  const cmp = s.value >= high ? `≥ ${cm(high)}` : `> ${cm(low)}, no water needed`;
  return closed(
    s.value >= high ? 'awd_target_reached' : 'awd_no_water_needed',
    `closed: water level ${level} ${cmp}${why}`,
    { data },
  );
}

/** Sprinklers: open at the refill point, close at field capacity, then rest minOffMinutes. */
export function thresholdController(zone: Zone, ctx: ModeContext): Desire {
  const ref = zone.sensors.soilMoisture;
  const t = zone.threshold;
  if (!ref || !t)
    return closed('zone_incomplete', 'closed: threshold zone has no soil-moisture sensor or settings', {
      data: { mode: 'threshold' },
    });
  const s = viewSensor(ctx.state, ref, zone.staleAfterSeconds, ctx.now);
  if (!s.ok)
    return closed('sensor_unknown', `closed: soil moisture unknown, ${s.why}`, { severity: 'warning', data: s.data });
  const data = {
    soilMoisturePct: Math.round(s.value * 10) / 10,
    refillPct: t.refillPct,
    fieldCapacityPct: t.fieldCapacityPct,
  };
  const m = pct(s.value, 1);
  if (s.value <= t.refillPct) ctx.zs.irrigating = true;
  else if (s.value >= t.fieldCapacityPct) ctx.zs.irrigating = false;
  if (!ctx.zs.irrigating) {
    const cmp =
      s.value >= t.fieldCapacityPct
        ? `≥ field capacity ${pct(t.fieldCapacityPct)}`
        : `> refill point ${pct(t.refillPct)}`;
    return closed(
      s.value >= t.fieldCapacityPct ? 'soil_field_capacity' : 'soil_no_water_needed',
      `closed: soil moisture ${m} ${cmp}`,
      { data },
    );
  }
  const restMs = t.minOffMinutes * 60_000;
  const since = ctx.zs.lastClosedAt;
  if (since !== undefined && ctx.now - since < restMs) {
    const left = Math.ceil((restMs - (ctx.now - since)) / 60_000);
    return closed('min_off_time', `closed: minimum off time ${num(t.minOffMinutes)} min`, {
      data: { ...data, minOffMinutes: t.minOffMinutes, minutesLeft: left },
      block: { key: 'min_off_time', reason: `blocked: minimum off time ${num(t.minOffMinutes)} min, ${left} min left` },
    });
  }
  const cmp =
    s.value <= t.refillPct
      ? `≤ refill point ${pct(t.refillPct)}`
      : `< field capacity ${pct(t.fieldCapacityPct)}, refilling`;
  return {
    open: true,
    code: s.value <= t.refillPct ? 'soil_refill' : 'soil_refilling',
    reason: `opened: soil moisture ${m} ${cmp}`,
    data,
  };
}

export function scheduleController(zone: Zone, ctx: ModeContext): Desire {
  const windows = zone.schedule?.windows ?? [];
  const w = activeWindow(windows, ctx.local);
  if (w)
    return {
      open: true,
      code: 'schedule_window',
      reason: `opened: schedule window ${w.start}–${w.end}`,
      data: { start: w.start, end: w.end },
    };
  return closed('outside_schedule', `closed: outside schedule windows ${describeWindows(windows)}`, {
    data: { windows: describeWindows(windows) },
  });
}

/** The zone's automatic wish, before any interlock. */
export function zoneDesire(zone: Zone, ctx: ModeContext): Desire {
  let d: Desire;
  switch (zone.mode) {
    case 'awd':
      d = awdController(zone, ctx);
      break;
    case 'threshold':
      d = thresholdController(zone, ctx);
      break;
    case 'schedule':
      d = scheduleController(zone, ctx);
      break;
    case 'off':
      return closed('zone_off', 'closed: zone mode is off');
  }
  return allowWindowGate(zone, ctx, d);
}

/** schedule.use = allow: other modes may only irrigate inside the windows. */
function allowWindowGate(zone: Zone, ctx: ModeContext, d: Desire): Desire {
  const sched = zone.schedule;
  if (!d.open || zone.mode === 'schedule' || !sched || sched.use !== 'allow') return d;
  if (activeWindow(sched.windows, ctx.local)) return d;
  const list = describeWindows(sched.windows);
  return closed('outside_allowed_window', `closed: outside allowed windows ${list}`, {
    data: { ...d.data, windows: list },
    block: { key: 'outside_allowed_window', reason: `blocked: outside allowed windows ${list}` },
  });
}
