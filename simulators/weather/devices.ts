import { rainMmPerHour } from '../field/random.js';
import { WEATHER_DEFAULTS, airAt, rainBetween, type WeatherModel } from './weather-model.js';

/**
 * A tipping-bucket rain gauge's counter for the Modbus simulator (profile rain-gauge-rs485):
 * the total since power-on in mm, as the register holds it (0.2 mm a tip, wraps like a u16 of
 * 0.1 mm). Rain comes from the weather model, or is poured in by a test.
 */
export interface RainGaugeSim {
  values: (metric: string, now: number) => number | undefined;
  /** tips the bucket for this much rain, now */
  pour(mm: number): void;
  totalMm(now: number): number;
}

const TIP_MM = 0.2;
const WRAP_MM = 6553.6;

export function rainGaugeValues(
  startAt: number,
  o: { model?: WeatherModel | null; startTotalMm?: number } = {},
): RainGaugeSim {
  const model = o.model === undefined ? WEATHER_DEFAULTS : o.model;
  let fallen = o.startTotalMm ?? 0;
  let last = startAt;
  const advance = (now: number) => {
    if (model && now > last) fallen += rainBetween(last, now, model);
    last = Math.max(last, now);
  };
  const total = (now: number) => {
    advance(now);
    // the bucket tips at 0.2 mm: a counter of whole tips
    const tips = Math.floor(fallen / TIP_MM + 1e-9);
    return Math.round(((tips * TIP_MM) % WRAP_MM) * 10) / 10;
  };
  return {
    pour: (mm) => {
      fallen += mm;
    },
    totalMm: total,
    values: (metric, now) => {
      if (metric === 'rain') return total(now);
      if (metric === 'rain_rate')
        return model ? Math.round(rainMmPerHour(now, model.seed, model.utcOffsetHours) * 10) / 10 : 0;
      return undefined;
    },
  };
}

/** Wind speed (m/s) and direction (°) for the anemometer profile, from the weather model. */
export function anemometerValues(model: WeatherModel = WEATHER_DEFAULTS) {
  return (metric: string, now: number): number | undefined => {
    const a = airAt(now, model);
    if (metric === 'wind_speed') return Math.round(a.windMs * 10) / 10;
    if (metric === 'wind_direction') return Math.round(a.windDirDeg);
    return undefined;
  };
}
