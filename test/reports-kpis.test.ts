import { beforeAll, describe, expect, it } from 'vitest';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import { openSqliteDb } from '../cloud/registry/sqlite-db.js';
import { ReportFacts } from '../cloud/reports/facts.js';
import { monthSpan } from '../cloud/reports/months.js';
import { ReportService } from '../cloud/reports/service.js';
import type { AdoptionRow } from '../cloud/reports/rollup.js';

/**
 * A small district written by hand; every expected number below is worked out in the comments.
 * March 2025 has 31 days; S = 1 March 2025 00:00 Vietnam time.
 */
const H = 3_600_000;
const D = 24 * H;
const S = monthSpan('2025-03').start;
const admin = { role: 'admin', communes: [] };

async function dataset() {
  const registry = createSqliteRegistry(':memory:');
  await registry.init();
  const facts = new ReportFacts(openSqliteDb(':memory:'));
  await facts.init();
  const a = 'test';
  await registry.upsertUnit({ id: 'P', parentId: null, level: 'province', name: 'Tỉnh P' }, a);
  await registry.upsertUnit({ id: 'D', parentId: 'P', level: 'district', name: 'Huyện D' }, a);
  await registry.upsertUnit({ id: 'C1', parentId: 'D', level: 'commune', name: 'Xã C1' }, a);
  await registry.upsertUnit({ id: 'C2', parentId: 'D', level: 'commune', name: 'Xã C2' }, a);
  await registry.upsertUnit({ id: 'H1', parentId: 'C1', level: 'hamlet', name: 'Ấp H1' }, a);
  const farms = [
    ['F1', 'H1', 2],
    ['F2', 'C1', 1],
    ['F3', 'C2', 4],
    ['F4', 'C2', 1],
  ] as const;
  for (const [id, unitId, areaHa] of farms)
    await registry.upsertFarm({ id, name: id, owner: null, unitId, cooperativeId: null, areaHa }, a);
  // F1–F3 registered in January; F4 only now (its sole audit row is today's), so not in March
  for (const id of ['F1', 'F2', 'F3'])
    await registry.appendAudit({
      at: Date.UTC(2025, 0, 10),
      actor: a,
      action: 'create',
      entity: 'farm',
      entityId: id,
      before: null,
      after: null,
    });
  for (const [gw, farm] of [
    ['G1', 'F1'],
    ['G2', 'F2'],
    ['G3', 'F3'],
  ])
    await registry.upsertGateway({ id: gw!, farmId: farm!, name: null }, a);

  // G1: online from a day before March, offline days 10–12 → online 29 of 31 observed days
  await facts.recordState('G1', true, S - D);
  await facts.recordState('G1', false, S + 10 * D);
  await facts.recordState('G1', true, S + 12 * D);
  // G2: first seen on day 21 → 10 days observed, all online. G3: never seen.
  await facts.recordState('G2', true, S + 21 * D);

  const apply = async (gw: string, at: number, zones: unknown[]) => {
    const v = await registry.putDesiredConfig(gw, { version: 1, zones }, a, at);
    await registry.recordConfigAck(gw, { version: v.version, status: 'applied', ts: at }, at);
  };
  // G1 from S−5 d: z1 AWD 1.5 ha 50 m³/h; z2 threshold without area → the rest of F1: 0.5 ha, 10 m³/h
  await apply('G1', S - 5 * D, [
    { id: 'z1', mode: 'awd', valves: ['v1'], areaHa: 1.5, flowM3PerHour: 50 },
    { id: 'z2', mode: 'threshold', valves: ['v2'], flowM3PerHour: 10 },
  ]);
  // harvest on day 15: z1 off → AWD baseline for 15 days only
  await apply('G1', S + 15 * D, [
    { id: 'z1', mode: 'off', valves: ['v1'], areaHa: 1.5, flowM3PerHour: 50 },
    { id: 'z2', mode: 'threshold', valves: ['v2'], flowM3PerHour: 10 },
  ]);
  // G2 from day 21: z1 on a schedule, 0.8 ha, 20 m³/h
  await apply('G2', S + 21 * D, [{ id: 'z1', mode: 'schedule', valves: ['v1'], areaHa: 0.8, flowM3PerHour: 20 }]);

  // G1 v1: 4 h on day 2 → 200 m³; 1 h before + 1 h after the month start → 50 m³ in March (both AWD)
  await facts.recordRun({ gatewayId: 'G1', zone: 'z1', valve: 'v1', openedAt: S + 2 * D, closedAt: S + 2 * D + 4 * H });
  await facts.recordRun({ gatewayId: 'G1', zone: 'z1', valve: 'v1', openedAt: S - H, closedAt: S + H });
  // G1 v2 (no zone in the event: found by valve): 2 h × 10 = 20 m³, not AWD
  await facts.recordRun({ gatewayId: 'G1', zone: null, valve: 'v2', openedAt: S + 3 * D, closedAt: S + 3 * D + 2 * H });
  // G2 v1 from valve events: 3 h × 20 = 60 m³
  await facts.recordValve('G2', { kind: 'valve_opened', zone: 'z1', valve: 'v1', ts: S + 22 * D });
  await facts.recordValve('G2', { kind: 'valve_closed', zone: 'z1', valve: 'v1', ts: S + 22 * D + 3 * H });

  await facts.recordMission({ missionId: 'm1', farmId: 'F1', flownAt: S + 5 * D, areaHa: 1.8, litres: 27 });
  await facts.recordMission({ missionId: 'm2', farmId: 'F3', flownAt: S + 6 * D, areaHa: 3.5, litres: 56 });
  await facts.recordMission({ missionId: 'm3', farmId: 'F1', flownAt: S + 35 * D, areaHa: 1.8, litres: 27 }); // April

  const u1 = await registry.createUser({ username: 'u1', role: 'farmer', farmId: 'F1', passwordHash: 'x' }, a, S);
  const u2 = await registry.createUser({ username: 'u2', role: 'officer', unitId: 'C2', passwordHash: 'x' }, a, S);
  const u3 = await registry.createUser({ username: 'u3', role: 'admin', passwordHash: 'x' }, a, S);
  await facts.recordUserActive(String(u1.id), S + 19 * D); // 20 March: inside the 30 days up to 31 March
  await facts.recordUserActive(String(u2.id), S + 2 * H); // 1 March: the window starts on 2 March
  await facts.recordUserActive(String(u3.id), S + 9 * D); // an admin belongs to no unit
  const service = new ReportService(registry, facts, { clock: { now: () => Date.UTC(2025, 4, 15) } });
  return { registry, facts, service };
}

