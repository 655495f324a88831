import { encodeValue, registerCount } from '../../edge/modbus/decode.js';
import {
  loadProfile,
  parseProfile,
  type DeviceProfile,
  type ProfileCoil,
  type ProfilePoint,
} from '../../edge/modbus/profile.js';
import { typicalValue } from './drift.js';

/** Faults a simulated device can show, switchable at runtime. */
export interface SimFaults {
  /** no reply at all */
  timeout: boolean;
  /** reply with a broken CRC (RTU); a truncated reply on TCP, which has no CRC */
  crc: boolean;
  /** reply as if from another unit id */
  unit_id: boolean;
  /** answer every request with this Modbus exception code (e.g. 4 = slave device failure); 0 = off */
  exception: number;
  /** keep serving the values of the moment the fault was switched on */
  stuck: boolean;
  /** serve values beyond the profile's valid range */
  out_of_range: boolean;
}
export type SimFaultName = keyof SimFaults;

export const NO_FAULTS: SimFaults = {
  timeout: false,
  crc: false,
  unit_id: false,
  exception: 0,
  stuck: false,
  out_of_range: false,
};

export interface SimDeviceOptions {
  unitId?: number;
  /** shipped profile name, a path, or a profile */
  profile: string | DeviceProfile;
  /** live values by metric (e.g. from a field model); undefined falls back to set or typical values */
  values?: (metric: string, now: number) => number | undefined;
  /** a coil was written (opening a valve changes the simulated field) */
  onCoilWrite?: (coil: { address: number; name?: string; kind?: ProfileCoil['kind'] }, on: boolean) => void;
  faults?: Partial<SimFaults>;
  now?: () => number;
}

export class ModbusException extends Error {
  constructor(readonly modbusErrorCode: number) {
    super(`modbus exception ${modbusErrorCode}`);
  }
}

/** One slave's register image, values and faults; transports (TCP, RTU) put it on a wire. */
export class SimulatedDevice {
  readonly unitId: number;
  readonly profile: DeviceProfile;
  readonly faults: SimFaults;
  private readonly overrides = new Map<string, number>();
  private readonly frozen = new Map<string, number>();
  private readonly coils = new Map<number, boolean>();
  private readonly opts: SimDeviceOptions;
  private readonly now: () => number;
  requests = 0;

  constructor(opts: SimDeviceOptions) {
    this.opts = opts;
    this.profile = typeof opts.profile === 'string' ? loadProfile(opts.profile) : parseProfile(opts.profile);
    this.unitId = opts.unitId ?? this.profile.defaultUnitId;
    this.faults = { ...NO_FAULTS, ...opts.faults };
    this.now = opts.now ?? Date.now;
    for (const c of this.profile.coils) this.coils.set(c.address, false);
  }

  setFault<K extends SimFaultName>(name: K, value: SimFaults[K] | boolean = true): void {
    if (name === 'stuck' && value && !this.faults.stuck) {
      for (const p of this.profile.points) this.frozen.set(p.metric, this.value(p));
    }
    (this.faults as unknown as Record<string, unknown>)[name] =
      name === 'exception' ? (value === true ? 4 : Number(value) || 0) : Boolean(value);
  }

  clearFaults(): void {
    Object.assign(this.faults, NO_FAULTS);
    this.frozen.clear();
  }

  /** Pins a metric to a value (undefined to release it). */
  setValue(metric: string, value: number | undefined): void {
    if (!this.profile.points.some((p) => p.metric === metric))
      throw new Error(`profile ${this.profile.name} has no metric "${metric}"`);
    if (value === undefined) this.overrides.delete(metric);
    else this.overrides.set(metric, value);
  }

  coil(address: number): boolean {
    return this.coils.get(address) ?? false;
  }

  /** The engineering value the device would serve now for a point. */
  value(p: ProfilePoint): number {
    if (this.faults.out_of_range) return p.range.max + (p.range.max - p.range.min) * 0.5;
    if (this.faults.stuck && this.frozen.has(p.metric)) return this.frozen.get(p.metric)!;
    return this.overrides.get(p.metric) ?? this.opts.values?.(p.metric, this.now()) ?? typicalValue(p.metric, p.range);
  }

  /** fc 3/4: register words; exception 2 for any register no point covers. */
  readRegisters(fc: 3 | 4, address: number, length: number): number[] {
    this.requests++;
    const image = new Map<number, number>();
    for (const p of this.profile.points) {
      if (p.function !== fc || p.address + registerCount(p.type) <= address || p.address >= address + length) continue;
      encodeValue(this.value(p), p).forEach((w, i) => image.set(p.address + i, w));
    }
    const out: number[] = [];
    for (let a = address; a < address + length; a++) {
      const w = image.get(a);
      if (w === undefined) throw new ModbusException(2);
      out.push(w);
    }
    return out;
  }

  /** fc 1 (coils) / 2 (discrete inputs), one bit. */
  readBit(fc: 1 | 2, address: number): boolean {
    if (fc === 1 && this.coils.has(address)) return this.coils.get(address)!;
    const p = this.profile.points.find((x) => x.function === fc && x.address === address);
    if (!p) throw new ModbusException(2);
    return this.value(p) !== 0;
  }

  writeCoil(address: number, on: boolean): void {
    if (!this.coils.has(address)) throw new ModbusException(2);
    this.coils.set(address, on);
    const c = this.profile.coils.find((x) => x.address === address);
    this.opts.onCoilWrite?.({ address, ...(c ? { name: c.name, kind: c.kind } : {}) }, on);
  }
}
