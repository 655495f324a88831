import type { FarmInfo } from '../auth/types.js';
import { alertsFor, withAcks } from './alerts.js';
import type { ControlService } from './service.js';

/**
 * What the farmer's page needs first, answered with the login (one round trip instead of three on
 * a slow link): the farms one may see with their gateways, and the first gateway's view — config,
 * live values, recent decisions, alerts — the same data as the routes of cloud/control/routes.
 */
export async function startOf(control: ControlService, farms: FarmInfo[]) {
  const farmViews = farms.map((f) => ({
    id: f.id,
    name: f.name,
    commune: f.commune,
    cooperativeId: f.cooperativeId,
    gateways: f.gatewayIds.map((id) => {
      const l = control.liveOf(id);
      return { id, online: l.online, lastSeen: l.lastSeen };
    }),
  }));
  const farm = farms.find((f) => f.gatewayIds.length);
  const gw = farm?.gatewayIds[0];
  if (!farm || !gw) return { farms: farmViews, gateway: null };
  const [desired, applied, events, alerts] = await Promise.all([
    control.d.configs.latest(gw),
    control.d.configs.applied(gw),
    control.d.events.recent(gw, 50),
    alertsFor(control, gw, farm.id),
  ]);
  const l = control.liveOf(gw);
  return {
    farms: farmViews,
    gateway: {
      id: gw,
      config: { gatewayId: gw, desired: desired ?? null, appliedVersion: applied?.version ?? null },
      live: {
        gatewayId: gw,
        online: l.online,
        lastSeen: l.lastSeen,
        readings: Object.values(l.latest),
        actuators: l.actuators,
        faults: l.faults,
        degraded: l.degraded,
      },
      events,
      alerts: await withAcks(control, alerts),
    },
  };
}
