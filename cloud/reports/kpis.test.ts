import { describe, expect, it } from 'vitest';
import { farmMonth, savedPct, type FarmFacts } from './kpis.js';
import { monthSpan } from './months.js';
import { toRow } from './rollup.js';

const m = monthSpan('2026-11');
const H = 3_600_000;
const farm = (zone: Record<string, unknown>, runs: FarmFacts['gateways'][number]['runs']): FarmFacts => ({
  farmId: 'f1',
  areaHa: 2,
  registeredAt: null,
  missions: [],
  gateways: [
    {
      id: 'g1',
      states: [{ gatewayId: 'g1', at: m.start - H, online: true }],
      runs,
      configs: [{ appliedAt: m.start - H, zones: [{ id: 'z1', mode: 'awd', valves: ['v1'], areaHa: 2, ...zone }] }],
    },
  ],
});
const unit = { id: 'xa', parentId: null, level: 'commune', name: 'Xã A' };

describe('saved percentages', () => {
  it('is null, not 100 %, when the baseline is zero or missing or nothing was measured', () => {
    expect(savedPct(0, 0, 0)).toBeNull();
    expect(savedPct(5, null, 3)).toBeNull();
    expect(savedPct(5, undefined, 3)).toBeNull();
    expect(savedPct(1000, 1000, 0)).toBeNull();
    expect(savedPct(300, 1000, 700)).toBe(30);
  });

  it('gives no baseline to an unmetered AWD zone, so 0 m³ pumped reads as no data', () => {
    const k = farmMonth(
      farm({}, [{ gatewayId: 'g1', valve: 'v1', zone: 'z1', openedAt: m.start + H, closedAt: m.start + 3 * H }]),
      m,
      m.end,
    );
    expect(k.awdHa).toBe(2);
    expect(k.awdWaterM3).toBe(0);
    expect(k.baselineM3).toBe(0);
    const row = toRow(unit, m.month, k, 0);
    expect(row.waterSavedPct).toBeNull();
  });

  it('a metered AWD zone with no valve run has a baseline but a null percentage (a silent meter)', () => {
    const k = farmMonth(farm({ flowM3PerHour: 50 }, []), m, m.end);
    expect(k.baselineM3).toBe(2 * 30 * 80);
    expect(toRow(unit, m.month, k, 0).waterSavedPct).toBeNull();
  });

  it('a metered AWD zone that pumped compares against its baseline', () => {
    const k = farmMonth(
      farm({ flowM3PerHour: 50 }, [
        { gatewayId: 'g1', valve: 'v1', zone: 'z1', openedAt: m.start + H, closedAt: m.start + 25 * H },
      ]),
      m,
      m.end,
    );
    expect(k.awdWaterM3).toBe(1200);
    expect(toRow(unit, m.month, k, 0).waterSavedPct).toBe(75);
  });
});
