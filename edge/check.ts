import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { errorMessage } from '../lib/errors.js';
import { issueLines } from '../lib/zod-issues.js';
import { GatewayFileSchema, parseGatewayFile, type GatewayFile } from './config.js';
import { loadProfile, parseBusUrl, type DeviceProfile } from './modbus/index.js';

/** A profile's serial settings that differ from its bus: the device will not answer (or garble). */
export interface SerialMismatch {
  device: string;
  bus: string;
  /** e.g. { key: 'baud', device: 19200, bus: 9600 } */
  differences: Array<{
    key: 'baud' | 'parity' | 'dataBits' | 'stopBits';
    device: number | string;
    bus: number | string;
  }>;
}

export interface CheckResult {
  /** each one would stop `ruongso gateway` from starting, or leave a valve without its coil */
  problems: string[];
  /** it starts, but something is likely wrong (e.g. serial settings) */
  warnings: string[];
  serialMismatches: SerialMismatch[];
  file?: GatewayFile;
}

/** Everything start would check, on a file on disk: every problem at once, not the first. */
export function checkGatewayFile(file: string, env = process.env): CheckResult {
  const abs = path.resolve(file);
  if (!existsSync(abs))
    return {
      problems: [`gateway config ${abs} does not exist (see examples/gateway.yaml)`],
      warnings: [],
      serialMismatches: [],
    };
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(abs, 'utf8'));
  } catch (err) {
    return { problems: [`${abs} is not valid YAML/JSON: ${errorMessage(err)}`], warnings: [], serialMismatches: [] };
  }
  const schema = GatewayFileSchema.safeParse(raw);
  if (!schema.success) {
    const problems = issueLines(schema.error, Infinity);
    return {
      problems: [...problems, ...rawHardwareProblems(raw, path.dirname(abs))],
      warnings: [],
      serialMismatches: [],
    };
  }
  return checkGatewayConfig(parseGatewayFile(raw, abs, path.dirname(abs), env));
}

/** With a file the schema refused, still check the bus URLs and profiles it names, so one run lists all. */
function rawHardwareProblems(raw: unknown, baseDir: string): string[] {
  const out: string[] = [];
  const list = (k: string) =>
    raw && typeof raw === 'object' && Array.isArray((raw as Record<string, unknown>)[k])
      ? (raw as Record<string, unknown[]>)[k]!
      : [];
  list('buses').forEach((b, i) => {
    const url = (b as { url?: unknown })?.url;
    if (typeof url !== 'string') return;
    try {
      parseBusUrl(url);
    } catch (err) {
      out.push(`buses.${i}.url: ${errorMessage(err)}`);
    }
  });
  list('devices').forEach((d, i) => {
    const profile = (d as { profile?: unknown })?.profile;
    if (typeof profile !== 'string') return;
    const isPath = /[\\/]/.test(profile) || /\.(ya?ml|json)$/i.test(profile);
    try {
      loadProfile(isPath ? path.resolve(baseDir, profile) : profile);
    } catch (err) {
      out.push(`devices.${i}.profile: ${errorMessage(err)}`);
    }
  });
  return out;
}

/** The hardware checks of an already parsed file: buses, profiles, coils, zones' metrics, serial settings. */
export function checkGatewayConfig(f: GatewayFile): CheckResult {
  const problems: string[] = [];
  const buses = new Map<string, ReturnType<typeof parseBusUrl> | undefined>();
  f.buses.forEach((b, i) => {
    try {
      buses.set(b.id, parseBusUrl(b.url));
    } catch (err) {
      buses.set(b.id, undefined);
      problems.push(`buses.${i}.url: ${errorMessage(err)}`);
    }
  });
  const profiles = new Map<string, DeviceProfile>();
  f.devices.forEach((d, i) => {
    try {
      const p = loadProfile(d.profile);
      profiles.set(d.id, p);
      if (d.poll && p.points.length === 0)
        problems.push(`devices.${i}: profile ${p.name} has no points to poll; set poll: false for a coil-only board`);
    } catch (err) {
      problems.push(`devices.${i}.profile: ${errorMessage(err)}`);
    }
  });
  const units = new Map<string, string>();
  f.devices.forEach((d, i) => {
    const unit = `${d.bus}#${d.unitId}`;
    const other = units.get(unit);
    if (other)
      problems.push(
        `devices.${i}.unitId: unit ${d.unitId} on bus ${d.bus} is already device ${other}; two devices on one id corrupt each other's replies`,
      );
    units.set(unit, d.id);
  });
  problems.push(...coilProblems(f, profiles), ...exemptCoilProblems(f, profiles), ...zoneMetricProblems(f, profiles));
  const dataDir = dataDirProblem(f.dataDir);
  if (dataDir) problems.push(dataDir);
  const serialMismatches = serialSettingsMismatches(f, profiles, buses);
  const warnings = serialMismatches.map(describeSerialMismatch);
  return { problems, warnings, serialMismatches, file: f };
}

