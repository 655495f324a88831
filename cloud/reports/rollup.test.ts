import { describe, expect, it } from 'vitest';
import type { Unit } from '../registry/registry.js';
import { emptyMonth, type FarmMonth } from './kpis.js';
import { AdoptionRow, rollUp, subtrees, toRow } from './rollup.js';

const units: Unit[] = [
  { id: 'ct', parentId: null, level: 'province', name: 'Cần Thơ' },
  { id: 'tl', parentId: 'ct', level: 'district', name: 'Thới Lai' },
  { id: 'da', parentId: 'tl', level: 'commune', name: 'Đại Ân' },
  { id: 'tx', parentId: 'tl', level: 'commune', name: 'Trường Xuân' },
];
const month = (over: Partial<FarmMonth>): FarmMonth => ({ ...emptyMonth(), ...over });

describe('adoption roll-up', () => {
  it('finds every unit below a unit, and survives a cycle in bad data', () => {
    const s = subtrees(units);
    expect([...s.get('ct')!].sort()).toEqual(['ct', 'da', 'tl', 'tx']);
    expect([...s.get('da')!]).toEqual(['da']);
    const cyclic = subtrees([
      { id: 'a', parentId: 'b', level: 'commune', name: 'A' },
      { id: 'b', parentId: 'a', level: 'commune', name: 'B' },
    ]);
    expect([...cyclic.get('a')!].sort()).toEqual(['a', 'b']);
  });

  it('sums the farms of a whole subtree per month and computes the percentages after summing', () => {
    const rows = rollUp({
      units,
      report: [units[1]!, units[2]!],
      months: ['2026-01'],
      farmUnit: new Map([
        ['f1', 'da'],
        ['f2', 'tx'],
        ['f3', null],
      ]),
      farmMonths: new Map([
        [
          'f1',
          new Map([
            [
              '2026-01',
              month({
                farmsRegistered: 1,
                farmsWithGatewayOnline: 1,
                gatewayOnlineMs: 90,
                gatewayObservedMs: 100,
                baselineM3: 1000,
                awdWaterM3: 700,
                sprayedHa: 2,
                litresApplied: 30,
                knapsackBaselineL: 400,
              }),
            ],
          ]),
        ],
        ['f2', new Map([['2026-01', month({ farmsRegistered: 1, gatewayOnlineMs: 10, gatewayObservedMs: 100 })]])],
        ['f3', new Map([['2026-01', month({ farmsRegistered: 1, missionsFlown: 9 })]])],
      ]),
      activeUserUnits: new Map([
        [
          '2026-01',
          new Map([
            ['u1', 'da'],
            ['u2', 'tx'],
            ['u3', 'elsewhere'],
          ]),
        ],
      ]),
    });
    expect(rows.map((r) => [r.unitId, r.month])).toEqual([
      ['tl', '2026-01'],
      ['da', '2026-01'],
    ]);
    const [tl, da] = rows;
    // the farm without a unit counts nowhere; percentages of the sums, not sums of percentages
    expect(tl).toMatchObject({
      farmsRegistered: 2,
      farmsWithGatewayOnline: 1,
      farmsOnlinePct: 50,
      gatewayUptimePct: 50,
      missionsFlown: 0,
      activeUsers: 2,
    });
    expect(da).toMatchObject({
      farmsOnlinePct: 100,
      gatewayUptimePct: 90,
      waterSavedM3: 300,
      waterSavedPct: 30,
      litresSavedL: 370,
      litresSavedPct: 92.5,
      activeUsers: 1,
    });
    for (const r of rows) expect(AdoptionRow.parse(r)).toEqual(r);
  });

  it('leaves a percentage empty when there is nothing to divide by', () => {
    const row = toRow(units[3]!, '2026-02', emptyMonth(), 0);
    expect(row).toMatchObject({
      farmsOnlinePct: null,
      gatewayUptimePct: null,
      waterSavedPct: null,
      litresSavedPct: null,
      waterSavedM3: 0,
    });
  });
});
