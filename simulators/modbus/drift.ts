import type { ProfilePoint } from '../../edge/modbus/profile.js';

/** Plausible values of a Mekong Delta field in the dry season, by metric. */
const TYPICAL: Record<string, { mean: number; swing: number }> = {
  soil_moisture: { mean: 34, swing: 6 },
  soil_temperature: { mean: 28.5, swing: 2.5 },
  soil_ec: { mean: 850, swing: 150 },
  soil_ph: { mean: 5.8, swing: 0.3 },
  nitrogen: { mean: 45, swing: 8 },
  phosphorus: { mean: 22, swing: 4 },
  potassium: { mean: 130, swing: 15 },
  // cm relative to the soil surface, cycling through an AWD drawdown
  water_level: { mean: -4, swing: 9 },
  water_temperature: { mean: 29.5, swing: 2 },
  water_ec: { mean: 1400, swing: 600 },
  salinity: { mean: 0.9, swing: 0.4 },
  // soluble salts of a saline paddy in the dry season, mg/L (TDS ≈ 0.64 × EC µS/cm)
  soil_salinity: { mean: 600, swing: 150 },
  tds: { mean: 550, swing: 100 },
};

export function typicalValue(metric: string, range: ProfilePoint['range']): number {
  return TYPICAL[metric]?.mean ?? (range.min + range.max) / 2;
}

/**
 * A slowly drifting value per metric: a daily-ish sine plus a little noise, kept inside the
 * range, so `ruongso sim modbus` looks alive on a dashboard.
 */
export function driftingValues(periodMs = 10 * 60_000): (metric: string, now: number) => number | undefined {
  const phase = new Map<string, number>();
  return (metric, now) => {
    const t = TYPICAL[metric];
    if (!t) return undefined;
    if (!phase.has(metric)) phase.set(metric, Math.random() * 2 * Math.PI);
    const v =
      t.mean +
      t.swing * Math.sin((2 * Math.PI * now) / periodMs + phase.get(metric)!) +
      (Math.random() - 0.5) * t.swing * 0.05;
    return metric === 'salinity' || metric === 'soil_ph' ? Math.round(v * 100) / 100 : Math.round(v * 10) / 10;
  };
}