function coilProblems(f: GatewayFile, profiles: Map<string, DeviceProfile>): string[] {
  const out: string[] = [];
  const used = new Map<string, string>();
  f.actuators.forEach((a, i) => {
    const p = profiles.get(a.device);
    if (!p) return; // the device's own problem is listed already
    const byName = typeof a.coil === 'string' && !/^\d+$/.test(a.coil);
    const coil = byName ? p.coils.find((c) => c.name === a.coil) : p.coils.find((c) => c.address === Number(a.coil));
    if (byName && !coil) {
      out.push(
        `actuators.${i}.coil: profile ${p.name} of device ${a.device} has no coil "${String(a.coil)}"; coils: ${p.coils.map((c) => c.name).join(', ') || 'none'}`,
      );
      return;
    }
    if (!byName && p.coils.length > 0 && !coil) {
      out.push(
        `actuators.${i}.coil: coil ${String(a.coil)} is not on the board (profile ${p.name} has ${p.coils.map((c) => c.address).join(', ')})`,
      );
    }
    const address = coil?.address ?? Number(a.coil);
    const key = `${a.device}#${address}`;
    const other = used.get(key);
    if (other) out.push(`actuators.${i}.coil: coil ${address} of ${a.device} already drives ${other}`);
    used.set(key, a.id);
  });
  return out;
}

/** start creates dataDir and writes the loop state and the uplink queue there */
function dataDirProblem(dir: string): string | undefined {
  let d = dir;
  while (!existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  try {
    if (!statSync(d).isDirectory()) throw new Error('not a directory');
    accessSync(d, constants.W_OK);
    return undefined;
  } catch {
    return `dataDir: ${dir} cannot be created or written (${d} is not a writable directory)`;
  }
}

function exemptCoilProblems(f: GatewayFile, profiles: Map<string, DeviceProfile>): string[] {
  const out: string[] = [];
  f.devices.forEach((d, i) => {
    const p = profiles.get(d.id);
    if (!p) return;
    d.exemptCoils.forEach((e, j) => {
      const coil = p.coils.find((c) => c.name === String(e) || String(c.address) === String(e));
      if (!coil) out.push(`devices.${i}.exemptCoils.${j}: profile ${p.name} has no coil "${String(e)}"`);
      const a =
        coil &&
        f.actuators.find(
          (x) => x.device === d.id && (String(x.coil) === coil.name || String(x.coil) === String(coil.address)),
        );
      if (a)
        out.push(
          `devices.${i}.exemptCoils.${j}: coil ${String(e)} drives actuator ${a.id}, which must close at start and stop`,
        );
    });
  });
  return out;
}

/** A zone that reads a metric its device does not have would never get a reading. */
function zoneMetricProblems(f: GatewayFile, profiles: Map<string, DeviceProfile>): string[] {
  const out: string[] = [];
  f.initialConfig?.zones.forEach((z, i) => {
    for (const [role, ref] of Object.entries(z.sensors)) {
      if (!ref) continue;
      const p = profiles.get(ref.sensor);
      if (p && !p.points.some((pt) => pt.metric === ref.metric)) {
        out.push(
          `initialConfig.zones.${i}.sensors.${role}: device ${ref.sensor} (profile ${p.name}) has no metric ${ref.metric}; it has ${p.points.map((pt) => pt.metric).join(', ')}`,
        );
      }
    }
  });
  return out;
}

/** Each RTU device whose profile's factory serial settings differ from its bus. */
export function serialSettingsMismatches(
  f: GatewayFile,
  profiles: Map<string, DeviceProfile>,
  buses: Map<string, ReturnType<typeof parseBusUrl> | undefined>,
): SerialMismatch[] {
  const out: SerialMismatch[] = [];
  for (const d of f.devices) {
    const bus = buses.get(d.bus);
    const serial = profiles.get(d.id)?.serial;
    if (!bus || bus.kind !== 'rtu' || !serial) continue;
    const pairs = [
      ['baud', serial.baud, bus.baudRate],
      ['parity', serial.parity, bus.parity],
      ['dataBits', serial.dataBits, bus.dataBits],
      ['stopBits', serial.stopBits, bus.stopBits],
    ] as const;
    const differences = pairs
      .filter(([, a, b]) => a !== b)
      .map(([key, device, onBus]) => ({ key, device, bus: onBus }));
    if (differences.length) out.push({ device: d.id, bus: d.bus, differences });
  }
  return out;
}

export function describeSerialMismatch(m: SerialMismatch): string {
  const diff = m.differences.map((x) => `${x.key} ${x.device} (bus ${x.bus})`).join(', ');
  return `device ${m.device}: its profile's serial settings differ from bus ${m.bus}: ${diff}; it may not answer`;
}

/** The serial mismatches of a parsed file (for the gateway's start-up event); profiles that fail to load are skipped. */
export function serialMismatchesOf(f: GatewayFile): SerialMismatch[] {
  const profiles = new Map<string, DeviceProfile>();
  for (const d of f.devices) {
    try {
      profiles.set(d.id, loadProfile(d.profile));
    } catch {
      /* reported by the check */
    }
  }
  const buses = new Map(
    f.buses.map((b) => {
      try {
        return [b.id, parseBusUrl(b.url)] as const;
      } catch {
        return [b.id, undefined] as const;
      }
    }),
  );
  return serialSettingsMismatches(f, profiles, buses);
}
