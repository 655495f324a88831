import path from 'node:path';
import { parseGatewayFile } from '../edge/config.js';
import { Gateway } from '../edge/gateway.js';
import type { Clock } from '../lib/time.js';
import { fastClock, gatewayFileFor, startPaddySites, type PaddySite } from './paddy-site.js';

export interface FleetMember {
  gatewayId: string;
  site: PaddySite;
  gateway: Gateway;
}

export interface DemoFleetOptions {
  /** gateway id → its broker password (issued by the registry) */
  gateways: { gatewayId: string; password: string }[];
  mqttUrl: string;
  dataDir: string;
  /** field time runs this many times faster than wall time, so AWD cycles show in minutes */
  speed?: number;
  pollSeconds?: number;
  clock?: Clock;
}

/**
 * One simulated paddy (Modbus TCP on a free port) and one real gateway process per farm, in this
 * process: the gateways poll over real Modbus and publish over real MQTT.
 */
export async function startDemoFleet(o: DemoFleetOptions): Promise<{ members: FleetMember[]; stop(): Promise<void> }> {
  const sites = await startPaddySites(o.gateways.length, { clock: o.clock ?? fastClock(o.speed ?? 60) });
  const members: FleetMember[] = [];
  const stop = async () => {
    // gateways first: they close every valve while the relay boards still answer
    await Promise.all(members.map((m) => m.gateway.stop().catch(() => undefined)));
    await Promise.all(sites.map((s) => s.stop().catch(() => undefined)));
  };
  try {
    for (const [i, g] of o.gateways.entries()) {
      const site = sites[i]!;
      const raw = gatewayFileFor(site, {
        gatewayId: g.gatewayId,
        mqttUrl: o.mqttUrl,
        dataDir: path.join(o.dataDir, 'gateways', g.gatewayId),
        pollSeconds: o.pollSeconds ?? 10,
      });
      const file = parseGatewayFile(
        { ...raw, mqtt: { ...raw.mqtt, username: g.gatewayId, password: g.password } },
        `demo gateway ${g.gatewayId}`,
        o.dataDir,
        {},
      );
      const gateway = new Gateway(file);
      await gateway.start();
      members.push({ gatewayId: g.gatewayId, site, gateway });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { members, stop };
}