describe('adoption KPIs on a hand-checked district', () => {
  let rows: AdoptionRow[];
  const row = (unit: string, month = '2025-03') => rows.find((r) => r.unitId === unit && r.month === month)!;
  beforeAll(async () => {
    const { service } = await dataset();
    rows = (await service.adoption({ from: '2025-03', to: '2025-04' }, admin)).rows;
  });

  it('counts farms registered before the month ended', () => {
    expect([
      row('H1').farmsRegistered,
      row('C1').farmsRegistered,
      row('C2').farmsRegistered,
      row('D').farmsRegistered,
    ]).toEqual([1, 2, 1, 3]);
  });

  it('counts farms with a gateway online and the uptime from state changes', () => {
    expect(row('C1').farmsWithGatewayOnline).toBe(2);
    expect(row('C2').farmsWithGatewayOnline).toBe(0);
    expect(row('D').farmsOnlinePct).toBe(66.7); // 2 of 3
    expect(row('H1').gatewayUptimePct).toBe(93.5); // 29 / 31 days
    expect(row('C1').gatewayUptimePct).toBe(95.1); // (29 + 10) / (31 + 10)
    expect(row('C2').gatewayUptimePct).toBeNull(); // G3 never reported
    expect(row('D').gatewaysReporting).toBe(2);
  });

  it('sums automated and AWD hectares from the applied configs', () => {
    expect(row('H1')).toMatchObject({ automatedHa: 2, awdHa: 1.5 }); // z1 1.5 + z2 0.5
    expect(row('C1')).toMatchObject({ automatedHa: 2.8, awdHa: 1.5 }); // + G2's 0.8 on a schedule
    // April: z1 is off all month, z2 still on; G2 still on its schedule
    expect(row('C1', '2025-04')).toMatchObject({ automatedHa: 1.3, awdHa: 0 });
  });

  it('meters water by valve time × flow against the continuous-flooding baseline', () => {
    expect(row('H1')).toMatchObject({ waterM3: 270, awdWaterM3: 250 }); // 200 + 50 + 20
    expect(row('C1').waterM3).toBe(330); // + 60
    expect(row('C1').baselineM3).toBe(1800); // 1.5 ha × 15 days × 80 m³/ha/day
    expect(row('C1')).toMatchObject({ waterSavedM3: 1550, waterSavedPct: 86.1 });
    expect(row('C2').waterSavedPct).toBeNull();
  });

  it('sums drone missions against a 200 L/ha knapsack baseline', () => {
    expect(row('C1')).toMatchObject({
      missionsFlown: 1,
      sprayedHa: 1.8,
      litresApplied: 27,
      knapsackBaselineL: 360,
      litresSavedL: 333,
      litresSavedPct: 92.5,
    });
    expect(row('C2')).toMatchObject({
      missionsFlown: 1,
      sprayedHa: 3.5,
      litresApplied: 56,
      knapsackBaselineL: 700,
      litresSavedPct: 92,
    });
    expect(row('D')).toMatchObject({
      missionsFlown: 2,
      sprayedHa: 5.3,
      litresApplied: 83,
      knapsackBaselineL: 1060,
      litresSavedPct: 92.2,
    });
    expect(row('C1', '2025-04').missionsFlown).toBe(1);
  });

  it('counts users active in the 30 days up to the month end, in their unit', () => {
    expect([row('H1').activeUsers, row('C1').activeUsers, row('C2').activeUsers, row('D').activeUsers]).toEqual([
      1, 1, 0, 1,
    ]);
  });

  it('rolls every counter up the tree: the province equals its district equals the sum of its communes', () => {
    const additive = [
      'farmsRegistered',
      'farmsWithGatewayOnline',
      'waterM3',
      'baselineM3',
      'missionsFlown',
      'litresApplied',
      'activeUsers',
    ] as const;
    for (const k of additive) {
      expect(row('P')[k]).toBe(row('D')[k]);
      expect(row('D')[k]).toBeCloseTo(row('C1')[k] + row('C2')[k], 6);
    }
    expect(rows.map((r) => r.unitId).filter((u, i, a) => a.indexOf(u) === i)).toEqual(['P', 'D', 'C1', 'H1', 'C2']);
  });

  it('reports a unit subtree and refuses a range backwards', async () => {
    const { service } = await dataset();
    const r = await service.adoption({ unit: 'C1', from: '2025-03', to: '2025-03' }, admin);
    expect(r.rows.map((x) => x.unitId)).toEqual(['C1', 'H1']);
    await expect(service.adoption({ from: '2025-04', to: '2025-03' }, admin)).rejects.toMatchObject({
      code: 'REPORT_RANGE_INVALID',
    });
    await expect(service.adoption({ unit: 'nope', from: '2025-03', to: '2025-03' }, admin)).rejects.toMatchObject({
      code: 'REPORT_UNIT_NOT_FOUND',
    });
  });
});
