import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { log } from '../../lib/log.js';
import { systemClock, type Clock } from '../../lib/time.js';
import { Id } from '../../protocol/schemas/common.js';
import type { Reading } from '../../protocol/schemas/messages.js';
import type { ModbusBus } from './bus.js';
import { decodeValue } from './decode.js';
import { issueSummary } from '../../lib/zod-issues.js';
import { ModbusError, type ModbusFault } from './errors.js';
import { loadProfile, parseProfile, type DeviceProfile } from './profile.js';
import { planReads, type ReadBlock } from './read-plan.js';

const logger = log.child({ mod: 'poller' });

/** One device on a bus, as the gateway's local hardware file lists it. */
export const DeviceConfigSchema = z.object({
  id: Id,
  /** key of the bus in the gateway's bus table */
  bus: z.string().min(1),
  unitId: z.number().int().min(1, 'unitId must be 1–247').max(247, 'unitId must be 1–247').optional(),
  /** shipped profile name, path to a YAML/JSON file, or the profile itself */
  profile: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  pollSeconds: z.number().min(1).max(86_400).optional(),
});
export type DeviceConfig = Omit<z.input<typeof DeviceConfigSchema>, 'profile'> & {
  profile: string | DeviceProfile | Record<string, unknown>;
};

export interface SensorFault {
  sensor: string;
  fault: ModbusFault;
  /** metrics of the device the fault made bad */
  metrics: string[];
  /** person-readable, e.g. "no reply from unit 3 on bus tcp://…" */
  reason: string;
  ts: number;
}

export interface SensorRecovery {
  sensor: string;
  ts: number;
  /** how long the device was faulted */
  downMs: number;
}

interface DeviceState {
  config: { id: string; bus: string; unitId: number; intervalMs: number };
  profile: DeviceProfile;
  blocks: ReadBlock[];
  bus: ModbusBus;
  timer?: NodeJS.Timeout;
  polling?: Promise<Reading[]>;
  fault?: SensorFault;
}

export interface PollerOptions {
  buses: Map<string, ModbusBus> | Record<string, ModbusBus>;
  devices: DeviceConfig[];
  clock?: Clock;
  /** spread the first polls over this many ms so devices do not all fire at once */
  staggerMs?: number;
}

// comms faults say more than a range check on a value that did arrive
const FAULT_RANK: Record<ModbusFault, number> = {
  disconnected: 0,
  timeout: 1,
  crc: 2,
  unit_id: 3,
  exception: 4,
  out_of_range: 5,
};

/**
 * Polls each device on its interval through its bus's queue and hands out protocol Readings.
 * Faults are data: a failed read yields readings with quality 'bad' and the fault, plus one
 * 'fault' event per device when it goes bad and one 'recovered' event when it comes back.
 */
export class DevicePoller {
  private readonly devices: DeviceState[] = [];
  private readonly events = new EventEmitter();
  private readonly clock: Clock;
  private readonly staggerMs: number;
  private running = false;

