import type { MissionFact, StateFact, ValveRunFact } from './facts.js';
import { DAY_MS, overlap, type MonthSpan } from './months.js';

/**
 * The monthly KPIs of one farm, as additive counters: units sum them up the tree, and
 * percentages are taken only after summing (rollup.ts), never averaged.
 *
 * Constants of the baselines (see README.md, "Baselines"):
 */

/** Evapotranspiration of a flooded rice crop in the Mekong Delta, mm/day (FAO-56: Kc≈1.05–1.2 × ET0≈4–5). */
export const ET_MM_PER_DAY = 5;
/** Seepage + percolation of puddled Delta clay, mm/day (IRRI: 1–5 on heavy clay). */
export const SEEPAGE_MM_PER_DAY = 3;
/** 1 mm of water over 1 ha is 10 m³. */
export const M3_PER_HA_MM = 10;
/** Continuous flooding at ~5 cm needs the daily losses replaced: (ET + S&P) × 10 m³/ha/day = 80. */
export const FLOOD_M3_PER_HA_DAY = (ET_MM_PER_DAY + SEEPAGE_MM_PER_DAY) * M3_PER_HA_MM;
/** Spray volume of a knapsack sprayer on rice, L/ha (Delta extension advice: 16 L tank × ~12 per ha). */
export const KNAPSACK_L_PER_HA = 200;

/** The parts of a zone the KPIs read (a subset of protocol's Zone, so old configs still count). */
export interface ZoneFacts {
  id: string;
  mode: string;
  valves: string[];
  areaHa?: number | undefined;
  flowM3PerHour?: number | undefined;
  maxRunMinutes?: number | undefined;
}
/** A config the gateway acknowledged as applied, in force from `appliedAt` to the next one. */
export interface AppliedConfig {
  appliedAt: number;
  zones: ZoneFacts[];
}

export interface FarmFacts {
  farmId: string;
  areaHa: number | null;
  /** when the farm was registered (first audit row), null = before any record */
  registeredAt: number | null;
  gateways: { id: string; states: StateFact[]; configs: AppliedConfig[]; runs: ValveRunFact[] }[];
  missions: MissionFact[];
}

export interface FarmMonth {
  farmsRegistered: number;
  farmsWithGatewayOnline: number;
  gatewaysReporting: number;
  gatewayOnlineMs: number;
  gatewayObservedMs: number;
  automatedHa: number;
  awdHa: number;
  waterM3: number;
  awdWaterM3: number;
  baselineM3: number;
  missionsFlown: number;
  sprayedHa: number;
  litresApplied: number;
  knapsackBaselineL: number;
}

export const emptyMonth = (): FarmMonth => ({
  farmsRegistered: 0,
  farmsWithGatewayOnline: 0,
  gatewaysReporting: 0,
  gatewayOnlineMs: 0,
  gatewayObservedMs: 0,
  automatedHa: 0,
  awdHa: 0,
  waterM3: 0,
  awdWaterM3: 0,
  baselineM3: 0,
  missionsFlown: 0,
  sprayedHa: 0,
  litresApplied: 0,
  knapsackBaselineL: 0,
});

/**
 * Uptime of one gateway in [start, end): the state timeline holds each change; a state lasts until
 * the next change. Time before the first recorded state is not observed (neither up nor down).
 */
export function uptime(states: StateFact[], start: number, end: number): { onlineMs: number; observedMs: number } {
  let onlineMs = 0;
  let observedMs = 0;
  states.forEach((s, i) => {
    const until = states[i + 1]?.at ?? end;
    const ms = overlap(s.at, until, start, end);
    observedMs += ms;
    if (s.online) onlineMs += ms;
  });
  return { onlineMs, observedMs };
}

/** Each applied config with the interval it was in force: [appliedAt, next appliedAt or `end`). */
function configSpans(configs: AppliedConfig[], end: number) {
  return configs.map((c, i) => ({ ...c, until: configs[i + 1]?.appliedAt ?? end }));
}

/** Area of a zone: its own areaHa, else an equal share of the farm among the zones without one. */
function zoneArea(z: ZoneFacts, zones: ZoneFacts[], farmHa: number | null): number {
  if (z.areaHa !== undefined) return z.areaHa;
  const unsized = zones.filter((x) => x.areaHa === undefined).length;
  const sized = zones.reduce((s, x) => s + (x.areaHa ?? 0), 0);
  return farmHa === null || unsized === 0 ? 0 : Math.max(0, farmHa - sized) / unsized;
}

/**
 * Hectares automated / under AWD: zones whose mode was not `off` (resp. was `awd`) at any time of
 * the month, at their size in the config then in force; per farm capped at the farm's area.
 * Baseline: metered AWD zones (with a flowM3PerHour) × days in AWD this month × FLOOD_M3_PER_HA_DAY.
 */
