/** One forecast hour, in canonical units; null = the provider did not give it. */
export interface ForecastHour {
  /** start of the hour, ms since 1970 (UTC) */
  ts: number;
  precipitationMm: number | null;
  probabilityPct: number | null;
  tC: number | null;
  rhPct: number | null;
  /** wind at 10 m, m/s */
  windMs: number | null;
  /** mean shortwave radiation over the hour, W/m² */
  solarWm2: number | null;
}

export interface Forecast {
  provider: string;
  latDeg: number;
  lonDeg: number;
  elevationM: number | null;
  /** when the gateway fetched it (its own clock) */
  fetchedAt: number;
  hours: ForecastHour[];
}

/** A weather station's fresh values now (any may be missing); they beat the forecast's in ET₀. */
export interface StationNow {
  tC?: number;
  rhPct?: number;
  windMs?: number;
  /** anemometer height, m (FAO-56 eq. 47 takes it to 2 m) */
  windHeightM: number;
  solarWm2?: number;
}

/** What the loop may know of the forecast at a moment: a stale or missing one is no forecast. */
export type ForecastView =
  { ok: true; forecast: Forecast; ageMs: number } | { ok: false; why: 'none' | 'stale'; ageMs: number | null };

/** Where the gateway is: for ET₀ and for the forecast request. */
export interface WeatherSite {
  latDeg: number;
  lonDeg: number;
  elevationM: number;
  /** IANA time zone of the zone config (dates, hours of the day) */
  timezone: string;
}

/** A reason the weather keeps a zone's water off: a stable code and its parameters. */
export interface WeatherHold {
  code: WeatherCode;
  params: Record<string, number | string | boolean | null>;
  /** English, for logs */
  reason: string;
}

export type WeatherCode =
  'weather_skip_rain' | 'weather_skip_forecast' | 'weather_skip_no_deficit' | 'weather_deficit_met';

/**
 * The weather's word on one zone for one step. `close` keeps the valves shut (and ends a run);
 * `noStart` only keeps a closed valve from opening (a running one finishes its deficit).
 * Neither can open anything.
 */
export interface WeatherVerdict {
  close?: WeatherHold;
  noStart?: WeatherHold;
  /** the zone's water bucket, mm (negative = deficit), for telemetry and tests */
  bucketMm?: number;
  /** the run the deficit needs now, minutes (etBudget zones that may start) */
  runMinutes?: number;
}

export type WeatherVerdicts = Record<string, WeatherVerdict>;
