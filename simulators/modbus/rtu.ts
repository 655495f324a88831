import { InterByteTimeoutParser, SerialPort } from 'serialport';
import type { SimulatedDevice } from './device.js';
import { crc16, handlers } from './internals.js';
import { buildVector } from './vector.js';

export interface SerialOptions {
  baudRate?: number;
  parity?: 'none' | 'even' | 'odd';
  dataBits?: 7 | 8;
  stopBits?: 1 | 2;
}

/**
 * Modbus RTU slave on a serial line. Frames are cut by silence on the line (serialport's
 * inter-byte-timeout parser, the RTU 3.5-character rule), CRC is modbus-serial's, and requests
 * are answered by modbus-serial's own server handlers; faults are applied to the frame here.
 */
export async function startRtuSlave(
  path: string,
  serial: SerialOptions,
  devices: Map<number, SimulatedDevice>,
): Promise<{ stop(): Promise<void> }> {
  const baudRate = serial.baudRate ?? 9600;
  const port = new SerialPort({
    path,
    baudRate,
    parity: serial.parity ?? 'none',
    dataBits: serial.dataBits ?? 8,
    stopBits: serial.stopBits ?? 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  port.on('error', () => {
    /* the other end went away; stop() closes */
  });
  // 3.5 characters of silence end a frame (~4 ms at 9600 baud); a PTY has no real timing
  const interval = Math.max(2, Math.ceil((3.5 * 11 * 1000) / baudRate));
  const parser = port.pipe(new InterByteTimeoutParser({ interval }));
  const vector = buildVector(devices, 'silent');
  parser.on('data', (frame: Buffer) => handleFrame(frame, devices, vector, (reply) => port.write(reply)));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        parser.removeAllListeners('data');
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}

function handleFrame(
  frame: Buffer,
  devices: Map<number, SimulatedDevice>,
  vector: unknown,
  send: (b: Buffer) => void,
): void {
  if (frame.length < 4) return;
  // a frame with a bad CRC is not for anyone: stay silent, as a real slave does
  if (crc16(frame.subarray(0, -2)) !== frame.readUInt16LE(frame.length - 2)) return;
  const unitId = frame[0]!;
  const fc = frame[1]!;
  const device = devices.get(unitId);
  if (!device) return;
  const reply = (err: unknown, response?: Buffer) => {
    let out = response;
    if (err) {
      out = Buffer.alloc(5);
      out[1] = fc | 0x80;
      out[2] = (err as { modbusErrorCode?: number }).modbusErrorCode ?? 4;
    } else {
      if (!out) return;
      out[1] = fc;
    }
    out[0] = device.faults.unit_id ? (unitId % 247) + 1 : unitId;
    out.writeUInt16LE(crc16(out.subarray(0, -2)), out.length - 2);
    if (device.faults.crc) out[out.length - 1] = out[out.length - 1]! ^ 0xff;
    send(out);
  };
  switch (fc) {
    case 1:
    case 2:
      return handlers.readCoilsOrInputDiscretes(frame, vector, unitId, reply, fc);
    case 3:
      return handlers.readMultipleRegisters(frame, vector, unitId, reply);
    case 4:
      return handlers.readInputRegisters(frame, vector, unitId, reply);
    case 5:
      return handlers.writeCoil(frame, vector, unitId, reply);
    case 15:
      return handlers.forceMultipleCoils(frame, vector, unitId, reply);
    default:
      return reply({ modbusErrorCode: 1 });
  }
}
