import type { Clock } from '../../lib/time.js';
import { systemClock } from '../../lib/time.js';
import type { Registry, Unit } from '../registry/registry.js';
import { ReportError } from './errors.js';
import type { ReportFacts, StateFact, ValveRunFact } from './facts.js';
import { farmMonth, type AppliedConfig, type FarmFacts, type FarmMonth, type ZoneFacts } from './kpis.js';
import { DAY_MS, dayOf, monthRange, monthSpan, type Month } from './months.js';
import { rollUp, subtrees, type AdoptionRow } from './rollup.js';

/** Who asks: the auth user's role and, for officers, their communes (unit ids or names). */
export interface Viewer {
  role: string;
  communes: string[];
}

export interface AdoptionReport {
  from: Month;
  to: Month;
  units: Unit[];
  rows: AdoptionRow[];
}

/** At most ten years per request: the report is computed on the fly. */
const MAX_MONTHS = 120;

/**
 * Adoption reports: gathers farms, gateways, applied configs and users from the registry and the
 * history from the report facts, computes each farm's months (kpis.ts) and rolls them up the
 * administrative tree (rollup.ts). Scoping: admins see every unit, officers the subtrees of their
 * communes, everyone else nothing.
 */
export class ReportService {
  readonly #clock: Clock;
  constructor(
    private readonly registry: Registry,
    private readonly facts: ReportFacts,
    opts: { clock?: Clock } = {},
  ) {
    this.#clock = opts.clock ?? systemClock;
  }

  /** The units a viewer may see as roots of their reports. */
  roots(viewer: Viewer, units: Unit[]): Unit[] {
    if (viewer.role === 'admin') return units.filter((u) => u.parentId === null);
    if (viewer.role !== 'officer')
      throw new ReportError('AUTH_FORBIDDEN', 'adoption reports are for agriculture officers and admins');
    const mine = new Set(viewer.communes);
    return units.filter((u) => mine.has(u.id) || mine.has(u.name));
  }

  async adoption(q: { unit?: string | undefined; from: Month; to: Month }, viewer: Viewer): Promise<AdoptionReport> {
    if (q.from > q.to) throw new ReportError('REPORT_RANGE_INVALID', `"from" (${q.from}) is after "to" (${q.to})`);
    const months = monthRange(q.from, q.to);
    if (months.length > MAX_MONTHS)
      throw new ReportError('REPORT_RANGE_INVALID', `at most ${MAX_MONTHS} months per report; ask for a shorter range`);
    const units = await this.registry.listUnits();
    const report = this.#reportUnits(q.unit, viewer, units);
    const start = monthSpan(q.from).start;
    const end = monthSpan(q.to).end;
    const now = this.#clock.now();
    const [farmFacts, activeUserUnits] = await Promise.all([
      this.#farmFacts(start, end),
      this.#activeUsers(months, now),
    ]);
    const farmMonths = new Map<string, Map<Month, FarmMonth>>();
    for (const f of farmFacts.values()) {
      farmMonths.set(f.facts.farmId, new Map(months.map((m) => [m, farmMonth(f.facts, monthSpan(m), now)])));
    }
    const farmUnit = new Map([...farmFacts.values()].map((f) => [f.facts.farmId, f.unitId]));
    return {
      from: q.from,
      to: q.to,
      units: report,
      rows: rollUp({ units, report, months, farmUnit, farmMonths, activeUserUnits }),
    };
  }

