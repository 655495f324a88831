import type { Desire } from '../control/modes.js';
import type { WeatherVerdict } from './types.js';

/**
 * The weather's adjustment of a zone's automatic wish: it may turn "open" into "closed" (a
 * skipped or shortened run), never the other way, so it cannot open a valve by itself. A
 * person's command and every interlock are applied after it, as before.
 * `running`: a valve of the zone is open now (a run in progress may finish its deficit).
 */
export function applyWeather(d: Desire, v: WeatherVerdict | undefined, running: boolean): Desire {
  if (!v || !d.open) return d;
  const hold = v.close ?? (running ? undefined : v.noStart);
  if (!hold) {
    if (v.runMinutes === undefined) return d;
    return { ...d, data: { ...d.data, weatherRunMinutes: v.runMinutes, bucketMm: v.bucketMm ?? null } };
  }
  // the code is the event's code; block.key names the blocked event (edge/README.md "Event codes")
  const out = {
    open: false,
    code: hold.code,
    reason: `closed: ${hold.reason}`,
    data: { ...d.data, ...hold.params },
    block: { key: hold.code, reason: `blocked: ${hold.reason}` },
  };
  return out;
}
