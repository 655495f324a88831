import { describe, expect, it } from 'vitest';
import { formatDateTime, formatMonth, formatNumber, levelName } from './print-i18n.js';
import { monthlyReportHtml } from './printable.js';
import type { AdoptionRow } from './rollup.js';

const row = (over: Partial<AdoptionRow>): AdoptionRow => ({
  unitId: 'da',
  unitName: 'Đại Ân',
  level: 'commune',
  parentId: 'tl',
  month: '2026-11',
  farmsRegistered: 1234,
  farmsWithGatewayOnline: 3,
  farmsOnlinePct: 3.8,
  gatewaysReporting: 3,
  gatewayUptimePct: 97.25,
  automatedHa: 3.8,
  awdHa: 2.5,
  waterM3: 0,
  awdWaterM3: 0,
  baselineM3: 0,
  waterSavedM3: 0,
  waterSavedPct: null,
  missionsFlown: 0,
  sprayedHa: 0,
  litresApplied: 0,
  knapsackBaselineL: 0,
  litresSavedL: 0,
  litresSavedPct: null,
  activeUsers: 2,
  ...over,
});
// 21:40 UTC on 1 December is 04:40 on 2 December in Vietnam (UTC+7)
const at = Date.UTC(2026, 11, 1, 21, 40);
const html = (lang: 'vi' | 'en') =>
  monthlyReportHtml({
    unit: row({}),
    children: [row({ unitId: 'h1', unitName: 'Ấp 1', level: 'hamlet' })],
    trend: [row({})],
    lang,
    generatedAt: at,
  });
const text = (h: string) => h.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');

describe('printable monthly report', () => {
  it('formats numbers, months and times the Vietnamese way in Asia/Ho_Chi_Minh time', () => {
    expect(formatNumber(3.8, 'vi')).toBe('3,8');
    expect(formatNumber(1234, 'vi')).toBe('1.234');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(formatMonth('2026-11', 'vi')).toBe('11/2026');
    expect(formatMonth('2026-11', 'en')).toBe('Nov 2026');
    expect(formatDateTime(at, 'vi')).toBe('04:40 02/12/2026');
    expect(formatDateTime(new Date(at).toISOString(), 'en')).toBe('02 Dec 2026, 04:40');
    expect(levelName('commune', 'vi')).toBe('xã');
    expect(levelName('hamlet', 'vi')).toBe('ấp');
    expect(levelName('district', 'vi')).toBe('huyện');
    expect(levelName('province', 'vi')).toBe('tỉnh');
    expect(levelName('unknown_kind', 'vi')).toBe('unknown_kind');
  });

  it('prints the Vietnamese report with vi-VN numbers, the unit kind in Vietnamese and the local time', () => {
    const h = html('vi');
    expect(h).toContain('<html lang="vi">');
    expect(h).toContain('<strong>Đại Ân</strong> (xã) — Tháng 11/2026');
    expect(h).toContain('<td>3,8</td>');
    expect(h).toContain('<td>1.234</td>');
    expect(h).toContain('<td>97,25</td>');
    expect(h).toContain('Lập lúc 04:40 02/12/2026 (giờ Việt Nam)');
    expect(h).not.toContain('2026-12-01T');
    expect(h).not.toContain('(commune)');
    expect(h).not.toMatch(/<td>3\.8<\/td>/);
  });

  it('prints a percentage without a baseline as "—" meaning "không có số liệu", never 100 %', () => {
    const h = html('vi');
    expect(h).toContain('<abbr title="không có số liệu">—</abbr>');
    expect(h).toContain('— : không có số liệu');
    expect(h).not.toContain('100');
  });

  it('has no English label on the Vietnamese page', () => {
    const t = text(html('vi'));
    for (const w of [
      'Report',
      'Month',
      'Summary',
      'Print',
      'Generated',
      'Method',
      'commune',
      'hamlet',
      'no data',
      'Farms',
      'Water',
    ])
      expect(t, w).not.toContain(w);
  });

  it('prints English with ?lang=en: English labels, en numbers, same local time', () => {
    const h = html('en');
    expect(h).toContain('<html lang="en">');
    expect(h).toContain('<strong>Đại Ân</strong> (commune) — Month Nov 2026');
    expect(h).toContain('<td>3.8</td>');
    expect(h).toContain('<td>1,234</td>');
    expect(h).toContain('Generated 02 Dec 2026, 04:40 (Vietnam time)');
    expect(h).toContain('<abbr title="no data">—</abbr>');
  });
});
