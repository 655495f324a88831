import type { TimeWindow } from '../../protocol/index.js';

/** Wall-clock facts in the config's timezone (Asia/Ho_Chi_Minh by default): dates and windows are local. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** minutes since local midnight */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function viaIntl(ts: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(ts)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const HOUR = 3_600_000;
// zone offsets change at most on the hour (DST, and Asia/Ho_Chi_Minh has none): ask Intl once
// per hour and zone, then do arithmetic — a simulated month is ~40k steps
const offsets = new Map<string, { hour: number; offsetMs: number }>();

export function localTime(ts: number, timeZone: string): LocalTime {
  const hour = Math.floor(ts / HOUR);
  let o = offsets.get(timeZone);
  if (!o || o.hour !== hour) {
    const l = viaIntl(hour * HOUR, timeZone);
    const asUtc = Date.parse(`${l.date}T00:00:00Z`) + l.minute * 60_000;
    o = { hour, offsetMs: asUtc - hour * HOUR };
    offsets.set(timeZone, o);
  }
  const local = new Date(ts + o.offsetMs);
  return {
    date: local.toISOString().slice(0, 10),
    weekday: local.getUTCDay(),
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const dayMatches = (w: TimeWindow, day: number) => w.days.length === 0 || w.days.includes(day);

/**
 * Inside a window? `days` name the day the window starts on; a window whose end is before its
 * start runs past midnight (22:00–02:00); start = end means the whole day.
 */
export function inWindow(w: TimeWindow, t: LocalTime): boolean {
  const start = toMinute(w.start);
  const end = toMinute(w.end);
  if (start === end) return dayMatches(w, t.weekday);
  if (start < end) return dayMatches(w, t.weekday) && t.minute >= start && t.minute < end;
  const yesterday = (t.weekday + 6) % 7;
  return (dayMatches(w, t.weekday) && t.minute >= start) || (dayMatches(w, yesterday) && t.minute < end);
}

export function activeWindow(windows: TimeWindow[], t: LocalTime): TimeWindow | undefined {
  return windows.find((w) => inWindow(w, t));
}

export function describeWindows(windows: TimeWindow[]): string {
  return windows.map((w) => `${w.start}–${w.end}`).join(', ') || 'none';
}
