import { GatewayConfig } from '../../protocol/index.js';
import type { Registry } from '../registry/registry.js';
import type { ReportFacts } from '../reports/facts.js';
import { addMonths, DAY_MS, monthOf, monthSpan, VN_OFFSET_MS } from '../reports/months.js';
import { DEMO_FARMS, DEMO_UNITS, seedDemoDistrict } from './seed.js';

/**
 * A year of plausible history for the demo district, so the officer dashboard has something to
 * show: farms joining over the year, gateways with outages (more in the rainy season), two rice
 * crops a year irrigated in AWD (one farm on a fixed schedule first), sprinkler runs in a shallot
 * garden, drone sprays at three crop stages, people using the app. Written through the registry
 * (farm registration audit rows, applied configs) and the report facts (states, valve runs,
 * missions, activity days). Deterministic (seeded by ids) and idempotent: a second call finds its
 * marker and writes nothing.
 */
export const HISTORY_ACTOR = 'demo-history';

/**
 * Two crops: Đông Xuân (5 Dec → 15 March) and Hè Thu (25 April → 1 August, when the field is
 * drained for harvest and irrigation stops), dates in Vietnam time.
 */
const SEASONS = [{ from: [-1, 11, 5], to: [0, 2, 15] }, { from: [0, 3, 25], to: [0, 7, 1] }, { from: [0, 11, 5], to: [1, 2, 15] }] as const;
/** pump flow per hectare of paddy, m³/h (a 6-inch axial-flow pump serves ~2.5 ha) */
const FLOW_M3_PER_HA_HOUR = 60;
/** AWD uses about this share of the continuous-flooding water (IRRI: 15–30 % saved) */
const AWD_SHARE = 0.72;
const SCHEDULE_SHARE = 0.97;
const GARDEN_HA = 0.2;

function rng(seed: string): () => number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** facts collected in memory, written in one transaction */
type Batch = Required<Parameters<ReportFacts['recordMany']>[0]>;

interface FarmPlan { farm: (typeof DEMO_FARMS)[number]; joinAt: number; firstMode: 'awd' | 'schedule'; drones: number }

