import { createRequire } from 'node:module';

// modbus-serial ships its CRC and its request handlers as plain CommonJS files without types;
// the RTU slave reuses them so both simulator transports answer exactly like ServerTCP does.
const require = createRequire(import.meta.url);

export const crc16 = require('modbus-serial/utils/crc16.js') as (buf: Buffer) => number;

type Cb = (err: unknown, response?: Buffer) => void;
export interface RequestHandlers {
  readCoilsOrInputDiscretes(req: Buffer, vector: unknown, unitId: number, cb: Cb, fc: number): void;
  readMultipleRegisters(req: Buffer, vector: unknown, unitId: number, cb: Cb): void;
  readInputRegisters(req: Buffer, vector: unknown, unitId: number, cb: Cb): void;
  writeCoil(req: Buffer, vector: unknown, unitId: number, cb: Cb): void;
  forceMultipleCoils(req: Buffer, vector: unknown, unitId: number, cb: Cb): void;
  writeSingleRegister(req: Buffer, vector: unknown, unitId: number, cb: Cb): void;
  writeMultipleRegisters(req: Buffer, vector: unknown, unitId: number, cb: Cb): void;
}
export const handlers = require('modbus-serial/servers/servertcp_handler.js') as RequestHandlers;
// the handlers write bits with Buffer.prototype.writeBit/readBit, which this file installs
(require('modbus-serial/utils/buffer_bit.js') as () => void)();