  constructor(options: PollerOptions) {
    this.clock = options.clock ?? systemClock;
    this.staggerMs = options.staggerMs ?? 5000;
    const buses = options.buses instanceof Map ? options.buses : new Map(Object.entries(options.buses));
    for (const raw of options.devices) {
      const parsed = DeviceConfigSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ModbusError(
          'MODBUS_CONFIG_INVALID',
          `device ${String((raw as { id?: unknown }).id)}: ${issueSummary(parsed.error)}`,
          { cause: parsed.error },
        );
      }
      const d = parsed.data;
      const bus = buses.get(d.bus);
      if (!bus)
        throw new ModbusError(
          'MODBUS_CONFIG_INVALID',
          `device ${d.id}: no bus "${d.bus}"; buses: ${[...buses.keys()].join(', ') || 'none'}`,
        );
      if (this.devices.some((x) => x.config.id === d.id))
        throw new ModbusError('MODBUS_CONFIG_INVALID', `device id "${d.id}" is used twice`);
      const profile =
        typeof raw.profile === 'string'
          ? loadProfile(raw.profile)
          : parseProfile(raw.profile, `profile of device ${d.id}`);
      const intervalMs = (d.pollSeconds ?? profile.pollSeconds) * 1000;
      this.devices.push({
        config: { id: d.id, bus: d.bus, unitId: d.unitId ?? profile.defaultUnitId, intervalMs },
        profile,
        blocks: planReads(profile),
        bus,
      });
    }
  }

  onReadings(cb: (readings: Reading[], deviceId: string) => void): () => void {
    return this.on('readings', cb);
  }

  onFault(cb: (fault: SensorFault) => void): () => void {
    return this.on('fault', cb);
  }

  onRecovered(cb: (recovery: SensorRecovery) => void): () => void {
    return this.on('recovered', cb);
  }

  /** Devices that are faulted right now. */
  faults(): SensorFault[] {
    return this.devices.flatMap((d) => (d.fault ? [d.fault] : []));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const n = this.devices.length;
    this.devices.forEach((d, i) => {
      const first = n > 1 ? Math.round((i / n) * Math.min(this.staggerMs, d.config.intervalMs)) : 0;
      this.schedule(d, first);
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const d of this.devices) clearTimeout(d.timer);
    await Promise.allSettled(this.devices.flatMap((d) => (d.polling ? [d.polling] : [])));
  }

  /** Polls one device (or all) now and returns the readings; also emits them. */
  async pollOnce(deviceId?: string): Promise<Reading[]> {
    const targets = deviceId ? this.devices.filter((d) => d.config.id === deviceId) : this.devices;
    if (deviceId && targets.length === 0) throw new ModbusError('MODBUS_CONFIG_INVALID', `no device "${deviceId}"`);
    return (await Promise.all(targets.map((d) => this.poll(d)))).flat();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private on(event: string, cb: (...args: any[]) => void): () => void {
    this.events.on(event, cb);
    return () => this.events.off(event, cb);
  }

  private schedule(d: DeviceState, delayMs: number): void {
    d.timer = setTimeout(() => {
      const started = this.clock.now();
      void this.poll(d).finally(() => {
        if (!this.running) return;
        // keep the cadence; a poll slower than its interval skips ticks instead of piling up
        const next = Math.max(0, d.config.intervalMs - (this.clock.now() - started));
        this.schedule(d, next);
      });
    }, delayMs);
  }

  private poll(d: DeviceState): Promise<Reading[]> {
    if (d.polling) return d.polling;
    d.polling = this.readDevice(d).finally(() => {
      d.polling = undefined;
    });
    return d.polling;
  }

  private async readDevice(d: DeviceState): Promise<Reading[]> {
    const results = await Promise.all(d.blocks.map((b) => this.readBlock(d, b)));
    const readings = results.flatMap((r) => r.readings);
    this.track(d, readings, results.find((r) => r.error)?.error);
    if (readings.length > 0) this.safeEmit('readings', readings, d.config.id);
    return readings;
  }

  private async readBlock(d: DeviceState, b: ReadBlock): Promise<{ readings: Reading[]; error?: ModbusError }> {
    const sensor = d.config.id;
    try {
      const words = await d.bus.read(d.config.unitId, b.fc, b.address, b.length);
      const ts = this.clock.now();
      return {
        readings: b.points.map(({ point, offset }) => {
          const decoded = decodeValue(words.slice(offset, offset + 2), point);
          // a float register can hold NaN or ∞, which no reading may carry
          const value = Number.isFinite(decoded) ? decoded : null;
          const ok = value !== null && value >= point.range.min && value <= point.range.max;
          return ok
            ? { sensor, metric: point.metric, value, unit: point.unit, ts, quality: 'good' as const }
            : {
                sensor,
                metric: point.metric,
                value,
                unit: point.unit,
                ts,
                quality: 'bad' as const,
                fault: 'out_of_range' as const,
              };
        }),
      };
    } catch (err) {
      const error =
        err instanceof ModbusError ? err : new ModbusError('MODBUS_DISCONNECTED', String(err), { cause: err });
      const ts = this.clock.now();
      return {
        error,
        readings: b.points.map(({ point }) => ({
          sensor,
          metric: point.metric,
          value: null,
          unit: point.unit,
          ts,
          quality: 'bad' as const,
          fault: error.fault,
        })),
      };
    }
  }

  private track(d: DeviceState, readings: Reading[], error: ModbusError | undefined): void {
    const bad = readings.filter((r) => r.quality === 'bad');
    const ts = this.clock.now();
    if (bad.length === 0) {
      if (d.fault) {
        const downMs = ts - d.fault.ts;
        d.fault = undefined;
        logger.info({ sensor: d.config.id, downMs }, 'sensor recovered');
        this.safeEmit('recovered', { sensor: d.config.id, ts, downMs });
      }
      return;
    }
    const fault = bad.map((r) => r.fault as ModbusFault).sort((a, b) => FAULT_RANK[a] - FAULT_RANK[b])[0]!;
    if (d.fault?.fault === fault) return;
    const reason =
      error?.message ??
      bad
        .filter((r) => r.fault === 'out_of_range')
        .map((r) => {
          const p = d.profile.points.find((q) => q.metric === r.metric)!;
          return `${r.metric} ${r.value} ${r.unit} outside ${p.range.min}…${p.range.max}`;
        })
        .join('; ');
    const since = d.fault?.ts ?? ts;
    d.fault = { sensor: d.config.id, fault, metrics: bad.map((r) => r.metric), reason, ts: since };
    logger.warn({ sensor: d.config.id, fault }, 'sensor fault');
    this.safeEmit('fault', { ...d.fault, ts });
  }

  /** a listener that throws must not stop polling */
  private safeEmit(event: string, ...args: unknown[]): void {
    for (const l of this.events.listeners(event)) {
      try {
        (l as (...a: unknown[]) => void)(...args);
      } catch (err) {
        logger.error({ err, event }, 'poller listener threw');
      }
    }
  }
}