function seasonsBetween(from: number, to: number): { start: number; end: number }[] {
  const y = new Date(to).getUTCFullYear();
  const out: { start: number; end: number }[] = [];
  for (const yy of [y - 1, y]) {
    for (const s of SEASONS) {
      const start = Date.UTC(yy + s.from[0], s.from[1], s.from[2]) - VN_OFFSET_MS;
      const end = Date.UTC(yy + s.to[0], s.to[1], s.to[2]) - VN_OFFSET_MS;
      // the Dec → Mar crop is listed under both years: keep it once
      if (end > from && start < to && !out.some((o) => o.start === Math.max(start, from))) out.push({ start: Math.max(start, from), end: Math.min(end, to) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function config(version: number, farmHa: number, riceMode: string, garden: boolean) {
  const zones: unknown[] = [{
    id: 'z1', name: 'Ruộng lúa', mode: riceMode, valves: ['v1'], intakeValve: 'v1', pump: 'p1',
    sensors: { waterLevel: { sensor: 'wl1', metric: 'water_level' }, intakeSalinity: { sensor: 'sal1', metric: 'salinity' } },
    ...(riceMode === 'awd' ? { awd: {} } : {}), ...(riceMode === 'schedule' ? { schedule: { windows: [{ start: '05:00', end: '06:30' }] } } : {}),
    areaHa: farmHa - (garden ? GARDEN_HA : 0), flowM3PerHour: Math.round(FLOW_M3_PER_HA_HOUR * farmHa), maxRunMinutes: 480,
  }];
  if (garden) {
    zones.push({ id: 'z2', name: 'Vườn hành', mode: 'threshold', valves: ['v2'], sensors: { soilMoisture: { sensor: 'soil1', metric: 'soil_moisture' } },
      threshold: { refillPct: 28, fieldCapacityPct: 38 }, areaHa: GARDEN_HA, flowM3PerHour: 3 });
  }
  return GatewayConfig.parse({ version, zones, pumps: [{ pump: 'p1', valves: ['v1'], maxOpenValves: 1 }] });
}

async function applyConfig(registry: Registry, gw: string, at: number, farmHa: number, mode: string, garden: boolean) {
  const last = (await registry.listConfigs(gw, 1))[0]?.version ?? 0;
  // sent a minute earlier, so the gateway has it in force from `at` exactly
  const v = await registry.putDesiredConfig(gw, config(last + 1, farmHa, mode, garden), HISTORY_ACTOR, at - 60_000);
  await registry.recordConfigAck(gw, { version: v.version, status: 'applied', ts: at }, at);
}

async function seedFarm(registry: Registry, facts: Batch, p: FarmPlan, now: number) {
  const { farm } = p;
  const gw = farm.gatewayId;
  const r = rng(farm.id);
  const garden = farm.id === DEMO_FARMS[0].id;
  // gateway states: up at install, outages of 1–30 h, twice as often in the rainy season (May–Nov)
  facts.states.push({ gatewayId: gw, at: p.joinAt, online: true });
  for (let t = p.joinAt + 5 * DAY_MS; t < now - DAY_MS;) {
    const month = new Date(t).getUTCMonth();
    const down = Math.round((1 + r() * 29) * 3_600_000);
    facts.states.push({ gatewayId: gw, at: t, online: false }, { gatewayId: gw, at: t + down, online: true });
    t += down + ((month >= 4 && month <= 10 ? 6 : 12) + r() * 10) * DAY_MS;
  }
  await applyConfig(registry, gw, p.joinAt, farm.areaHa, 'off', garden);
  const seasons = seasonsBetween(p.joinAt, now);
  for (const [i, s] of seasons.entries()) {
    const mode = i === 0 ? p.firstMode : 'awd';
    await applyConfig(registry, gw, s.start, farm.areaHa, mode, garden);
    if (s.end < now) await applyConfig(registry, gw, s.end, farm.areaHa, 'off', garden);
    await seedRuns(facts, gw, s, mode, farm.areaHa - (garden ? GARDEN_HA : 0), Math.round(FLOW_M3_PER_HA_HOUR * farm.areaHa), r);
    if (i >= p.drones) await seedMissions(facts, farm.id, s, farm.areaHa, r);
  }
  if (garden) {
    for (let t = p.joinAt + DAY_MS; t < now - DAY_MS; t += 2 * DAY_MS) {
      const at = t + 6 * 3_600_000;
      facts.runs.push({ gatewayId: gw, zone: 'z2', valve: 'v2', openedAt: at, closedAt: at + (15 + r() * 10) * 60_000 });
    }
  }
}

/** AWD: one re-flood every 5–7 days sized to ~72 % of the flooding baseline; schedule: daily. */
async function seedRuns(facts: Batch, gw: string, s: { start: number; end: number }, mode: string, ha: number, flow: number, r: () => number) {
  for (let t = s.start + DAY_MS; t < s.end - DAY_MS;) {
    const gap = mode === 'awd' ? 5 + Math.floor(r() * 3) : 1;
    const share = mode === 'awd' ? AWD_SHARE : SCHEDULE_SHARE;
    const hours = Math.min(8, (share * 80 * ha * gap * (0.85 + r() * 0.3)) / flow);
    const at = t + 5 * 3_600_000;
    facts.runs.push({ gatewayId: gw, zone: 'z1', valve: 'v1', openedAt: at, closedAt: at + Math.round(hours * 3_600_000) });
    t += gap * DAY_MS;
  }
}

/** sprays at tillering, panicle initiation and heading: ~15 L/ha by drone */
async function seedMissions(facts: Batch, farmId: string, s: { start: number; end: number }, ha: number, r: () => number) {
  for (const day of [20, 45, 70]) {
    const at = s.start + day * DAY_MS + 7 * 3_600_000;
    if (at >= s.end) continue;
    const area = Math.round(ha * (0.93 + r() * 0.05) * 100) / 100;
    facts.missions.push({ missionId: `hist-${farmId}-${at}`, farmId, flownAt: at, areaHa: area, litres: Math.round(area * (14 + r() * 2) * 10) / 10 });
  }
}

async function seedActivity(registry: Registry, facts: Batch, from: number, now: number) {
  const units = new Set<string>(DEMO_UNITS.map((u) => u.id));
  const farms = new Set<string>(DEMO_FARMS.map((f) => f.id));
  for (const u of await registry.listUsers()) {
    if (!(u.farmId && farms.has(u.farmId)) && !(u.unitId && units.has(u.unitId)) && u.role !== 'admin') continue;
    const r = rng(`user-${u.username}`);
    const every = u.role === 'farmer' ? 2.5 : u.role === 'technician' ? 2 : 7;
    for (let t = from; t < now; t += (every * (0.6 + r() * 0.8)) * DAY_MS) facts.activity.push({ userId: String(u.id), at: t });
  }
}

export interface HistoryResult { created: boolean; counts: Awaited<ReturnType<ReportFacts['counts']>> }

/** Seeds the year before `now` (default: the clock) unless already seeded. Call after the demo users exist. */
export async function seedDemoHistory(registry: Registry, facts: ReportFacts, opts: { now?: number } = {}): Promise<HistoryResult> {
  const now = opts.now ?? Date.now();
  await seedDemoDistrict(registry);
  const marker = await registry.listAudit({ entity: 'farm', entityId: DEMO_FARMS[0].id, limit: 1000 });
  if (marker.some((a) => a.actor === HISTORY_ACTOR)) return { created: false, counts: await facts.counts() };
  const start = monthSpan(addMonths(monthOf(now), -12)).start;
  const plans: FarmPlan[] = [
    { farm: DEMO_FARMS[0], joinAt: start, firstMode: 'awd', drones: 0 },
    { farm: DEMO_FARMS[1], joinAt: monthSpan(addMonths(monthOf(start), 2)).start + 3 * DAY_MS, firstMode: 'schedule', drones: 9 },
    { farm: DEMO_FARMS[2], joinAt: monthSpan(addMonths(monthOf(start), 5)).start + 8 * DAY_MS, firstMode: 'awd', drones: 1 },
  ];
  const batch: Batch = { states: [], runs: [], missions: [], activity: [] };
  for (const p of plans) await seedFarm(registry, batch, p, now);
  await seedActivity(registry, batch, start, now);
  await facts.recordMany(batch);
  // the registration rows last: the first farm's is the marker, so a seeding cut short runs again
  for (const p of plans) {
    await registry.appendAudit({ at: p.joinAt - 10 * DAY_MS, actor: HISTORY_ACTOR, action: 'create', entity: 'farm', entityId: p.farm.id, before: null, after: { id: p.farm.id, name: p.farm.name } });
  }
  return { created: true, counts: await facts.counts() };
}
