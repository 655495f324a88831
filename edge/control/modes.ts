import type { Zone } from '../../protocol/index.js';
import { cm, num, pct } from './format.js';
import { activeWindow, describeWindows, type LocalTime } from './local-time.js';
import { viewSensor } from './sensors.js';
import type { LoopState, ZoneState } from './types.js';

/** What a zone's mode asks for its valves, and why. `block` = it wants water but may not have it. */
export interface Desire {
  open: boolean;
  reason: string;
  /** quiet: recorded (so a later change is noticed) but not worth an event */
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

const closed = (reason: string, extra: Partial<Desire> = {}): Desire => ({ open: false, reason, ...extra });

/** AWD: re-flood at the low mark, stop at the high mark, keep what it did in between. */
export function awdController(zone: Zone, ctx: ModeContext): Desire {
  const ref = zone.sensors.waterLevel;
  const awd = zone.awd;
  if (!ref || !awd) return closed('closed: AWD zone has no water-level sensor or settings');
  const s = viewSensor(ctx.state, ref, zone.staleAfterSeconds, ctx.now);
  if (!s.ok) return closed(`closed: water level unknown, ${s.why}`, { severity: 'warning' });
  const window = awd.keepFlooded.find((k) => ctx.local.date >= k.from && ctx.local.date <= k.to);
  // re-flood at −15 cm, flood to +5 cm: IRRI "safe AWD"; a keep-flooded window narrows the band
  const low = window ? window.minCm : awd.refloodCm;
  const high = window ? window.maxCm : awd.targetCm;
  const why = window ? ` (keep flooded ${window.from}…${window.to})` : '';
  const data = { waterLevelCm: Math.round(s.value * 10) / 10 };
  const level = cm(s.value, 1);
  if (s.value <= low) ctx.zs.irrigating = true;
  else if (s.value >= high) ctx.zs.irrigating = false;
  if (ctx.zs.irrigating) {
    const cmp = s.value <= low ? `≤ ${cm(low)}` : `< ${cm(high)}, refilling`;
    return { open: true, reason: `opened: water level ${level} ${cmp}${why}`, data };
  }
  const cmp = s.value >= high ? `≥ ${cm(high)}` : `> ${cm(low)}, no water needed`;
  return closed(`closed: water level ${level} ${cmp}${why}`, { data });
}

/** Sprinklers: open at the refill point, close at field capacity, then rest minOffMinutes. */
export function thresholdController(zone: Zone, ctx: ModeContext): Desire {
  const ref = zone.sensors.soilMoisture;
  const t = zone.threshold;
  if (!ref || !t) return closed('closed: threshold zone has no soil-moisture sensor or settings');
  const s = viewSensor(ctx.state, ref, zone.staleAfterSeconds, ctx.now);
  if (!s.ok) return closed(`closed: soil moisture unknown, ${s.why}`, { severity: 'warning' });
  const data = { soilMoisturePct: Math.round(s.value * 10) / 10 };
  const m = pct(s.value, 1);
  if (s.value <= t.refillPct) ctx.zs.irrigating = true;
  else if (s.value >= t.fieldCapacityPct) ctx.zs.irrigating = false;
  if (!ctx.zs.irrigating) {
    const cmp = s.value >= t.fieldCapacityPct ? `≥ field capacity ${pct(t.fieldCapacityPct)}` : `> refill point ${pct(t.refillPct)}`;
    return closed(`closed: soil moisture ${m} ${cmp}`, { data });
  }
  const restMs = t.minOffMinutes * 60_000;
  const since = ctx.zs.lastClosedAt;
  if (since !== undefined && ctx.now - since < restMs) {
    const left = Math.ceil((restMs - (ctx.now - since)) / 60_000);
    return closed(`closed: minimum off time ${num(t.minOffMinutes)} min`, {
      data, block: { key: 'min_off', reason: `blocked: minimum off time ${num(t.minOffMinutes)} min, ${left} min left` },
    });
  }
  const cmp = s.value <= t.refillPct ? `≤ refill point ${pct(t.refillPct)}` : `< field capacity ${pct(t.fieldCapacityPct)}, refilling`;
  return { open: true, reason: `opened: soil moisture ${m} ${cmp}`, data };
}

export function scheduleController(zone: Zone, ctx: ModeContext): Desire {
  const windows = zone.schedule?.windows ?? [];
  const w = activeWindow(windows, ctx.local);
  if (w) return { open: true, reason: `opened: schedule window ${w.start}–${w.end}` };
  return closed(`closed: outside schedule windows ${describeWindows(windows)}`);
}

/** The zone's automatic wish, before any interlock. */
export function zoneDesire(zone: Zone, ctx: ModeContext): Desire {
  let d: Desire;
  switch (zone.mode) {
    case 'awd': d = awdController(zone, ctx); break;
    case 'threshold': d = thresholdController(zone, ctx); break;
    case 'schedule': d = scheduleController(zone, ctx); break;
    case 'off': return closed('closed: zone mode is off');
  }
  return allowWindowGate(zone, ctx, d);
}

/** schedule.use = allow: other modes may only irrigate inside the windows. */
function allowWindowGate(zone: Zone, ctx: ModeContext, d: Desire): Desire {
  const sched = zone.schedule;
  if (!d.open || zone.mode === 'schedule' || !sched || sched.use !== 'allow') return d;
  if (activeWindow(sched.windows, ctx.local)) return d;
  const list = describeWindows(sched.windows);
  return closed(`closed: outside allowed windows ${list}`, {
    data: d.data, block: { key: 'window', reason: `blocked: outside allowed windows ${list}` },
  });
}
