import { HOUR_MS, etShapePerHour, hash01, localDayHour, rainMmPerHour } from './random.js';

/**
 * Water balance of one paddy, read as the level in an AWD field tube: cm relative to the soil
 * surface (negative = below). Pure and clock-driven: `advancePaddy(state, toTs, inputs)`.
 */
export interface PaddyParams {
  seed: number;
  /** crop evapotranspiration, drawn per day between these (4–6 mm/day in the Delta) */
  etMinMmPerDay: number;
  etMaxMmPerDay: number;
  /** seepage + percolation while ponded; slows as the water table falls */
  seepPercMmPerDay: number;
  /** inflow through the open intake (pump or gate), mm of water over the field per hour */
  inflowMmPerHour: number;
  /** drainable porosity below the surface: 1 mm of water lost drops the tube level 1/0.35 mm */
  specificYield: number;
  /** bottom of the tube and top of the bund (overflow) */
  minCm: number;
  maxCm: number;
  utcOffsetHours: number;
  /** turn the seeded showers off (tests that want a dry week) */
  rain: boolean;
}

export const PADDY_DEFAULTS: PaddyParams = {
  seed: 1,
  etMinMmPerDay: 4,
  etMaxMmPerDay: 6,
  seepPercMmPerDay: 3,
  inflowMmPerHour: 25,
  specificYield: 0.35,
  minCm: -40,
  maxCm: 20,
  utcOffsetHours: 7,
  rain: true,
};

export interface PaddyState {
  ts: number;
  levelCm: number;
}

export interface PaddyInputs {
  intakeOpen: boolean;
  /** extra rain on top of the seeded showers (mm/h), e.g. a storm in a scenario */
  extraRainMmPerHour?: number;
}

const SUBSTEP_MS = 5 * 60_000;

/** Net water into the field (mm/h) at time t. */
export function paddyFluxMmPerHour(s: PaddyState, t: number, inputs: PaddyInputs, p: PaddyParams): number {
  const { day, hour } = localDayHour(t, p.utcOffsetHours);
  const etDay = p.etMinMmPerDay + (p.etMaxMmPerDay - p.etMinMmPerDay) * hash01(p.seed, day, 1);
  const et = etDay * etShapePerHour(hour);
  // deeper water table → smaller head → slower percolation (never quite zero)
  const head = s.levelCm >= 0 ? 1 : Math.max(0.2, 1 + s.levelCm / 30);
  const perc = (p.seepPercMmPerDay / 24) * head;
  const rain = (p.rain ? rainMmPerHour(t, p.seed, p.utcOffsetHours) : 0) + (inputs.extraRainMmPerHour ?? 0);
  const inflow = inputs.intakeOpen ? p.inflowMmPerHour : 0;
  return rain + inflow - et - perc;
}

// standing water moves the level 1:1; below the surface the soil's pores hold the water
const toStorage = (cm: number, p: PaddyParams) => (cm >= 0 ? cm * 10 : cm * 10 * p.specificYield);
const fromStorage = (mm: number, p: PaddyParams) => (mm >= 0 ? mm / 10 : mm / 10 / p.specificYield);

/** Integrates the balance from s.ts to `to` in substeps of ≤ 5 min. */
export function advancePaddy(
  s: PaddyState,
  to: number,
  inputs: PaddyInputs,
  params: Partial<PaddyParams> = {},
): PaddyState {
  const p = { ...PADDY_DEFAULTS, ...params };
  let { ts, levelCm } = s;
  while (ts < to) {
    const dt = Math.min(SUBSTEP_MS, to - ts);
    const mm = paddyFluxMmPerHour({ ts, levelCm }, ts + dt / 2, inputs, p) * (dt / HOUR_MS);
    levelCm = Math.min(p.maxCm, Math.max(p.minCm, fromStorage(toStorage(levelCm, p) + mm, p)));
    ts += dt;
  }
  return { ts, levelCm };
}
