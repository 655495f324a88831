import { ModbusException, type SimulatedDevice } from './device.js';

type Cb<T> = (err: unknown, value?: T) => void;

/**
 * The request vector modbus-serial's handlers call, dispatching by unit id to simulated
 * devices. Callback style, so a device with the timeout fault can simply never answer.
 * An absent unit is silent on RTU (nobody drives the wire); a TCP gateway answers exception 11.
 */
export function buildVector(devices: Map<number, SimulatedDevice>, absentUnit: 'silent' | 'exception') {
  function serve<T>(unitId: number, cb: Cb<T>, fn: (d: SimulatedDevice) => T): void {
    const d = devices.get(unitId);
    if (!d) {
      if (absentUnit === 'exception') cb({ modbusErrorCode: 11 });
      return;
    }
    if (d.faults.timeout) return;
    if (d.faults.exception) return cb({ modbusErrorCode: d.faults.exception });
    try {
      cb(null, fn(d));
    } catch (err) {
      cb({ modbusErrorCode: err instanceof ModbusException ? err.modbusErrorCode : 4 });
    }
  }
  return {
    getHoldingRegister: (addr: number, unitId: number, cb: Cb<number>) =>
      serve(unitId, cb, (d) => d.readRegisters(3, addr, 1)[0]!),
    getMultipleHoldingRegisters: (addr: number, len: number, unitId: number, cb: Cb<number[]>) =>
      serve(unitId, cb, (d) => d.readRegisters(3, addr, len)),
    getInputRegister: (addr: number, unitId: number, cb: Cb<number>) =>
      serve(unitId, cb, (d) => d.readRegisters(4, addr, 1)[0]!),
    getMultipleInputRegisters: (addr: number, len: number, unitId: number, cb: Cb<number[]>) =>
      serve(unitId, cb, (d) => d.readRegisters(4, addr, len)),
    getCoil: (addr: number, unitId: number, cb: Cb<boolean>) => serve(unitId, cb, (d) => d.readBit(1, addr)),
    getDiscreteInput: (addr: number, unitId: number, cb: Cb<boolean>) => serve(unitId, cb, (d) => d.readBit(2, addr)),
    setCoil: (addr: number, on: boolean, unitId: number, cb: Cb<void>) =>
      serve(unitId, cb, (d) => d.writeCoil(addr, on)),
  };
}