  /** The requested unit (or the viewer's roots) and everything below, parents before children. */
  #reportUnits(unit: string | undefined, viewer: Viewer, units: Unit[]): Unit[] {
    const roots = this.roots(viewer, units);
    const below = subtrees(units);
    const byId = new Map(units.map((u) => [u.id, u]));
    if (unit !== undefined) {
      // a unit outside the viewer's communes answers exactly as one that does not exist: ids stay private
      if (!byId.has(unit) || !roots.some((r) => below.get(r.id)?.has(unit))) {
        throw new ReportError('REPORT_UNIT_NOT_FOUND', 'no such administrative unit among the units you report on');
      }
    }
    const out: Unit[] = [];
    const seen = new Set<string>();
    const walk = (u: Unit) => {
      if (seen.has(u.id)) return;
      seen.add(u.id);
      out.push(u);
      units
        .filter((c) => c.parentId === u.id)
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
        .forEach(walk);
    };
    (unit !== undefined ? [byId.get(unit)!] : roots).forEach(walk);
    return out;
  }

  async #farmFacts(start: number, end: number): Promise<Map<string, { unitId: string | null; facts: FarmFacts }>> {
    const [farms, gateways, audit, states, runs, missions] = await Promise.all([
      this.registry.listFarms(),
      this.registry.listGateways({ limit: 1_000_000 }),
      this.registry.listAudit({ entity: 'farm', limit: 1_000_000 }),
      this.facts.states(end),
      this.facts.runs(start, end),
      this.facts.missions(start, end),
    ]);
    const registered = new Map<string, number>();
    for (const a of audit) registered.set(a.entityId, Math.min(a.at, registered.get(a.entityId) ?? Infinity));
    const out = new Map<string, { unitId: string | null; facts: FarmFacts }>(
      farms.map((f) => [
        f.id,
        {
          unitId: f.unitId,
          facts: {
            farmId: f.id,
            areaHa: f.areaHa,
            registeredAt: registered.get(f.id) ?? null,
            gateways: [],
            missions: missions.filter((m) => m.farmId === f.id),
          },
        },
      ]),
    );
    const byGw = <T extends { gatewayId: string }>(xs: T[], id: string) => xs.filter((x) => x.gatewayId === id);
    for (const g of gateways) {
      const farm = g.farmId ? out.get(g.farmId) : undefined;
      if (!farm) continue; // an unassigned gateway belongs to no unit
      farm.facts.gateways.push({
        id: g.id,
        states: byGw<StateFact>(states, g.id),
        runs: byGw<ValveRunFact>(runs, g.id),
        configs: await this.#appliedConfigs(g.id),
      });
    }
    return out;
  }

  /** Configs the gateway acknowledged as applied, oldest first, reduced to what the KPIs read. */
  async #appliedConfigs(gatewayId: string): Promise<AppliedConfig[]> {
    const versions = await this.registry.listConfigs(gatewayId, 10_000);
    return versions
      .filter((v) => v.status === 'applied' && v.ackedAt !== null)
      .sort((a, b) => a.ackedAt! - b.ackedAt!)
      .map((v) => ({ appliedAt: v.ackedAt!, zones: zonesOf(v.config) }));
  }

  /**
   * Active users: distinct users with activity on one of the 30 calendar days ending with the
   * month's last day (or today in the current month), each counted in their unit — their own
   * unitId, else their farm's unit. Users with neither (admins) count in no unit.
   */
  async #activeUsers(months: Month[], now: number): Promise<Map<Month, Map<string, string>>> {
    const [users, farms] = await Promise.all([this.registry.listUsers(), this.registry.listFarms()]);
    const farmUnit = new Map(farms.map((f) => [f.id, f.unitId]));
    const unitOf = new Map<string, string>();
    for (const u of users) {
      const unit = u.communes[0] ?? (u.farmIds[0] ? farmUnit.get(u.farmIds[0]) : null) ?? null;
      if (unit) unitOf.set(String(u.id), unit);
    }
    const first = monthSpan(months[0]!).start;
    const activity = await this.facts.activity(dayOf(first - 30 * DAY_MS), dayOf(monthSpan(months.at(-1)!).end));
    const out = new Map<Month, Map<string, string>>();
    for (const m of months) {
      const endT = Math.min(monthSpan(m).end, now);
      const lastDay = dayOf(endT - 1);
      const firstDay = dayOf(endT - 1 - 29 * DAY_MS);
      const active = new Map<string, string>();
      for (const a of activity) {
        const unit = unitOf.get(a.userId);
        if (unit && a.day >= firstDay && a.day <= lastDay) active.set(a.userId, unit);
      }
      out.set(m, active);
    }
    return out;
  }
}

/** Zones of a stored config, read leniently: a config the schema has since tightened still counts. */
export function zonesOf(config: unknown): ZoneFacts[] {
  const zones = (config as { zones?: unknown } | null)?.zones;
  if (!Array.isArray(zones)) return [];
  return zones.flatMap((z: Record<string, unknown>) =>
    typeof z?.id === 'string' && typeof z.mode === 'string'
      ? [
          {
            id: z.id,
            mode: z.mode,
            valves: Array.isArray(z.valves) ? z.valves.map(String) : [],
            areaHa: typeof z.areaHa === 'number' ? z.areaHa : undefined,
            flowM3PerHour: typeof z.flowM3PerHour === 'number' ? z.flowM3PerHour : undefined,
            maxRunMinutes: typeof z.maxRunMinutes === 'number' ? z.maxRunMinutes : undefined,
          },
        ]
      : [],
  );
}
