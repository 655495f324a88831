import { z } from 'zod';
import { Id } from './common.js';

/**
 * A zone's weather rules, set by the farmer (part of the zone config the cloud sends). Every
 * rule can only keep water off or end a run early; none opens a valve. edge/weather/README.md.
 */

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');

/** crops with FAO-56 Table 12 coefficients (edge/weather/crops.ts) */
export const CROP_KINDS = [
  'rice',
  'tomato',
  'cabbage',
  'lettuce',
  'onion',
  'cucumber',
  'pepper',
  'watermelon',
  'spinach',
  'green_bean',
  'sweet_potato',
  'maize',
] as const;
export const CropKind = z.enum(CROP_KINDS);
export type CropKind = z.infer<typeof CropKind>;

export const ZoneCrop = z.object({
  kind: CropKind,
  plantedOn: IsoDate,
  /** days of the initial, development, mid-season and late stages; default FAO-56 Table 11 */
  stageDays: z
    .tuple([
      z.number().int().min(1).max(200),
      z.number().int().min(1).max(200),
      z.number().int().min(1).max(200),
      z.number().int().min(1).max(200),
    ])
    .optional(),
});

export const MeasuredRainRule = z.object({
  /** rain gauge reading (metric rain, cumulative mm) */
  sensor: Id,
  /** skip while at least this much rain fell in the last `hours` */
  skipMm: z.number().positive().max(500).default(5),
  hours: z.number().int().min(1).max(72).default(24),
});

export const ForecastRainRule = z.object({
  /** skip while the forecast gives at least this probability … */
  probabilityPct: z.number().min(0).max(100).default(70),
  /** … and at least this much rain within the next `hours` */
  mm: z.number().min(0).max(500).default(5),
  hours: z.number().int().min(1).max(48).default(12),
  /** a forecast that keeps promising rain that does not come is ignored after this long */
  maxHoldHours: z.number().int().min(1).max(96).default(24),
});

export const EtBudget = z.object({
  /** sprinkler application rate, mm/h (flow ÷ wetted area) */
  applicationRateMmPerHour: z.number().positive().max(200),
  /** share of the sprinkled water that reaches the root zone */
  efficiency: z.number().min(0.3).max(1).default(0.75),
  /** a run starts only once the deficit reaches this, so it never chatters */
  minDeficitMm: z.number().min(0.1).max(100).default(2),
  /** surplus the soil holds after rain (Smart Irrigation's "maximum bucket") */
  maxSurplusMm: z.number().min(0).max(200).default(10),
  /** ET₀ used when neither a station nor a fresh forecast gives one */
  fallbackEt0MmPerDay: z.number().min(0).max(15).default(5),
});

export const ZoneWeather = z
  .object({
    crop: ZoneCrop.optional(),
    /** a fixed crop coefficient; beats `crop` */
    kc: z.number().min(0.1).max(2).optional(),
    measuredRain: MeasuredRainRule.optional(),
    forecastRain: ForecastRainRule.optional(),
    /** run only as long as the water deficit needs (FAO-56 ETc = Kc × ET₀, rain added) */
    etBudget: EtBudget.optional(),
  })
  .refine((w) => !w.etBudget || w.crop || w.kc !== undefined, {
    message: 'etBudget needs a crop or a kc',
    path: ['etBudget'],
  });
export type ZoneWeather = z.infer<typeof ZoneWeather>;
export type ZoneWeatherInput = z.input<typeof ZoneWeather>;
