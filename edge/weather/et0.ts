/**
 * FAO-56 Penman-Monteith reference evapotranspiration ET₀ (grass, 0.12 m, albedo 0.23), after
 * Allen et al. 1998, "Crop evapotranspiration", FAO Irrigation and Drainage Paper 56, chapter 3
 * (equations cited by number) and chapter 4 (the procedure, worked examples 17–19).
 * Units: °C, %, m/s, MJ m⁻² (per day or per hour), kPa, m, degrees of latitude / longitude.
 */

const GSC = 0.082; // solar constant, MJ m⁻² min⁻¹
const SIGMA_DAY = 4.903e-9; // Stefan-Boltzmann, MJ K⁻⁴ m⁻² day⁻¹
const ALBEDO = 0.23;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** eq. 7: atmospheric pressure from elevation */
export const pressureKpa = (elevationM: number) => 101.3 * ((293 - 0.0065 * elevationM) / 293) ** 5.26;
/** eq. 8: psychrometric constant */
export const psychrometricKpaPerC = (pKpa: number) => 0.000665 * pKpa;
/** eq. 11: saturation vapour pressure */
export const satVapourKpa = (t: number) => 0.6108 * Math.exp((17.27 * t) / (t + 237.3));
/** eq. 13: slope of the saturation vapour pressure curve */
export const slopeKpaPerC = (t: number) => (4098 * satVapourKpa(t)) / (t + 237.3) ** 2;

/** eq. 47: wind measured at zM metres above ground → at 2 m */
export function windAt2m(speed: number, heightM: number): number {
  if (heightM === 2) return speed;
  return speed * (4.87 / Math.log(67.8 * heightM - 5.42));
}

/** eq. 23–24: inverse relative Earth–Sun distance and solar declination */
function sunGeometry(dayOfYear: number) {
  const x = ((2 * Math.PI) / 365) * dayOfYear;
  return { dr: 1 + 0.033 * Math.cos(x), decl: 0.409 * Math.sin(x - 1.39) };
}

/** eq. 21 (daily extraterrestrial radiation, MJ m⁻² day⁻¹) and eq. 34 (daylight hours N) */
export function extraterrestrialDaily(latDeg: number, dayOfYear: number): { ra: number; daylightHours: number } {
  const phi = rad(latDeg);
  const { dr, decl } = sunGeometry(dayOfYear);
  const ws = Math.acos(Math.max(-1, Math.min(1, -Math.tan(phi) * Math.tan(decl))));
  const ra =
    ((24 * 60) / Math.PI) *
    GSC *
    dr *
    (ws * Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.sin(ws));
  return { ra, daylightHours: (24 / Math.PI) * ws };
}

/** eq. 35: Ångström: solar radiation from sunshine hours (as = 0.25, bs = 0.50 without calibration) */
export const solarFromSunshine = (ra: number, sunshineHours: number, daylightHours: number) =>
  (0.25 + 0.5 * (sunshineHours / daylightHours)) * ra;

/** Rs/Rso within 0.3…1 (ASCE-EWRI 2005): below 0.3 eq. 39 turns the long-wave term upside down */
const cloudRatio = (r: number) => Math.min(1, Math.max(0.3, Number.isFinite(r) ? r : 0.3));

/** eq. 37: clear-sky radiation */
export const clearSky = (ra: number, elevationM: number) => (0.75 + 2e-5 * elevationM) * ra;

export interface DailyWeather {
  tMinC: number;
  tMaxC: number;
  /** give RHmin/RHmax (eq. 17), or RHmean (eq. 19), or the actual vapour pressure ea */
  rhMinPct?: number;
  rhMaxPct?: number;
  rhMeanPct?: number;
  eaKpa?: number;
  windMs: number;
  /** height of the anemometer, m (default 2) */
  windHeightM?: number;
  /** measured solar radiation, MJ m⁻² day⁻¹, or sunshine hours */
  solarMj?: number;
  sunshineHours?: number;
  /** soil heat flux, MJ m⁻² day⁻¹: ≈ 0 for a day (eq. 42), 0.14·ΔT for months (eq. 43) */
  soilHeatMj?: number;
}

export interface Site {
  latDeg: number;
  elevationM: number;
}

/** eq. 17 / 19: actual vapour pressure from what the station gives */
function actualVapour(w: DailyWeather, eMin: number, eMax: number): number {
  if (w.eaKpa !== undefined) return w.eaKpa;
  if (w.rhMinPct !== undefined && w.rhMaxPct !== undefined)
    return ((eMin * w.rhMaxPct) / 100 + (eMax * w.rhMinPct) / 100) / 2;
  if (w.rhMeanPct !== undefined) return (w.rhMeanPct / 100) * ((eMin + eMax) / 2);
  // eq. 48: without humidity data, dew point ≈ Tmin (humid tropics)
  return eMin;
}

