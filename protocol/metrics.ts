/**
 * Metrics the platform knows, with their canonical unit and a physically plausible range.
 * A value outside the range is a sensor fault, never a reason to irrigate.
 */
export interface MetricInfo {
  unit: string;
  min: number;
  max: number;
  en: string;
  vi: string;
}

export const METRICS = {
  // cm relative to the soil surface, negative = below (perforated AWD field tube)
  water_level: { unit: 'cm', min: -100, max: 100, en: 'Water level', vi: 'Mực nước' },
  soil_moisture: { unit: '%VWC', min: 0, max: 100, en: 'Soil moisture', vi: 'Độ ẩm đất' },
  soil_temperature: { unit: '°C', min: -20, max: 80, en: 'Soil temperature', vi: 'Nhiệt độ đất' },
  soil_ec: { unit: 'µS/cm', min: 0, max: 20000, en: 'Soil EC', vi: 'EC đất' },
  soil_ph: { unit: 'pH', min: 0, max: 14, en: 'Soil pH', vi: 'pH đất' },
  nitrogen: { unit: 'mg/kg', min: 0, max: 2000, en: 'Nitrogen', vi: 'Đạm (N)' },
  phosphorus: { unit: 'mg/kg', min: 0, max: 2000, en: 'Phosphorus', vi: 'Lân (P)' },
  potassium: { unit: 'mg/kg', min: 0, max: 2000, en: 'Potassium', vi: 'Kali (K)' },
  // ‰ = g/L; 1 g/L ≈ 1.56 dS/m
  salinity: { unit: 'ppt', min: 0, max: 60, en: 'Salinity', vi: 'Độ mặn' },
  water_ec: { unit: 'µS/cm', min: 0, max: 100000, en: 'Water EC', vi: 'EC nước' },
  water_temperature: { unit: '°C', min: -5, max: 60, en: 'Water temperature', vi: 'Nhiệt độ nước' },
  valve_open: { unit: 'bool', min: 0, max: 1, en: 'Valve open', vi: 'Van mở' },
  pump_on: { unit: 'bool', min: 0, max: 1, en: 'Pump on', vi: 'Bơm chạy' },
  flow: { unit: 'L/min', min: 0, max: 100000, en: 'Flow', vi: 'Lưu lượng' },
} as const satisfies Record<string, MetricInfo>;

export type KnownMetric = keyof typeof METRICS;

export function metricInfo(metric: string): MetricInfo | undefined {
  return (METRICS as Record<string, MetricInfo>)[metric];
}

/** 1 g/L ≈ 1.56 dS/m (TDS ≈ 640 × EC); 1 dS/m = 1000 µS/cm */
export const PPT_PER_DS_M = 1 / 1.56;
export function ecToSalinityPpt(ecMicroSiemensPerCm: number): number {
  return (ecMicroSiemensPerCm / 1000) * PPT_PER_DS_M;
}
