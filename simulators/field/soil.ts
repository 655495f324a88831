import { HOUR_MS, etShapePerHour, hash01, localDayHour, rainMmPerHour } from './random.js';

/**
 * Root-zone bucket of a sprinkler zone (vegetables, shallots): volumetric water content in %,
 * drawn down by evapotranspiration, filled by the sprinkler and rain, drained above field capacity.
 */
export interface SoilParams {
  seed: number;
  rootDepthMm: number;
  etMinMmPerDay: number;
  etMaxMmPerDay: number;
  sprinklerMmPerHour: number;
  fieldCapacityPct: number;
  wiltingPointPct: number;
  saturationPct: number;
  /** share of the water above field capacity that drains per hour */
  drainagePerHour: number;
  utcOffsetHours: number;
  rain: boolean;
}

export const SOIL_DEFAULTS: SoilParams = {
  seed: 1,
  rootDepthMm: 300,
  etMinMmPerDay: 3.5,
  etMaxMmPerDay: 5.5,
  sprinklerMmPerHour: 8,
  fieldCapacityPct: 36,
  wiltingPointPct: 12,
  saturationPct: 46,
  drainagePerHour: 0.3,
  utcOffsetHours: 7,
  rain: true,
};

export interface SoilState {
  ts: number;
  moisturePct: number;
}

const SUBSTEP_MS = 5 * 60_000;

export function advanceSoil(
  s: SoilState,
  to: number,
  sprinklerOn: boolean,
  params: Partial<SoilParams> = {},
): SoilState {
  const p = { ...SOIL_DEFAULTS, ...params };
  let { ts, moisturePct } = s;
  while (ts < to) {
    const dt = Math.min(SUBSTEP_MS, to - ts);
    const h = dt / HOUR_MS;
    const mid = ts + dt / 2;
    const { day, hour } = localDayHour(mid, p.utcOffsetHours);
    const etDay = p.etMinMmPerDay + (p.etMaxMmPerDay - p.etMinMmPerDay) * hash01(p.seed, day, 31);
    // plants take less as the soil dries towards the wilting point
    const stress = Math.min(
      1,
      Math.max(0, (moisturePct - p.wiltingPointPct) / (p.fieldCapacityPct - p.wiltingPointPct)),
    );
    const et = etDay * etShapePerHour(hour) * stress;
    const wet = (sprinklerOn ? p.sprinklerMmPerHour : 0) + (p.rain ? rainMmPerHour(mid, p.seed, p.utcOffsetHours) : 0);
    let pct = moisturePct + (((wet - et) * h) / p.rootDepthMm) * 100;
    if (pct > p.fieldCapacityPct) pct -= (pct - p.fieldCapacityPct) * Math.min(1, p.drainagePerHour * h);
    moisturePct = Math.min(p.saturationPct, Math.max(p.wiltingPointPct * 0.6, pct));
    ts += dt;
  }
  return { ts, moisturePct };
}
