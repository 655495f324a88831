import type { CropKind } from '../../protocol/schemas/weather-rules.js';

/**
 * Single crop coefficients Kc (FAO-56 Table 12, sub-humid climate, RHmin ≈ 45 %, u2 ≈ 2 m/s)
 * and typical stage lengths in days (Table 11: initial, development, mid-season, late).
 * Where the table gives a range for Kc end, the middle is taken.
 */
export interface CropCoefficients {
  ini: number;
  mid: number;
  end: number;
  stageDays: [number, number, number, number];
}

export const CROPS: Record<CropKind, CropCoefficients> = {
  rice: { ini: 1.05, mid: 1.2, end: 0.75, stageDays: [30, 30, 60, 30] },
  tomato: { ini: 0.6, mid: 1.15, end: 0.8, stageDays: [30, 40, 40, 25] },
  cabbage: { ini: 0.7, mid: 1.05, end: 0.95, stageDays: [40, 60, 50, 15] },
  lettuce: { ini: 0.7, mid: 1.0, end: 0.95, stageDays: [20, 30, 15, 10] },
  onion: { ini: 0.7, mid: 1.05, end: 0.75, stageDays: [15, 25, 70, 40] },
  cucumber: { ini: 0.6, mid: 1.0, end: 0.75, stageDays: [20, 30, 40, 15] },
  pepper: { ini: 0.6, mid: 1.05, end: 0.9, stageDays: [25, 35, 40, 20] },
  watermelon: { ini: 0.4, mid: 1.0, end: 0.75, stageDays: [20, 30, 30, 30] },
  spinach: { ini: 0.7, mid: 1.0, end: 0.95, stageDays: [20, 20, 15, 5] },
  green_bean: { ini: 0.5, mid: 1.05, end: 0.9, stageDays: [20, 30, 30, 10] },
  sweet_potato: { ini: 0.5, mid: 1.15, end: 0.65, stageDays: [20, 30, 60, 40] },
  maize: { ini: 0.3, mid: 1.2, end: 0.48, stageDays: [30, 40, 50, 30] },
};

export type GrowthStage = 'before_planting' | 'initial' | 'development' | 'mid' | 'late' | 'after_harvest';

/**
 * Kc on a day after planting (FAO-56 Fig. 25): flat in the initial stage, a straight line up
 * through development, flat in mid-season, a straight line down to Kc end in the late stage.
 * Before planting and after harvest there is no crop: null.
 */
export function kcOnDay(
  c: CropCoefficients,
  daysAfterPlanting: number,
  stageDays = c.stageDays,
): { kc: number | null; stage: GrowthStage } {
  const [ini, dev, mid, late] = stageDays;
  const d = daysAfterPlanting;
  if (d < 0) return { kc: null, stage: 'before_planting' };
  if (d < ini) return { kc: c.ini, stage: 'initial' };
  if (d < ini + dev) return { kc: c.ini + ((d - ini) / dev) * (c.mid - c.ini), stage: 'development' };
  if (d < ini + dev + mid) return { kc: c.mid, stage: 'mid' };
  if (d < ini + dev + mid + late)
    return { kc: c.mid + ((d - ini - dev - mid) / late) * (c.end - c.mid), stage: 'late' };
  return { kc: null, stage: 'after_harvest' };
}

/** Days from a YYYY-MM-DD planting date to a YYYY-MM-DD local date. */
export function daysBetween(fromIso: string, toIso: string): number {
  const ms = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(toIso) - ms(fromIso)) / 86_400_000);
}
