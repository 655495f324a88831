import { DAY_MS, HOUR_MS, hash01, isDrySeason, localDayHour } from './random.js';

/**
 * Canal salinity at an intake (‰ = g/L), a pure function of time: a seasonal base that rises
 * in the dry season (Feb–May as salt water pushes up the river mouths), semi-diurnal tides with a
 * spring–neap cycle, and occasional intrusion spikes above 4 ‰.
 */
export interface SalinityParams {
  seed: number;
  /** base ‰ per month, January first */
  monthlyBasePpt: readonly number[];
  /** relative amplitude of the tide around the base */
  tideAmplitude: number;
  /** chance per day of a salt intrusion spike, dry and wet season */
  spikeChanceDry: number;
  spikeChanceWet: number;
  /** scripted spikes (scenario tests, demos) on top of the seeded ones */
  events: ReadonlyArray<{ from: number; to: number; ppt: number }>;
  utcOffsetHours: number;
}

export const SALINITY_DEFAULTS: SalinityParams = {
  seed: 1,
  //                 Jan  Feb  Mar  Apr  May  Jun  Jul  Aug  Sep  Oct  Nov  Dec
  monthlyBasePpt: [0.6, 1.2, 1.6, 1.8, 1.2, 0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.4],
  tideAmplitude: 0.35,
  spikeChanceDry: 0.1,
  spikeChanceWet: 0.01,
  events: [],
  utcOffsetHours: 7,
};

const M2_MS = 12.42 * HOUR_MS; // principal lunar semi-diurnal tide
const SPRING_NEAP_MS = 14.77 * DAY_MS;

function spikeOnDay(day: number, p: SalinityParams): { start: number; hours: number; peak: number } | null {
  const month = new Date(day * DAY_MS).getUTCMonth();
  const chance = isDrySeason(month) ? p.spikeChanceDry : p.spikeChanceWet;
  if (hash01(p.seed, day, 21) >= chance) return null;
  return {
    start: hash01(p.seed, day, 22) * 24,
    hours: 3 + hash01(p.seed, day, 23) * 6,
    peak: 4.2 + hash01(p.seed, day, 24) * 2.5,
  };
}

/** Triangular bump: 0 at the edges, `peak` in the middle. */
function spikeAt(hourOfDay: number, s: { start: number; hours: number; peak: number }): number {
  const x = (hourOfDay - s.start) / s.hours;
  return x < 0 || x > 1 ? 0 : s.peak * (1 - Math.abs(2 * x - 1));
}

export function canalSalinityPpt(t: number, params: Partial<SalinityParams> = {}): number {
  const p = { ...SALINITY_DEFAULTS, ...params };
  const { day, hour, month } = localDayHour(t, p.utcOffsetHours);
  const base = p.monthlyBasePpt[month] ?? 0.3;
  const springNeap = 1 + 0.25 * Math.sin((2 * Math.PI * t) / SPRING_NEAP_MS);
  const tide = 1 + p.tideAmplitude * springNeap * Math.sin((2 * Math.PI * t) / M2_MS);
  let ppt = base * tide;
  // a spike may have started late yesterday and still be running
  for (const [d, h] of [
    [day, hour],
    [day - 1, hour + 24],
  ] as const) {
    const s = spikeOnDay(d, p);
    if (s) ppt = Math.max(ppt, spikeAt(h, s));
  }
  for (const e of p.events) if (t >= e.from && t < e.to) ppt = Math.max(ppt, e.ppt);
  return Math.max(0, Math.round(ppt * 100) / 100);
}

/** 1 g/L ≈ 1.56 dS/m; EC in µS/cm as an intake probe reports it. */
export const pptToEcMicroSiemens = (ppt: number) => Math.round(ppt * 1.56 * 1000);
