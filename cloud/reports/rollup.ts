import { z } from 'zod';
import type { Unit } from '../registry/registry.js';
import { addMonth, emptyMonth, savedPct, type FarmMonth } from './kpis.js';
import type { Month } from './months.js';

/** One unit in one month, its farms' counters summed over its whole subtree, percentages after. */
export const AdoptionRow = z.object({
  unitId: z.string(),
  unitName: z.string(),
  level: z.string(),
  parentId: z.string().nullable(),
  month: z.string(),
  farmsRegistered: z.number().describe('farms in the subtree registered before the month ended'),
  farmsWithGatewayOnline: z.number().describe('farms with at least one gateway online at some time in the month'),
  farmsOnlinePct: z.number().nullable().describe('farmsWithGatewayOnline / farmsRegistered × 100'),
  gatewaysReporting: z.number().describe('gateways with any recorded state in the month'),
  gatewayUptimePct: z.number().nullable().describe('online time / observed time of all gateways × 100'),
  automatedHa: z.number().describe('ha of zones in a mode other than off during the month'),
  awdHa: z.number().describe('ha of zones in AWD mode during the month'),
  waterM3: z.number().describe('valve open hours × zone flowM3PerHour, all metered zones'),
  awdWaterM3: z.number().describe('the same, AWD zones only'),
  baselineM3: z.number().describe('continuous-flooding water for the AWD zones: ha × days × 80 m³/ha/day'),
  waterSavedM3: z.number().describe('baselineM3 − awdWaterM3'),
  waterSavedPct: z
    .number()
    .nullable()
    .describe('waterSavedM3 / baselineM3 × 100; null with no baseline or no water measured'),
  missionsFlown: z.number(),
  sprayedHa: z.number(),
  litresApplied: z.number(),
  knapsackBaselineL: z.number().describe('sprayedHa × 200 L/ha'),
  litresSavedL: z.number(),
  litresSavedPct: z.number().nullable(),
  activeUsers: z.number().describe('distinct users of the subtree active in the 30 days up to the month end'),
});
export type AdoptionRow = z.infer<typeof AdoptionRow>;

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const pct = (num: number, den: number) => (den > 0 ? r1((num / den) * 100) : null);

export function toRow(u: Unit, month: Month, k: FarmMonth, activeUsers: number): AdoptionRow {
  const waterSaved = k.baselineM3 - k.awdWaterM3;
  const litresSaved = k.knapsackBaselineL - k.litresApplied;
  return {
    unitId: u.id,
    unitName: u.name,
    level: u.level,
    parentId: u.parentId,
    month,
    farmsRegistered: k.farmsRegistered,
    farmsWithGatewayOnline: k.farmsWithGatewayOnline,
    farmsOnlinePct: pct(k.farmsWithGatewayOnline, k.farmsRegistered),
    gatewaysReporting: k.gatewaysReporting,
    gatewayUptimePct: pct(k.gatewayOnlineMs, k.gatewayObservedMs),
    automatedHa: r2(k.automatedHa),
    awdHa: r2(k.awdHa),
    waterM3: r1(k.waterM3),
    awdWaterM3: r1(k.awdWaterM3),
    baselineM3: r1(k.baselineM3),
    waterSavedM3: r1(waterSaved),
    waterSavedPct: savedPct(waterSaved, k.baselineM3, k.awdWaterM3),
    missionsFlown: k.missionsFlown,
    sprayedHa: r2(k.sprayedHa),
    litresApplied: r1(k.litresApplied),
    knapsackBaselineL: r1(k.knapsackBaselineL),
    litresSavedL: r1(litresSaved),
    litresSavedPct: savedPct(litresSaved, k.knapsackBaselineL, k.litresApplied),
    activeUsers,
  };
}

/** Each unit id → itself and every unit below it. */
export function subtrees(units: Unit[]): Map<string, Set<string>> {
  const children = new Map<string, string[]>();
  for (const u of units) if (u.parentId) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const out = new Map<string, Set<string>>();
  const walk = (id: string, seen: Set<string>): Set<string> => {
    if (seen.has(id)) return new Set(); // a cycle in bad data must not hang the report
    seen.add(id);
    const s = new Set([id]);
    for (const c of children.get(id) ?? []) for (const x of walk(c, seen)) s.add(x);
    return s;
  };
  for (const u of units) out.set(u.id, walk(u.id, new Set()));
  return out;
}

export interface RollupInput {
  units: Unit[];
  /** the units to report: each with its roll-up */
  report: Unit[];
  months: Month[];
  farmUnit: Map<string, string | null>;
  farmMonths: Map<string, Map<Month, FarmMonth>>;
  /** month → the unit of each user active in the 30 days up to its end */
  activeUserUnits: Map<Month, Map<string, string>>;
}

/** Rows ordered by unit (tree order as given) then month. */
export function rollUp(i: RollupInput): AdoptionRow[] {
  const below = subtrees(i.units);
  const rows: AdoptionRow[] = [];
  for (const u of i.report) {
    const sub = below.get(u.id) ?? new Set([u.id]);
    const farms = [...i.farmUnit].filter(([, unit]) => unit !== null && sub.has(unit)).map(([f]) => f);
    for (const month of i.months) {
      const k = farms.reduce((acc, f) => addMonth(acc, i.farmMonths.get(f)?.get(month) ?? emptyMonth()), emptyMonth());
      const active = [...(i.activeUserUnits.get(month) ?? new Map<string, string>()).values()].filter((unit) =>
        sub.has(unit),
      ).length;
      rows.push(toRow(u, month, k, active));
    }
  }
  return rows;
}
