import { SimulatedDevice, type SimDeviceOptions, type SimFaultName, type SimFaults } from './device.js';
import { startRtuSlave, type SerialOptions } from './rtu.js';
import { startTcpSlave } from './tcp.js';

export {
  SimulatedDevice,
  ModbusException,
  NO_FAULTS,
  type SimDeviceOptions,
  type SimFaults,
  type SimFaultName,
} from './device.js';
export { openPtyPair, type PtyPair } from './pty.js';
export { driftingValues, typicalValue } from './drift.js';

export type SimTransport =
  { transport: 'tcp'; port: number; host?: string } | ({ transport: 'rtu'; path: string } & SerialOptions);

export interface ModbusSimulator {
  /** the bus URL a gateway uses to reach this simulator */
  url: string;
  devices: SimulatedDevice[];
  /** the device with this unit id (default: the first) */
  device(unitId?: number): SimulatedDevice;
  setFault<K extends SimFaultName>(name: K, value?: SimFaults[K] | boolean, unitId?: number): void;
  clearFaults(unitId?: number): void;
  setValue(metric: string, value: number | undefined, unitId?: number): void;
  stop(): Promise<void>;
}

/**
 * Serves one or several simulated devices (distinct unit ids) on one Modbus TCP port or one
 * serial line. Values come from `values` (e.g. a field model), coil writes go to `onCoilWrite`.
 */
export async function startModbusSimulator(
  transport: SimTransport,
  device: SimDeviceOptions | SimDeviceOptions[],
): Promise<ModbusSimulator> {
  const devices = (Array.isArray(device) ? device : [device]).map((d) => new SimulatedDevice(d));
  const byUnit = new Map<number, SimulatedDevice>();
  for (const d of devices) {
    if (byUnit.has(d.unitId)) throw new Error(`two simulated devices share unit id ${d.unitId}`);
    byUnit.set(d.unitId, d);
  }
  const host = transport.transport === 'tcp' ? (transport.host ?? '127.0.0.1') : '';
  const slave =
    transport.transport === 'tcp'
      ? await startTcpSlave(transport.port, host, byUnit)
      : await startRtuSlave(transport.path, transport, byUnit);
  const url =
    transport.transport === 'tcp'
      ? `tcp://${host}:${transport.port}`
      : `rtu://${transport.path}?baud=${transport.baudRate ?? 9600}&parity=${transport.parity ?? 'none'}&dataBits=${transport.dataBits ?? 8}&stopBits=${transport.stopBits ?? 1}`;
  const pick = (unitId?: number): SimulatedDevice => {
    const d = unitId === undefined ? devices[0] : byUnit.get(unitId);
    if (!d) throw new Error(`no simulated device with unit id ${unitId}`);
    return d;
  };
  return {
    url,
    devices,
    device: pick,
    setFault: (name, value = true, unitId) => pick(unitId).setFault(name, value),
    clearFaults: (unitId) => pick(unitId).clearFaults(),
    setValue: (metric, value, unitId) => pick(unitId).setValue(metric, value),
    stop: () => slave.stop(),
  };
}
