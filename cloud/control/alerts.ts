import { z } from 'zod';
import { hours } from '../../lib/time.js';
import type { ControlService } from './service.js';
import type { User } from '../auth/types.js';
import type { FarmInfo } from '../auth/types.js';
import { AuthError } from '../auth/errors.js';

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
  /** who acknowledged this occurrence (alert id + since), and when; absent = not yet */
  ack: z.object({ by: z.string(), at: z.number() }).optional(),
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
    out.push({
      ...base,
      id: `${gatewayId}:offline`,
      kind: 'gateway_offline',
      severity: 'critical',
      since: live.lastSeen,
      message: 'gateway offline',
    });
  }
  // the gateway keeps controlling valves, but loses readings until its disk has room
  if (live.online !== false && live.degraded.includes('disk_full')) {
    out.push({
      ...base,
      id: `${gatewayId}:disk_full`,
      kind: 'gateway_disk_full',
      severity: 'critical',
      since: null,
      message: 'gateway cannot write to its disk',
    });
  }
  for (const [sensor, reason] of Object.entries(live.faults)) {
    out.push({
      ...base,
      id: `${gatewayId}:fault:${sensor}`,
      kind: 'sensor_fault',
      severity: 'warning',
      since: null,
      sensor,
      message: reason,
    });
  }
  const events = await control.d.events.recent(gatewayId, 200);
  const seenZones = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'interlock' || now - e.ts > hours(24)) continue;
    const zone = e.zone ?? '';
    if (seenZones.has(zone)) continue;
    seenZones.add(zone);
    out.push({
      ...base,
      id: `${gatewayId}:interlock:${zone}`,
      kind: 'salinity_interlock',
      severity: 'warning',
      since: e.ts,
      message: e.reason,
      ...(e.zone ? { zone: e.zone } : {}),
    });
  }
  const cfg = (await control.d.configs.applied(gatewayId)) ?? (await control.d.configs.latest(gatewayId));
  for (const zone of cfg?.config.zones ?? []) {
    const ref = zone.sensors.waterLevel;
    if (!ref || !zone.awd) continue;
    const r = live.latest[`${ref.sensor}/${ref.metric}`];
    if (!r || r.value === null || now - r.ts > zone.staleAfterSeconds * 1000) continue;
    const low = zone.awd.refloodCm - BELOW_REFLOOD_CM;
    const high = zone.awd.targetCm + ABOVE_TARGET_CM;
    if (r.value < low || r.value > high) {
      out.push({
        ...base,
        id: `${gatewayId}:level:${zone.id}`,
        kind: 'water_level',
        severity: 'warning',
        since: r.ts,
        zone: zone.id,
        sensor: ref.sensor,
        value: r.value,
        message: `water level ${r.value} cm outside ${low}…${high} cm`,
      });
    }
  }
  return out;
}

/** The alerts with their stored acknowledgements: an ack counts for the occurrence it was given to (same `since`). */
export async function withAcks(control: ControlService, alerts: Alert[]): Promise<Alert[]> {
  const acks = await control.alertAcks.forAlerts(alerts.map((a) => a.id));
  return alerts.map((a) => {
    const k = acks.find((x) => x.alertId === a.id && x.since === a.since);
    return k ? { ...a, ack: { by: k.by, at: k.at } } : a;
  });
}

/**
 * A person acknowledges an open alert of a farm they may see: stored (first ack of an occurrence
 * wins) and audited. An alert that is not open now, or of a farm not theirs, is NOT_FOUND alike.
 */
export async function acknowledgeAlert(
  control: ControlService,
  user: User,
  farms: FarmInfo[],
  alertId: string,
): Promise<Alert> {
  for (const f of farms) {
    for (const gw of f.gatewayIds) {
      if (!alertId.startsWith(`${gw}:`)) continue;
      const alert = (await alertsFor(control, gw, f.id)).find((a) => a.id === alertId);
      if (!alert) continue;
      const k = await control.alertAcks.ack({
        alertId,
        since: alert.since,
        farmId: f.id,
        by: user.username,
        at: control.clock.now(),
      });
      await control.d.auth.record(
        user,
        'alert.ack',
        `alert:${alertId}`,
        undefined,
        { alertId, kind: alert.kind, since: alert.since },
        { farmId: f.id, cooperativeId: f.cooperativeId },
      );
      return { ...alert, ack: { by: k.by, at: k.at } };
    }
  }
  throw new AuthError('NOT_FOUND', 'no such open alert');
}