function areasAndBaseline(f: FarmFacts, m: MonthSpan, now: number) {
  const auto = new Map<string, number>();
  const awd = new Map<string, number>();
  let baselineM3 = 0;
  const end = Math.min(m.end, now);
  for (const g of f.gateways) {
    for (const c of configSpans(g.configs, end)) {
      const inMonth = overlap(c.appliedAt, c.until, m.start, end);
      if (inMonth <= 0) continue;
      for (const z of c.zones) {
        const ha = zoneArea(z, c.zones, f.areaHa);
        const key = `${g.id}/${z.id}`;
        if (z.mode !== 'off') auto.set(key, Math.max(auto.get(key) ?? 0, ha));
        if (z.mode === 'awd') {
          awd.set(key, Math.max(awd.get(key) ?? 0, ha));
          // an unmetered zone's water is never counted, so its baseline must not be either: else it reads as 100 % saved
          if (z.flowM3PerHour) baselineM3 += ha * (inMonth / DAY_MS) * FLOOD_M3_PER_HA_DAY;
        }
      }
    }
  }
  const sum = (x: Map<string, number>) => [...x.values()].reduce((s, v) => s + v, 0);
  const cap = (ha: number) => (f.areaHa === null ? ha : Math.min(ha, f.areaHa));
  return { automatedHa: cap(sum(auto)), awdHa: cap(sum(awd)), baselineM3 };
}

/** The zone a run belongs to, in the config in force when it opened. */
function zoneOfRun(r: ValveRunFact, configs: AppliedConfig[]): ZoneFacts | undefined {
  const cfg = [...configs].reverse().find((c) => c.appliedAt <= r.openedAt);
  return cfg?.zones.find((z) => (r.zone ? z.id === r.zone : z.valves.includes(r.valve)));
}

/**
 * Water: each run's open time inside the month × the zone's flowM3PerHour. A run never closed is
 * counted up to the zone's maxRunMinutes (the edge closes it then) or now. Runs of zones without a
 * configured flow are not metered and count nowhere (baseline neither).
 */
function water(g: FarmFacts['gateways'][number], m: MonthSpan, now: number) {
  let waterM3 = 0;
  let awdWaterM3 = 0;
  for (const r of g.runs) {
    const z = zoneOfRun(r, g.configs);
    if (!z?.flowM3PerHour) continue;
    const closed = r.closedAt ?? Math.min(now, r.openedAt + (z.maxRunMinutes ?? 120) * 60_000);
    const m3 = (overlap(r.openedAt, closed, m.start, m.end) / 3_600_000) * z.flowM3PerHour;
    waterM3 += m3;
    if (z.mode === 'awd') awdWaterM3 += m3;
  }
  return { waterM3, awdWaterM3 };
}

/** All KPIs of one farm in one month; `now` cuts the current month short. */
export function farmMonth(f: FarmFacts, m: MonthSpan, now: number): FarmMonth {
  const out = emptyMonth();
  if (f.registeredAt !== null && f.registeredAt >= m.end) return out;
  out.farmsRegistered = 1;
  let anyOnline = false;
  for (const g of f.gateways) {
    const u = uptime(g.states, m.start, Math.min(m.end, now));
    if (u.observedMs > 0) out.gatewaysReporting += 1;
    out.gatewayOnlineMs += u.onlineMs;
    out.gatewayObservedMs += u.observedMs;
    anyOnline ||= u.onlineMs > 0;
    const w = water(g, m, now);
    out.waterM3 += w.waterM3;
    out.awdWaterM3 += w.awdWaterM3;
  }
  out.farmsWithGatewayOnline = anyOnline ? 1 : 0;
  Object.assign(out, areasAndBaseline(f, m, now));
  for (const x of f.missions.filter((x) => x.flownAt >= m.start && x.flownAt < m.end)) {
    out.missionsFlown += 1;
    out.sprayedHa += x.areaHa;
    out.litresApplied += x.litres;
    out.knapsackBaselineL += x.areaHa * KNAPSACK_L_PER_HA;
  }
  return out;
}

export function addMonth(a: FarmMonth, b: FarmMonth): FarmMonth {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof FarmMonth)[]) out[k] += b[k];
  return out;
}

/**
 * Percentage of a baseline saved, rounded to 0.1. Null ("no data") when there is nothing to compare:
 * a zero or missing baseline, or nothing measured at all (0 m³ pumped is a silent meter, not 100 % saved).
 */
export function savedPct(saved: number, baseline: number | null | undefined, measured: number): number | null {
  if (!baseline || baseline <= 0 || !Number.isFinite(baseline) || measured <= 0) return null;
  return Math.round((saved / baseline) * 1000) / 10;
}
