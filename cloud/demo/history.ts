import { GatewayConfig } from '../../protocol/index.js';
import type { Registry } from '../registry/registry.js';
import type { ReportFacts } from '../reports/facts.js';
import type { StoredReading, TelemetryStore } from '../telemetry/store.js';
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
const SEASONS = [
  { from: [-1, 11, 5], to: [0, 2, 15] },
  { from: [0, 3, 25], to: [0, 7, 1] },
  { from: [0, 11, 5], to: [1, 2, 15] },
] as const;
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

interface FarmPlan {
  farm: (typeof DEMO_FARMS)[number];
  joinAt: number;
  firstMode: 'awd' | 'schedule';
  drones: number;
}

function seasonsBetween(from: number, to: number): { start: number; end: number }[] {
  const y = new Date(to).getUTCFullYear();
  const out: { start: number; end: number }[] = [];
  for (const yy of [y - 1, y]) {
    for (const s of SEASONS) {
      const start = Date.UTC(yy + s.from[0], s.from[1], s.from[2]) - VN_OFFSET_MS;
      const end = Date.UTC(yy + s.to[0], s.to[1], s.to[2]) - VN_OFFSET_MS;
      // the Dec → Mar crop is listed under both years: keep it once
      if (end > from && start < to && !out.some((o) => o.start === Math.max(start, from)))
        out.push({ start: Math.max(start, from), end: Math.min(end, to) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function config(version: number, farmHa: number, riceMode: string, garden: boolean) {
  const zones: unknown[] = [
    {
      id: 'z1',
      name: 'Ruộng lúa',
      mode: riceMode,
      valves: ['v1'],
      intakeValve: 'v1',
      pump: 'p1',
      sensors: {
        waterLevel: { sensor: 'wl1', metric: 'water_level' },
        intakeSalinity: { sensor: 'sal1', metric: 'salinity' },
      },
      ...(riceMode === 'awd' ? { awd: {} } : {}),
      ...(riceMode === 'schedule' ? { schedule: { windows: [{ start: '05:00', end: '06:30' }] } } : {}),
      areaHa: farmHa - (garden ? GARDEN_HA : 0),
      flowM3PerHour: Math.round(FLOW_M3_PER_HA_HOUR * farmHa),
      maxRunMinutes: 480,
    },
  ];
  if (garden) {
    zones.push({
      id: 'z2',
      name: 'Vườn hành',
      mode: 'threshold',
      valves: ['v2'],
      sensors: { soilMoisture: { sensor: 'soil1', metric: 'soil_moisture' } },
      threshold: { refillPct: 28, fieldCapacityPct: 38 },
      areaHa: GARDEN_HA,
      flowM3PerHour: 3,
    });
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
    await seedRuns(
      facts,
      gw,
      s,
      mode,
      farm.areaHa - (garden ? GARDEN_HA : 0),
      Math.round(FLOW_M3_PER_HA_HOUR * farm.areaHa),
      r,
    );
    if (i >= p.drones) await seedMissions(facts, farm.id, s, farm.areaHa, r);
  }
  if (garden) {
    for (let t = p.joinAt + DAY_MS; t < now - DAY_MS; t += 2 * DAY_MS) {
      const at = t + 6 * 3_600_000;
      facts.runs.push({
        gatewayId: gw,
        zone: 'z2',
        valve: 'v2',
        openedAt: at,
        closedAt: at + (15 + r() * 10) * 60_000,
      });
    }
  }
}

/** AWD: one re-flood every 5–7 days sized to ~72 % of the flooding baseline; schedule: daily. */
async function seedRuns(
  facts: Batch,
  gw: string,
  s: { start: number; end: number },
  mode: string,
  ha: number,
  flow: number,
  r: () => number,
) {
  for (let t = s.start + DAY_MS; t < s.end - DAY_MS;) {
    const gap = mode === 'awd' ? 5 + Math.floor(r() * 3) : 1;
    const share = mode === 'awd' ? AWD_SHARE : SCHEDULE_SHARE;
    const hours = Math.min(8, (share * 80 * ha * gap * (0.85 + r() * 0.3)) / flow);
    const at = t + 5 * 3_600_000;
    facts.runs.push({
      gatewayId: gw,
      zone: 'z1',
      valve: 'v1',
      openedAt: at,
      closedAt: at + Math.round(hours * 3_600_000),
    });
    t += gap * DAY_MS;
  }
}

/** sprays at tillering, panicle initiation and heading: ~15 L/ha by drone */
async function seedMissions(
  facts: Batch,
  farmId: string,
  s: { start: number; end: number },
  ha: number,
  r: () => number,
) {
  for (const day of [20, 45, 70]) {
    const at = s.start + day * DAY_MS + 7 * 3_600_000;
    if (at >= s.end) continue;
    const area = Math.round(ha * (0.93 + r() * 0.05) * 100) / 100;
    facts.missions.push({
      missionId: `hist-${farmId}-${at}`,
      farmId,
      flownAt: at,
      areaHa: area,
      litres: Math.round(area * (14 + r() * 2) * 10) / 10,
    });
  }
}

async function seedActivity(registry: Registry, facts: Batch, from: number, now: number) {
  const units = new Set<string>(DEMO_UNITS.map((u) => u.id));
  const farms = new Set<string>(DEMO_FARMS.map((f) => f.id));
  for (const u of await registry.listUsers()) {
    if (
      !(u.farmIds[0] && farms.has(u.farmIds[0])) &&
      !(u.communes[0] && units.has(u.communes[0])) &&
      u.role !== 'admin'
    )
      continue;
    const r = rng(`user-${u.username}`);
    const every = u.role === 'farmer' ? 2.5 : u.role === 'technician' ? 2 : 7;
    for (let t = from; t < now; t += every * (0.6 + r() * 0.8) * DAY_MS)
      facts.activity.push({ userId: String(u.id), at: t });
  }
}

export interface HistoryResult {
  created: boolean;
  counts: Awaited<ReturnType<ReportFacts['counts']>>;
}

/** Seeds the year before `now` (default: the clock) unless already seeded. Call after the demo users exist. */
export async function seedDemoHistory(
  registry: Registry,
  facts: ReportFacts,
  opts: { now?: number } = {},
): Promise<HistoryResult> {
  const now = opts.now ?? Date.now();
  await seedDemoDistrict(registry);
  const marker = await registry.listAudit({ entity: 'farm', entityId: DEMO_FARMS[0].id, limit: 1000 });
  if (marker.some((a) => a.actor === HISTORY_ACTOR)) return { created: false, counts: await facts.counts() };
  const start = monthSpan(addMonths(monthOf(now), -12)).start;
  const plans: FarmPlan[] = [
    { farm: DEMO_FARMS[0], joinAt: start, firstMode: 'awd', drones: 0 },
    {
      farm: DEMO_FARMS[1],
      joinAt: monthSpan(addMonths(monthOf(start), 2)).start + 3 * DAY_MS,
      firstMode: 'schedule',
      drones: 9,
    },
    {
      farm: DEMO_FARMS[2],
      joinAt: monthSpan(addMonths(monthOf(start), 5)).start + 8 * DAY_MS,
      firstMode: 'awd',
      drones: 1,
    },
  ];
  const batch: Batch = { states: [], runs: [], missions: [], activity: [] };
  for (const p of plans) await seedFarm(registry, batch, p, now);
  await seedActivity(registry, batch, start, now);
  await facts.recordMany(batch);
  // the registration rows last: the first farm's is the marker, so a seeding cut short runs again
  for (const p of plans) {
    await registry.appendAudit({
      at: p.joinAt - 10 * DAY_MS,
      actor: HISTORY_ACTOR,
      action: 'create',
      entity: 'farm',
      entityId: p.farm.id,
      before: null,
      after: { id: p.farm.id, name: p.farm.name },
    });
  }
  return { created: true, counts: await facts.counts() };
}

/** how far back the demo's telemetry goes: one rice crop, so the farmer's "season" chart is full */
export const TELEMETRY_DAYS = 120;
const STEP_MS = 30 * 60_000;
const HOUR_MS = 3_600_000;

/** Mekong intake salinity (‰): low in the rainy season, rising through the dry season to a March–April peak, with the tide */
function salinityAt(t: number, r: () => number): number {
  const month = new Date(t + VN_OFFSET_MS).getUTCMonth();
  const base = [1.2, 2.2, 3.0, 2.6, 1.0, 0.4, 0.3, 0.3, 0.3, 0.4, 0.5, 0.8][month]!;
  const tide = 0.35 * base * Math.sin((2 * Math.PI * t) / (12.42 * HOUR_MS));
  return Math.max(0.1, Math.round((base + tide + (r() - 0.5) * 0.1) * 100) / 100);
}

/**
 * One farm's paddy over the last TELEMETRY_DAYS, every 30 min: AWD water level falling 2.5–4 cm a
 * day to the −15 cm re-flood level, the intake valve open (valve_open 1) while the pump floods it
 * back to +5 cm at ~3 cm/h, showers now and then; intake salinity; the shallot garden's soil
 * moisture between its 28 % / 38 % thresholds. Sensor ids are the demo gateways' own.
 */
export function farmTelemetry(gatewayId: string, from: number, to: number, garden: boolean): StoredReading[] {
  const r = rng(`telemetry-${gatewayId}`);
  const out: StoredReading[] = [];
  let level = 5 - r() * 15;
  let filling = false;
  let soil = 34;
  let watering = false;
  // seepage and evapotranspiration: 2.5–4 cm a day, so a re-flood every 5–8 days as in the report history
  const drainPerStep = () => (2.5 + 1.5 * r()) / 48;
  const pt = (sensor: string, metric: string, value: number, unit: string, ts: number): StoredReading => ({
    gatewayId,
    sensor,
    metric,
    value: Math.round(value * 10) / 10,
    unit,
    ts,
    quality: 'good',
  });
  for (let ts = from - (from % STEP_MS); ts < to; ts += STEP_MS) {
    if (filling) {
      level += 1.5;
      if (level >= 5) filling = false;
    } else {
      level -= drainPerStep();
      if (r() < 0.004) level += 2 + r() * 4; // a shower
      if (level <= -15) filling = true;
    }
    level = Math.min(8, level);
    out.push(
      pt('wl1', 'water_level', level, 'cm', ts),
      pt('v1', 'valve_open', filling ? 1 : 0, '', ts),
      pt('sal1', 'salinity', salinityAt(ts, r), 'ppt', ts),
    );
    if (garden) {
      if (watering) {
        soil += 2.5;
        if (soil >= 38) watering = false;
      } else {
        soil -= 0.05 + r() * 0.05;
        if (soil <= 28) watering = true;
      }
      out.push(pt('soil1', 'soil_moisture', soil, '%VWC', ts), pt('v2', 'valve_open', watering ? 1 : 0, '', ts));
    }
  }
  return out;
}

/**
 * Seeds the demo farms' telemetry (see farmTelemetry) unless the store already has water levels
 * of that period for the first farm. Written in batches so no single write is huge.
 */
export async function seedDemoTelemetry(
  store: TelemetryStore,
  opts: { now?: number } = {},
): Promise<{ created: boolean; points: number }> {
  const now = opts.now ?? Date.now();
  const from = now - TELEMETRY_DAYS * DAY_MS;
  const probe = await store.query({
    gatewayId: DEMO_FARMS[0].gatewayId,
    metric: 'water_level',
    from,
    to: from + 2 * DAY_MS,
  });
  if (probe.some((s) => s.points.length > 0)) return { created: false, points: 0 };
  let points = 0;
  for (const f of DEMO_FARMS) {
    const all = farmTelemetry(f.gatewayId, from, now, f.id === DEMO_FARMS[0].id);
    for (let i = 0; i < all.length; i += 5000) await store.write(all.slice(i, i + 5000));
    points += all.length;
  }
  return { created: true, points };
}
