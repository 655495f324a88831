import path from 'node:path';
import type { Command, GatewayConfig, Reading } from '../protocol/index.js';
import type { Clock } from '../lib/time.js';
import { loadProfile } from './modbus/index.js';
import { Uplink, type EventInput } from './uplink/index.js';
import type { GatewayFile } from './config.js';

/** What the gateway needs from the cloud link (edge/uplink's Uplink in production). */
export interface UplinkPort {
  start(): void;
  stop(): Promise<void>;
  publishReadings(readings: Reading[]): void;
  publishEvent(e: EventInput): void;
  onConfig(h: (cfg: GatewayConfig) => Promise<{ status: 'applied' } | { status: 'rejected'; reasons: string[] }>): void;
  onCommand(h: (cmd: Command) => Promise<{ status: 'done' } | { status: 'rejected'; reason: string }>): void;
  setConfigVersion(v: number): void;
}

/** The sensors and actuators this gateway has, sent with its birth so the cloud can offer them. */
export function inventoryOf(file: GatewayFile) {
  const sensors = file.devices
    .filter((d) => d.poll)
    .flatMap((d) => {
      try {
        return loadProfile(d.profile).points.map((p) => ({ sensor: d.id, metric: p.metric, unit: p.unit }));
      } catch {
        return [];
      }
    });
  return { sensors, valves: file.actuators.map((a) => ({ valve: a.id, kind: a.kind })) };
}

export function createUplink(file: GatewayFile, fw: string, clock: Clock): UplinkPort {
  return new Uplink({
    gatewayId: file.gatewayId,
    url: file.mqtt.url,
    ...(file.mqtt.username ? { username: file.mqtt.username } : {}),
    ...(file.mqtt.password ? { password: file.mqtt.password } : {}),
    dataDir: path.join(file.dataDir, 'uplink'),
    fw,
    batch: file.telemetry,
    ...(file.queue ? { queue: Object.fromEntries(Object.entries(file.queue).filter(([, v]) => v !== undefined)) } : {}),
    inventory: inventoryOf(file),
    clock,
  });
}
