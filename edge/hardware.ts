import {
  DevicePoller,
  ModbusBus,
  RelayBoard,
  loadProfile,
  type ActuatorConfig,
  type BoardCoils,
} from './modbus/index.js';
import type { Reading } from '../protocol/index.js';
import type { Clock } from '../lib/time.js';
import type { GatewayFile } from './config.js';

/** Where readings come from (DevicePoller in production, a fake in unit tests). */
export interface SensorSource {
  onReadings(cb: (readings: Reading[]) => void): () => void;
  /** a device went bad / came back (one call per change), with a reason a person can act on */
  onFault?(cb: (f: { sensor: string; reason: string; fault: string }) => void): () => void;
  onRecovered?(cb: (r: { sensor: string; downMs: number }) => void): () => void;
  start(): void;
  stop(): Promise<void>;
}

/** What switches valves and pumps (RelayBoard in production). */
export interface ActuatorDriver {
  ids(): string[];
  set(id: string, on: boolean): Promise<void>;
  /** pumps first, then valves; `sparesFailed`: board coils that are no actuator and stayed on (`device:coil`) */
  closeAll(): Promise<{ closed: string[]; failed: { id: string; error: Error }[]; sparesFailed?: string[] }>;
}

export interface Hardware {
  sensors: SensorSource;
  actuators: ActuatorDriver;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Buses, the poller and the relay board of a gateway file, built on edge/modbus. */
export function modbusHardware(file: GatewayFile, clock?: Clock): Hardware {
  const buses = new Map(
    file.buses.map((b) => [
      b.id,
      new ModbusBus({
        url: b.url,
        name: b.id,
        timeoutMs: b.timeoutMs,
        retries: b.retries,
        ...(clock ? { clock } : {}),
      }),
    ]),
  );
  const devices = new Map(file.devices.map((d) => [d.id, d]));
  const poller = new DevicePoller({
    buses,
    devices: file.devices
      .filter((d) => d.poll)
      .map((d) => ({
        id: d.id,
        bus: d.bus,
        unitId: d.unitId,
        profile: d.profile,
        ...(d.pollSeconds ? { pollSeconds: d.pollSeconds } : {}),
      })),
    ...(clock ? { clock } : {}),
  });
  const board = new RelayBoard({
    buses,
    actuators: file.actuators.map((a): ActuatorConfig => {
      const d = devices.get(a.device)!;
      return { id: a.id, kind: a.kind, bus: d.bus, unitId: d.unitId, coil: a.coil, profile: d.profile };
    }),
    boards: boardsOf(file),
    pumpStopDelayMs: file.loop.pumpStopDelayMs,
  });
  return {
    sensors: {
      onReadings: (cb) => poller.onReadings((r) => cb(r)),
      onFault: (cb) => poller.onFault((f) => cb({ sensor: f.sensor, reason: f.reason, fault: f.fault })),
      onRecovered: (cb) => poller.onRecovered((r) => cb({ sensor: r.sensor, downMs: r.downMs })),
      start: () => poller.start(),
      stop: () => poller.stop(),
    },
    actuators: board,
    start: async () => {
      await Promise.all([...buses.values()].map((b) => b.start()));
    },
    stop: async () => {
      await Promise.all([...buses.values()].map((b) => b.stop()));
    },
  };
}

/**
 * Every board with coils in its profile: all of them are commanded off at start and stop (the docs'
 * promise: a relay someone switched on by hand does not stay on), except the device's exemptCoils.
 */
export function boardsOf(file: GatewayFile): BoardCoils[] {
  return file.devices.flatMap((d) => {
    const coils = loadProfile(d.profile).coils;
    if (coils.length === 0) return [];
    const exempt = new Set(d.exemptCoils.map(String));
    const kept = coils.filter((c) => !exempt.has(c.name) && !exempt.has(String(c.address)));
    return [
      { device: d.id, bus: d.bus, unitId: d.unitId, coils: kept.map((c) => ({ address: c.address, kind: c.kind })) },
    ];
  });
}