/** Daily ET₀, mm/day (eq. 6), with the intermediate values for checking against FAO-56. */
export function et0Daily(w: DailyWeather, site: Site, dayOfYear: number) {
  const tMean = (w.tMaxC + w.tMinC) / 2;
  const delta = slopeKpaPerC(tMean);
  const gamma = psychrometricKpaPerC(pressureKpa(site.elevationM));
  const eMax = satVapourKpa(w.tMaxC);
  const eMin = satVapourKpa(w.tMinC);
  const es = (eMax + eMin) / 2;
  const ea = actualVapour(w, eMin, eMax);
  const u2 = windAt2m(w.windMs, w.windHeightM ?? 2);
  const { ra, daylightHours } = extraterrestrialDaily(site.latDeg, dayOfYear);
  const rs =
    w.solarMj ?? (w.sunshineHours !== undefined ? solarFromSunshine(ra, w.sunshineHours, daylightHours) : undefined);
  if (rs === undefined) throw new RangeError('et0Daily needs solarMj or sunshineHours');
  const rso = clearSky(ra, site.elevationM);
  const rns = (1 - ALBEDO) * rs;
  // eq. 39: net outgoing long-wave radiation
  const k4 = ((w.tMaxC + 273.16) ** 4 + (w.tMinC + 273.16) ** 4) / 2;
  const rnl = SIGMA_DAY * k4 * (0.34 - 0.14 * Math.sqrt(ea)) * (1.35 * cloudRatio(rs / rso) - 0.35);
  const rn = rns - rnl;
  const g = w.soilHeatMj ?? 0;
  const et0 =
    (0.408 * delta * (rn - g) + gamma * (900 / (tMean + 273)) * u2 * (es - ea)) / (delta + gamma * (1 + 0.34 * u2));
  return { et0: Math.max(0, et0), tMean, delta, gamma, es, ea, u2, ra, daylightHours, rs, rso, rns, rnl, rn };
}

export interface HourlyWeather {
  tC: number;
  rhPct: number;
  windMs: number;
  windHeightM?: number;
  /** solar radiation over the hour, MJ m⁻² hour⁻¹ */
  solarMj: number;
  /**
   * Rs/Rso for the night, when it cannot be computed: FAO-56 takes the ratio of 2–3 hours
   * before sunset (default 0.8, "fairly clear", as in Example 19)
   */
  nightRsRso?: number;
}

export interface HourlySite extends Site {
  /** longitude, degrees east (negative = west) */
  lonDeg: number;
  /** longitude of the centre of the local time zone, degrees east (UTC+7 → 105) */
  zoneLonDeg: number;
}

/** eq. 28: hourly extraterrestrial radiation for the hour ending at `endHour` local standard time */
export function extraterrestrialHourly(
  site: HourlySite,
  dayOfYear: number,
  endHour: number,
): { ra: number; sunUp: boolean } {
  const phi = rad(site.latDeg);
  const { dr, decl } = sunGeometry(dayOfYear);
  const b = (2 * Math.PI * (dayOfYear - 81)) / 364;
  const sc = 0.1645 * Math.sin(2 * b) - 0.1255 * Math.cos(b) - 0.025 * Math.sin(b); // eq. 32–33
  // eq. 31 measures longitudes in degrees west of Greenwich
  const lz = -site.zoneLonDeg;
  const lm = -site.lonDeg;
  const w = (Math.PI / 12) * (endHour - 0.5 + 0.06667 * (lz - lm) + sc - 12);
  const ws = Math.acos(Math.max(-1, Math.min(1, -Math.tan(phi) * Math.tan(decl))));
  const w1 = Math.max(-ws, w - Math.PI / 24);
  const w2 = Math.min(ws, w + Math.PI / 24);
  if (w1 >= w2) return { ra: 0, sunUp: false };
  const ra =
    ((12 * 60) / Math.PI) *
    GSC *
    dr *
    ((w2 - w1) * Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * (Math.sin(w2) - Math.sin(w1)));
  return { ra: Math.max(0, ra), sunUp: ra > 0 };
}

/** Hourly ET₀, mm/hour (eq. 53), for the hour ending at `endHour` (local standard time, 1–24). */
export function et0Hourly(w: HourlyWeather, site: HourlySite, dayOfYear: number, endHour: number) {
  const delta = slopeKpaPerC(w.tC);
  const gamma = psychrometricKpaPerC(pressureKpa(site.elevationM));
  const es = satVapourKpa(w.tC);
  const ea = es * (w.rhPct / 100); // eq. 54
  const u2 = windAt2m(w.windMs, w.windHeightM ?? 2);
  const { ra, sunUp } = extraterrestrialHourly(site, dayOfYear, endHour);
  const rso = clearSky(ra, site.elevationM);
  const ratio = sunUp && rso > 0 ? cloudRatio(w.solarMj / rso) : (w.nightRsRso ?? 0.8);
  const rns = (1 - ALBEDO) * w.solarMj;
  const rnl = (SIGMA_DAY / 24) * (w.tC + 273.16) ** 4 * (0.34 - 0.14 * Math.sqrt(ea)) * (1.35 * ratio - 0.35);
  const rn = rns - rnl;
  // eq. 45–46: G = 0.1 Rn by day, 0.5 Rn by night (grass)
  const g = (sunUp && w.solarMj > 0 ? 0.1 : 0.5) * rn;
  const et0 =
    (0.408 * delta * (rn - g) + gamma * (37 / (w.tC + 273)) * u2 * (es - ea)) / (delta + gamma * (1 + 0.34 * u2));
  return { et0: Math.max(0, et0), delta, gamma, es, ea, u2, ra, rso, rns, rnl, rn, g };
}

/** Day of year 1–366 of a YYYY-MM-DD date. */
export function dayOfYear(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
}
