import { describe, expect, it } from 'vitest';
import { addMonths, dayOf, monthOf, monthRange, monthSpan } from './months.js';

describe('report months in Vietnam time', () => {
  it('starts a month at midnight in Hà Nội, 17:00 UTC the day before', () => {
    const m = monthSpan('2026-03');
    expect(new Date(m.start).toISOString()).toBe('2026-02-28T17:00:00.000Z');
    expect(m.days).toBe(31);
    expect(monthOf(m.start)).toBe('2026-03');
    expect(monthOf(m.start - 1)).toBe('2026-02');
    expect(dayOf(Date.UTC(2026, 2, 31, 18))).toBe('2026-04-01');
  });

  it('walks months across a new year', () => {
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-01', -13)).toBe('2024-12');
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
