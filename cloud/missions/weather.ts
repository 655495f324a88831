import { z } from 'zod';

export const WeatherInput = z.object({
  windMps: z.number().min(0).max(80).describe('mean wind at spray height, m/s'),
  gustMps: z.number().min(0).max(100).optional(),
  rainMmH: z.number().min(0).max(500).optional().describe('rain now or forecast, mm/h'),
  rainProbability: z.number().min(0).max(1).optional().describe('chance of rain in the window, 0–1'),
});
export type WeatherInput = z.infer<typeof WeatherInput>;

export interface WeatherLimits {
  maxWindMps: number;
  /** warn from this share of the wind limit up */
  warnShare: number;
  /** rain at or above this is "raining": spray washes off */
  rainMmH: number;
  refuseRainProbability: number;
  warnRainProbability: number;
}

export const DEFAULT_WEATHER_LIMITS: Omit<WeatherLimits, 'maxWindMps'> = {
  warnShare: 0.8,
  rainMmH: 0.2,
  refuseRainProbability: 0.7,
  warnRainProbability: 0.3,
};

/** `params` are what the web app words the finding with; `message` is for logs. */
export interface WeatherFinding {
  level: 'warn' | 'refuse';
  code: string;
  params: Record<string, number | string>;
  message: string;
}
export interface WeatherVerdict {
  verdict: 'ok' | 'warn' | 'refuse';
  findings: WeatherFinding[];
  checked: WeatherInput;
}

/**
 * Weather check before approval, against the product's wind limit: refuse over the limit or
 * in rain, warn close to it. Pure: the caller supplies the values (entered or fetched).
 */
export function checkWeather(
  w: WeatherInput,
  product: { name: string; maxWindMps: number },
  limits: Partial<WeatherLimits> = {},
): WeatherVerdict {
  const l: WeatherLimits = { ...DEFAULT_WEATHER_LIMITS, maxWindMps: product.maxWindMps, ...limits };
  const f: WeatherFinding[] = [];
  const wind = Math.max(w.windMps, w.gustMps ?? 0);
  const gusty = w.gustMps !== undefined && w.gustMps > w.windMps;
  const what = gusty ? `gusts of ${w.gustMps} m/s` : `wind of ${w.windMps} m/s`;
  const windParams = {
    windMps: w.windMps,
    ...(w.gustMps !== undefined ? { gustMps: w.gustMps } : {}),
    maxWindMps: l.maxWindMps,
    product: product.name,
    gust: gusty ? 1 : 0,
  };
  if (wind > l.maxWindMps) {
    f.push({
      level: 'refuse',
      code: 'WIND_OVER_LIMIT',
      params: windParams,
      message: `${what} is over ${product.name}'s limit of ${l.maxWindMps} m/s: spray drifts onto neighbours`,
    });
  } else if (wind >= l.warnShare * l.maxWindMps) {
    f.push({
      level: 'warn',
      code: 'WIND_NEAR_LIMIT',
      params: windParams,
      message: `${what} is close to ${product.name}'s limit of ${l.maxWindMps} m/s`,
    });
  }
  if ((w.rainMmH ?? 0) >= l.rainMmH) {
    f.push({
      level: 'refuse',
      code: 'RAINING',
      params: { rainMmH: w.rainMmH ?? 0, maxRainMmH: l.rainMmH },
      message: `rain of ${w.rainMmH} mm/h washes the product off: wait for a dry window`,
    });
  }
  const p = w.rainProbability ?? 0;
  if (p >= l.refuseRainProbability) {
    f.push({
      level: 'refuse',
      code: 'RAIN_LIKELY',
      params: { rainProbability: p, refuseAt: l.refuseRainProbability },
      message: `${Math.round(p * 100)} % chance of rain: wait for a dry window`,
    });
  } else if (p >= l.warnRainProbability) {
    f.push({
      level: 'warn',
      code: 'RAIN_POSSIBLE',
      params: { rainProbability: p, warnAt: l.warnRainProbability },
      message: `${Math.round(p * 100)} % chance of rain in the window`,
    });
  }
  const verdict = f.some((x) => x.level === 'refuse') ? 'refuse' : f.length ? 'warn' : 'ok';
  return { verdict, findings: f, checked: w };
}
