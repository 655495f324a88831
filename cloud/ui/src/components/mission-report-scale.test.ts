import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '../i18n.js';
import { RATE_COLOURS, rateClass, rateStyle, reportRows, type ReportFigures } from './mission-report-scale.js';

const report: ReportFigures = {
  targetLPerHa: 15,
  cellM: 2,
  sprayableM2: 20_000,
  inTolerance: 0.9234,
  missedM2: 1_000,
  underM2: 500,
  overM2: 300,
  oversprayM2: 1_250,
  litresUsed: 31.25,
  litresPlanned: 30,
  samples: 400,
};

describe('as-applied colour scale', () => {
  it('classes cells on the field by applied rate relative to the target, ±20 % counting as correct', () => {
    expect(rateClass(15, 15, true)).toBe('ok');
    expect(rateClass(12, 15, true)).toBe('ok');
    expect(rateClass(18, 15, true)).toBe('ok');
    expect(rateClass(11.9, 15, true)).toBe('under');
    expect(rateClass(7, 15, true)).toBe('missed');
    expect(rateClass(18.1, 15, true)).toBe('over');
  });
  it('marks off-field cells as overspray only above a tenth of the target, and leaves the rest transparent', () => {
    expect(rateClass(2, 15, false)).toBe('overspray');
    expect(rateClass(1, 15, false)).toBe('none');
    expect(rateStyle(1, 15, false).fillOpacity).toBe(0);
    expect(rateStyle(15, 15, true).fillColor).toBe(RATE_COLOURS.ok);
  });
});

describe('report rows', () => {
  afterEach(() => {
    locale.value = 'vi';
  });
  it('labels the figures in Vietnamese with Vietnamese number formatting', () => {
    locale.value = 'vi';
    const rows = reportRows(report);
    expect(rows.map((r) => r.key)).toEqual([
      'inTolerance',
      'missedArea',
      'oversprayArea',
      'litresUsedPlanned',
      'targetRate',
    ]);
    expect(rows[0]!.value).toBe('92,3 %');
    expect(rows[1]!.value).toBe('0,1 ha (5 %)');
    expect(rows[3]!.value).toBe('31,3 / 30 L');
    expect(rows[0]!.label).toMatch(/±20/);
  });
  it('switches labels and number format to English, and shows a dash when nothing was planned', () => {
    locale.value = 'en';
    const rows = reportRows({ ...report, litresPlanned: null });
    expect(rows[0]!.value).toBe('92.3 %');
    expect(rows[2]!.value).toBe('0.13 ha');
    expect(rows[3]!.value).toBe('31.3 / — L');
    expect(rows[2]!.label).toBe('Overspray outside the field');
  });
});
