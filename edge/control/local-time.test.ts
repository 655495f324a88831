import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeWindow, describeWindows, inWindow, localTime } from './local-time.js';

/** The same facts straight from Intl, without the per-hour offset cache. */
function intl(ts: number, timeZone: string) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(ts)
      .map((x) => [x.type, x.value]),
  );
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday!),
    minute: Number(p.hour) * 60 + Number(p.minute),
  };
}

const w = (start: string, end: string, days: number[] = []) => ({ start, end, days });

describe('local time of the gateway', () => {
  it('is seven hours ahead of UTC in the Mekong Delta', () => {
    // 2026-03-10 17:30 UTC is 00:30 on Wednesday the 11th in Hồ Chí Minh City
    expect(localTime(Date.UTC(2026, 2, 10, 17, 30), 'Asia/Ho_Chi_Minh')).toEqual({
      date: '2026-03-11',
      weekday: 3,
      minute: 30,
    });
  });

  it('follows a zone across its daylight-saving change hour by hour', () => {
    // Europe/Berlin springs forward at 01:00 UTC on 2026-03-29
    expect(localTime(Date.UTC(2026, 2, 29, 0, 59), 'Europe/Berlin').minute).toBe(1 * 60 + 59);
    expect(localTime(Date.UTC(2026, 2, 29, 1, 0), 'Europe/Berlin').minute).toBe(3 * 60);
  });

  it('agrees with Intl for any instant, in a zone with and one without daylight saving', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.constantFrom('Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York'),
        (ts, zone) => {
          expect(localTime(ts, zone)).toEqual(intl(ts, zone));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('time windows', () => {
  const at = (weekday: number, hhmm: string) => ({
    date: '2026-03-11',
    weekday,
    minute: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)),
  });

  it('includes the start minute and excludes the end minute', () => {
    expect(inWindow(w('05:00', '07:00'), at(1, '05:00'))).toBe(true);
    expect(inWindow(w('05:00', '07:00'), at(1, '06:59'))).toBe(true);
    expect(inWindow(w('05:00', '07:00'), at(1, '07:00'))).toBe(false);
  });

  it('runs a window past midnight on the day it started', () => {
    const night = w('22:00', '02:00', [5]); // starts on Friday
    expect(inWindow(night, at(5, '23:30'))).toBe(true);
    expect(inWindow(night, at(6, '01:59'))).toBe(true); // Saturday morning, still Friday's window
    expect(inWindow(night, at(6, '23:00'))).toBe(false);
    expect(inWindow(night, at(5, '01:00'))).toBe(false); // Friday morning belongs to Thursday
  });

  it('takes a window whose start equals its end as the whole day, and no days as every day', () => {
    expect(inWindow(w('00:00', '00:00', [0]), at(0, '13:37'))).toBe(true);
    expect(inWindow(w('00:00', '00:00', [0]), at(1, '13:37'))).toBe(false);
    expect([0, 1, 2, 3, 4, 5, 6].every((d) => inWindow(w('06:00', '08:00'), at(d, '07:00')))).toBe(true);
  });

  it('gives the first window that holds, and lists windows for logs', () => {
    const ws = [w('05:00', '06:00'), w('05:30', '09:00')];
    expect(activeWindow(ws, at(2, '05:45'))).toBe(ws[0]);
    expect(activeWindow(ws, at(2, '08:00'))).toBe(ws[1]);
    expect(activeWindow(ws, at(2, '10:00'))).toBeUndefined();
    expect(describeWindows(ws)).toBe('05:00–06:00, 05:30–09:00');
    expect(describeWindows([])).toBe('none');
  });
});
