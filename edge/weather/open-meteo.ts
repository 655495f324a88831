import { z } from 'zod';
import { issueSummary } from '../../lib/zod-issues.js';
import { WeatherError } from './errors.js';
import type { ForecastProvider, ForecastRequest } from './provider.js';
import type { ForecastHour } from './types.js';

/**
 * Open-Meteo's forecast API (https://open-meteo.com/en/docs), or anything that answers in its
 * format (a self-hosted open-meteo, a proxy, the test server). Asked for unix times in UTC and
 * wind in m/s; km/h is converted if a server ignores that.
 */
export const OPEN_METEO_URL = 'https://api.open-meteo.com/v1/forecast';
export const HOURLY_VARIABLES = [
  'temperature_2m',
  'relative_humidity_2m',
  'precipitation',
  'precipitation_probability',
  'wind_speed_10m',
  'shortwave_radiation',
] as const;
/** 16 days of hours plus 2 past days: anything longer is not a forecast we asked for */
export const MAX_HOURS = 18 * 24;
const MAX_BYTES = 512 * 1024;

const Series = z.array(z.number().finite().nullable()).max(MAX_HOURS);
export const OpenMeteoResponse = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  elevation: z.number().finite().optional(),
  utc_offset_seconds: z.number().int().optional(),
  hourly_units: z.record(z.string(), z.string()).optional(),
  hourly: z
    .object({
      time: z.array(z.number().int().min(946_684_800).max(32_503_680_000)).min(1).max(MAX_HOURS),
      temperature_2m: Series.optional(),
      relative_humidity_2m: Series.optional(),
      precipitation: Series.optional(),
      precipitation_probability: Series.optional(),
      wind_speed_10m: Series.optional(),
      shortwave_radiation: Series.optional(),
    })
    .superRefine((h, ctx) => {
      for (const v of HOURLY_VARIABLES) {
        const s = h[v];
        if (s && s.length !== h.time.length)
          ctx.addIssue({
            code: 'custom',
            path: [v],
            message: `${v} has ${s.length} values for ${h.time.length} hours`,
          });
      }
    }),
});
export type OpenMeteoResponse = z.infer<typeof OpenMeteoResponse>;

export function openMeteoUrl(base: string, req: Omit<ForecastRequest, 'signal'>): string {
  const u = new URL(base);
  u.searchParams.set('latitude', req.latDeg.toFixed(4));
  u.searchParams.set('longitude', req.lonDeg.toFixed(4));
  u.searchParams.set('hourly', HOURLY_VARIABLES.join(','));
  u.searchParams.set('wind_speed_unit', 'ms');
  u.searchParams.set('timeformat', 'unixtime');
  u.searchParams.set('timezone', 'GMT');
  u.searchParams.set('past_days', '1');
  u.searchParams.set('forecast_days', String(req.days));
  return u.toString();
}

/**
 * Open-Meteo's precipitation, its probability and radiation are sums / means over the hour
 * *before* the time stamp; a ForecastHour starts at its hour, so those move back one hour.
 * Temperature and humidity are instants at the stamp: taken for the hour ending there.
 */
export function toForecastHours(r: OpenMeteoResponse): ForecastHour[] {
  const h = r.hourly;
  const kmh = r.hourly_units?.wind_speed_10m === 'km/h';
  const at = (s: (number | null)[] | undefined, i: number) => s?.[i] ?? null;
  return h.time.map((t, i) => {
    const wind = at(h.wind_speed_10m, i);
    const rh = at(h.relative_humidity_2m, i);
    return {
      ts: (t - 3600) * 1000,
      precipitationMm: at(h.precipitation, i),
      probabilityPct: at(h.precipitation_probability, i),
      tC: at(h.temperature_2m, i),
      rhPct: rh === null ? null : Math.min(100, Math.max(0, rh)),
      windMs: wind === null ? null : kmh ? wind / 3.6 : wind,
      solarWm2: at(h.shortwave_radiation, i),
    };
  });
}

export class OpenMeteoProvider implements ForecastProvider {
  readonly name = 'open-meteo';
  constructor(private readonly baseUrl: string = OPEN_METEO_URL) {}

  async fetch(req: ForecastRequest) {
    const url = openMeteoUrl(this.baseUrl, req);
    let res: Response;
    try {
      res = await fetch(url, { signal: req.signal, headers: { accept: 'application/json' } });
    } catch (err) {
      const timedOut = req.signal.aborted;
      throw new WeatherError(
        timedOut ? 'FORECAST_TIMEOUT' : 'FORECAST_UNREACHABLE',
        timedOut
          ? `forecast ${this.baseUrl} did not answer in time`
          : `forecast ${this.baseUrl} unreachable: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new WeatherError('FORECAST_HTTP', `forecast ${this.baseUrl} answered HTTP ${res.status}`, {
        context: { status: res.status },
      });
    }
    const text = await readLimited(res, MAX_BYTES, this.baseUrl, req.signal);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new WeatherError('FORECAST_INVALID', `forecast ${this.baseUrl} did not answer JSON`, { cause: err });
    }
    const r = OpenMeteoResponse.safeParse(body);
    if (!r.success) {
      throw new WeatherError(
        'FORECAST_INVALID',
        `forecast ${this.baseUrl} is not in the Open-Meteo format: ${issueSummary(r.error, 3)}`,
        { cause: r.error },
      );
    }
    return {
      provider: this.name,
      latDeg: r.data.latitude,
      lonDeg: r.data.longitude,
      elevationM: r.data.elevation ?? null,
      hours: toForecastHours(r.data),
    };
  }
}

async function readLimited(res: Response, max: number, base: string, signal: AbortSignal): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) {
    await res.body?.cancel();
    throw new WeatherError('FORECAST_TOO_LARGE', `forecast ${base} sent ${declared} bytes (limit ${max})`);
  }
  try {
    const buf = await res.arrayBuffer();
    if (buf.byteLength > max)
      throw new WeatherError('FORECAST_TOO_LARGE', `forecast ${base} sent ${buf.byteLength} bytes (limit ${max})`);
    return new TextDecoder().decode(buf);
  } catch (err) {
    if (err instanceof WeatherError) throw err;
    throw new WeatherError(
      signal.aborted ? 'FORECAST_TIMEOUT' : 'FORECAST_UNREACHABLE',
      `forecast ${base}: reading the answer failed`,
      { cause: err },
    );
  }
}
