import { z } from 'zod';
import { hours } from '../../lib/time.js';
import type { ControlService } from './service.js';

export const Alert = z.object({
  id: z.string(),
  gatewayId: z.string(),
  farmId: z.string(),
  kind: z.enum(['gateway_offline', 'sensor_fault', 'salinity_interlock', 'water_level', 'gateway_disk_full']),
  severity: z.enum(['info', 'warning', 'critical']),
  since: z.number().nullable(),
  message: z.string(),
  zone: z.string().optional(),
  sensor: z.string().optional(),
  value: z.number().optional(),
});
export type Alert = z.infer<typeof Alert>;

// a paddy more than 5 cm below the AWD re-flood level or 10 cm above the flood target is
// outside what the loop should ever let happen: something is broken (pump, levee, sensor)
const BELOW_REFLOOD_CM = 5;
const ABOVE_TARGET_CM = 10;

/** The open alerts of one gateway, derived from its live state, config and recent events. */
export async function alertsFor(control: ControlService, gatewayId: string, farmId: string): Promise<Alert[]> {
  const now = control.clock.now();
  const live = control.liveOf(gatewayId);
  const out: Alert[] = [];
  const base = { gatewayId, farmId };
  if (live.online === false) {
    out.push({ ...base, id: `${gatewayId}:offline`, kind: 'gateway_offline', severity: 'critical', since: live.lastSeen, message: 'gateway offline' });
  }
  // the gateway keeps controlling valves, but loses readings until its disk has room
  if (live.online !== false && live.degraded.includes('disk_full')) {
    out.push({ ...base, id: `${gatewayId}:disk_full`, kind: 'gateway_disk_full', severity: 'critical', since: null, message: 'gateway cannot write to its disk' });
  }
  for (const [sensor, reason] of Object.entries(live.faults)) {
    out.push({ ...base, id: `${gatewayId}:fault:${sensor}`, kind: 'sensor_fault', severity: 'warning', since: null, sensor, message: reason });
  }
  const events = await control.d.events.recent(gatewayId, 200);
  const seenZones = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'interlock' || now - e.ts > hours(24)) continue;
    const zone = e.zone ?? '';
    if (seenZones.has(zone)) continue;
    seenZones.add(zone);
    out.push({ ...base, id: `${gatewayId}:interlock:${zone}`, kind: 'salinity_interlock', severity: 'warning', since: e.ts, message: e.reason, ...(e.zone ? { zone: e.zone } : {}) });
  }
  const cfg = await control.d.configs.applied(gatewayId) ?? await control.d.configs.latest(gatewayId);
  for (const zone of cfg?.config.zones ?? []) {
    const ref = zone.sensors.waterLevel;
    if (!ref || !zone.awd) continue;
    const r = live.latest[`${ref.sensor}/${ref.metric}`];
    if (!r || r.value === null || now - r.ts > zone.staleAfterSeconds * 1000) continue;
    const low = zone.awd.refloodCm - BELOW_REFLOOD_CM;
    const high = zone.awd.targetCm + ABOVE_TARGET_CM;
    if (r.value < low || r.value > high) {
      out.push({ ...base, id: `${gatewayId}:level:${zone.id}`, kind: 'water_level', severity: 'warning', since: r.ts, zone: zone.id, sensor: ref.sensor, value: r.value,
        message: `water level ${r.value} cm outside ${low}…${high} cm` });
    }
  }
  return out;
}
