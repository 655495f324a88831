import path from 'node:path';
import { parseGatewayFile } from './config.js';
import { Gateway } from './gateway.js';
import { fastClock, gatewayFileFor, startPaddySites, type PaddySite } from '../simulators/paddy-site.js';

export interface DemoGatewaysOptions {
  count: number;
  /** the broker the gateways publish to (the demo's embedded Aedes, or Mosquitto) */
  mqttUrl: string;
  /** each gateway gets <dataDir>/<gatewayId> */
  dataDir: string;
  /** gateway ids are <idPrefix>-1 … <idPrefix>-N */
  idPrefix?: string;
  /** field time runs this many times faster than wall time; default 600 (a day in 2.4 minutes) */
  speed?: number;
  pollSeconds?: number;
}

export interface DemoGateways {
  sites: PaddySite[];
  gateways: Gateway[];
  stop(): Promise<void>;
}

/**
 * N simulated paddy sites on free ports, each with a real Gateway polling it over Modbus TCP
 * and publishing to `mqttUrl` — what `npm start` shows on the map.
 */
export async function startDemoGateways(o: DemoGatewaysOptions): Promise<DemoGateways> {
  const sites = await startPaddySites(o.count, { clock: fastClock(o.speed ?? 600) });
  const gateways: Gateway[] = [];
  const stop = async () => {
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await Promise.allSettled(sites.map((s) => s.stop()));
  };
  try {
    for (const [i, site] of sites.entries()) {
      const gatewayId = `${o.idPrefix ?? 'gw-demo'}-${i + 1}`;
      const dataDir = path.join(o.dataDir, gatewayId);
      const file = parseGatewayFile(gatewayFileFor(site, { gatewayId, mqttUrl: o.mqttUrl, dataDir, pollSeconds: o.pollSeconds ?? 5 }), `demo ${gatewayId}`, dataDir);
      const gw = new Gateway(file);
      await gw.start();
      gateways.push(gw);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { sites, gateways, stop };
}
