/**
 * Metrics the platform knows: their canonical unit (every reading on the wire carries it), a
 * physically plausible range in that unit, and the units a device profile may declare instead,
 * each with its conversion to the canonical one. A value outside the range is a sensor fault,
 * never a reason to irrigate.
 */

/** canonical = value × factor + offset */
export interface UnitConversion {
  factor: number;
  offset?: number;
}

export interface MetricInfo {
  unit: string;
  min: number;
  max: number;
  en: string;
  vi: string;
  /** accepted units (the canonical one included) → conversion to the canonical unit */
  units: Readonly<Record<string, UnitConversion>>;
}

const same = { factor: 1 } as const;
const length = { mm: { factor: 0.1 }, cm: same, m: { factor: 100 } } as const;
const percent = { '%VWC': same, '%': same, 'm³/m³': { factor: 100 }, 'm3/m3': { factor: 100 } } as const;
const celsius = {
  '°C': same,
  C: same,
  degC: same,
  '°F': { factor: 5 / 9, offset: (-32 * 5) / 9 },
  K: { factor: 1, offset: -273.15 },
} as const;
const conductivity = {
  'µS/cm': same,
  'μS/cm': same,
  'uS/cm': same,
  'mS/cm': { factor: 1000 },
  'dS/m': { factor: 1000 },
  'mS/m': { factor: 10 },
  'S/m': { factor: 10_000 },
} as const;
// salinity as a mass fraction: ‰ = ppt = g/L (at fresh-to-brackish densities); psu ≈ ‰
const salinityUnits = {
  ppt: same,
  '‰': same,
  'g/L': same,
  'g/kg': same,
  psu: same,
  PSU: same,
  'mg/L': { factor: 0.001 },
  ppm: { factor: 0.001 },
} as const;
// dissolved or soluble salts as a concentration: mg/L = ppm
const concentration = {
  'mg/L': same,
  ppm: same,
  'g/L': { factor: 1000 },
  ppt: { factor: 1000 },
  '‰': { factor: 1000 },
} as const;
const massFraction = { 'mg/kg': same, ppm: same, 'g/kg': { factor: 1000 } } as const;
const flowUnits = {
  'L/min': same,
  'L/s': { factor: 60 },
  'm³/h': { factor: 1000 / 60 },
  'm3/h': { factor: 1000 / 60 },
} as const;

