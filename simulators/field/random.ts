/**
 * Deterministic noise: a hash of (seed, integer key, salt) → [0, 1). The field models are pure
 * functions of time, so "random" weather must be a function of the day, not of call order.
 */
export function hash01(seed: number, key: number, salt = 0): number {
  let h = (seed ^ Math.imul(key | 0, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Local day number and hour of day for a fixed UTC offset (Vietnam has no DST: +7). */
export function localDayHour(t: number, utcOffsetHours: number): { day: number; hour: number; month: number } {
  const local = t + utcOffsetHours * HOUR_MS;
  const day = Math.floor(local / DAY_MS);
  return { day, hour: (local - day * DAY_MS) / HOUR_MS, month: new Date(local).getUTCMonth() };
}

/**
 * Share of a day's evapotranspiration per hour: a half-sine from 06:00 to 18:00, nothing at
 * night. Integrates to 1 over a day.
 */
export function etShapePerHour(hour: number): number {
  if (hour < 6 || hour >= 18) return 0;
  return (Math.PI / 24) * Math.sin((Math.PI * (hour - 6)) / 12);
}

/** Dry season in the Delta: December–May, rain mostly May–November. */
export function isDrySeason(month: number): boolean {
  return month === 11 || month <= 4;
}

/** A day's shower, if any: start hour, duration and intensity, from the seed. */
export function rainMmPerHour(t: number, seed: number, utcOffsetHours: number): number {
  const { day, hour, month } = localDayHour(t, utcOffsetHours);
  const chance = isDrySeason(month) ? 0.06 : 0.45;
  if (hash01(seed, day, 11) >= chance) return 0;
  const start = 12 + hash01(seed, day, 12) * 8; // afternoon convection
  const duration = 0.5 + hash01(seed, day, 13) * 2.5;
  const total = 5 + hash01(seed, day, 14) * 35;
  return hour >= start && hour < start + duration ? total / duration : 0;
}