export const METRICS = {
  // cm relative to the soil surface, negative = below (perforated AWD field tube)
  water_level: { unit: 'cm', min: -100, max: 100, en: 'Water level', vi: 'Mực nước', units: length },
  soil_moisture: { unit: '%VWC', min: 0, max: 100, en: 'Soil moisture', vi: 'Độ ẩm đất', units: percent },
  soil_temperature: { unit: '°C', min: -20, max: 80, en: 'Soil temperature', vi: 'Nhiệt độ đất', units: celsius },
  soil_ec: { unit: 'µS/cm', min: 0, max: 20000, en: 'Soil EC', vi: 'EC đất', units: conductivity },
  soil_ph: { unit: 'pH', min: 0, max: 14, en: 'Soil pH', vi: 'pH đất', units: { pH: same } },
  // soluble salts in the root zone as 7-in-1 probes report them; not the intake interlock's `salinity`
  soil_salinity: { unit: 'mg/L', min: 0, max: 20000, en: 'Soil salinity', vi: 'Độ mặn đất', units: concentration },
  // total dissolved solids of water; TDS ≈ 640 × EC (dS/m) mg/L
  tds: {
    unit: 'mg/L',
    min: 0,
    max: 70000,
    en: 'Total dissolved solids',
    vi: 'Tổng chất rắn hòa tan (TDS)',
    units: concentration,
  },
  nitrogen: { unit: 'mg/kg', min: 0, max: 2000, en: 'Nitrogen', vi: 'Đạm (N)', units: massFraction },
  phosphorus: { unit: 'mg/kg', min: 0, max: 2000, en: 'Phosphorus', vi: 'Lân (P)', units: massFraction },
  potassium: { unit: 'mg/kg', min: 0, max: 2000, en: 'Potassium', vi: 'Kali (K)', units: massFraction },
  // the canal intake interlock's metric: ‰ = g/L; 1 g/L ≈ 1.56 dS/m
  salinity: { unit: 'ppt', min: 0, max: 60, en: 'Salinity', vi: 'Độ mặn', units: salinityUnits },
  water_ec: { unit: 'µS/cm', min: 0, max: 100000, en: 'Water EC', vi: 'EC nước', units: conductivity },
  water_temperature: { unit: '°C', min: -5, max: 60, en: 'Water temperature', vi: 'Nhiệt độ nước', units: celsius },
  valve_open: { unit: 'bool', min: 0, max: 1, en: 'Valve open', vi: 'Van mở', units: { bool: same } },
  pump_on: { unit: 'bool', min: 0, max: 1, en: 'Pump on', vi: 'Bơm chạy', units: { bool: same } },
  flow: { unit: 'L/min', min: 0, max: 100000, en: 'Flow', vi: 'Lưu lượng', units: flowUnits },
  // tipping-bucket rain gauge: the cumulative total (it wraps or resets; edge/weather/rain.ts counts on)
  rain: {
    unit: 'mm',
    min: 0,
    max: 1_000_000,
    en: 'Rainfall (total)',
    vi: 'Lượng mưa (tổng)',
    units: { mm: same, cm: { factor: 10 }, in: { factor: 25.4 } },
  },
  rain_rate: {
    unit: 'mm/h',
    min: 0,
    max: 500,
    en: 'Rain rate',
    vi: 'Cường độ mưa',
    units: { 'mm/h': same, 'mm/min': { factor: 60 }, 'in/h': { factor: 25.4 } },
  },
  // measured wind, recorded for spray approvals
  wind_speed: {
    unit: 'm/s',
    min: 0,
    max: 75,
    en: 'Wind speed',
    vi: 'Tốc độ gió',
    units: { 'm/s': same, 'km/h': { factor: 1 / 3.6 }, kn: { factor: 0.514444 }, mph: { factor: 0.44704 } },
  },
  wind_direction: {
    unit: '°',
    min: 0,
    max: 360,
    en: 'Wind direction',
    vi: 'Hướng gió',
    units: { '°': same, deg: same },
  },
  // a weather station's inputs to FAO-56 ET₀ (edge/weather)
  air_temperature: { unit: '°C', min: -40, max: 60, en: 'Air temperature', vi: 'Nhiệt độ không khí', units: celsius },
  air_humidity: {
    unit: '%RH',
    min: 0,
    max: 100,
    en: 'Air humidity',
    vi: 'Độ ẩm không khí',
    units: { '%RH': same, '%': same },
  },
  solar_radiation: {
    unit: 'W/m²',
    min: 0,
    max: 1500,
    en: 'Solar radiation',
    vi: 'Bức xạ mặt trời',
    units: { 'W/m²': same, 'W/m2': same },
  },
} as const satisfies Record<string, MetricInfo>;

export type KnownMetric = keyof typeof METRICS;

export function metricInfo(metric: string): MetricInfo | undefined {
  // own names only: 'constructor' or '__proto__' from a payload is not a metric
  return Object.hasOwn(METRICS, metric) ? (METRICS as Record<string, MetricInfo>)[metric] : undefined;
}

/** The units a known metric accepts, canonical first; undefined for a metric the platform does not know. */
export function acceptedUnits(metric: string): string[] | undefined {
  const info = metricInfo(metric);
  if (!info) return undefined;
  return [info.unit, ...Object.keys(info.units).filter((u) => u !== info.unit)];
}

/**
 * How to turn a value in `unit` into the metric's canonical unit: the conversion, `null` when the
 * metric does not accept that unit, `undefined` when the metric is not known (its unit is free).
 */
export function unitConversion(metric: string, unit: string): UnitConversion | null | undefined {
  const info = metricInfo(metric);
  if (!info) return undefined;
  return info.units[unit.trim()] ?? null;
}

/** 1 g/L ≈ 1.56 dS/m (TDS ≈ 640 × EC); 1 dS/m = 1000 µS/cm */
export const PPT_PER_DS_M = 1 / 1.56;
export function ecToSalinityPpt(ecMicroSiemensPerCm: number): number {
  return (ecMicroSiemensPerCm / 1000) * PPT_PER_DS_M;
}
