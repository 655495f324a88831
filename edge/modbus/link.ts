import { createRequire } from 'node:module';
import modbusSerial from 'modbus-serial';
import type { BusAddress } from './bus-url.js';

/** One Modbus request as the bus queue carries it. */
export type ModbusRequest =
  | { fc: 1 | 2 | 3 | 4; unitId: number; address: number; length: number }
  | { fc: 5; unitId: number; address: number; value: boolean }
  | { fc: 15; unitId: number; address: number; values: boolean[] };

/**
 * The port the bus drives: one connection to one wire (a TCP socket or a serial line).
 * Reads resolve to register words, or 0/1 per coil / discrete input.
 */
export interface ModbusLink {
  open(): Promise<void>;
  close(): Promise<void>;
  readonly isOpen: boolean;
  /** called once when an open link drops (socket closed, serial device unplugged) */
  onDrop(cb: (err?: unknown) => void): void;
  exec(req: ModbusRequest, timeoutMs: number): Promise<number[]>;
}

// the package is CommonJS: its default export is the client class both at runtime and in its types
export const ModbusClient = modbusSerial.default;
export type ModbusClient = InstanceType<typeof ModbusClient>;

// modbus-serial's own CRC-16 (untyped CommonJS file)
const crc16 = createRequire(import.meta.url)('modbus-serial/utils/crc16.js') as (buf: Buffer) => number;

export type LinkFactory = (address: BusAddress) => ModbusLink;

/** The production link, on modbus-serial: TCP, or the buffered RTU connection on serialport. */
export class ModbusSerialLink implements ModbusLink {
  private client: ModbusClient | undefined;
  private dropCb: ((err?: unknown) => void) | undefined;
  /** raw bytes heard since the last request (RTU), to tell a wrong-unit reply from silence */
  private heard = Buffer.alloc(0);

  constructor(private readonly address: BusAddress) {}

  get isOpen(): boolean {
    return this.client?.isOpen === true;
  }

  onDrop(cb: (err?: unknown) => void): void {
    this.dropCb = cb;
  }

  async open(): Promise<void> {
    const client = new ModbusClient();
    const a = this.address;
    if (a.kind === 'tcp') {
      await client.connectTCP(a.host, { port: a.port, timeout: 3000 });
    } else {
      // buffered RTU: serial data arrives in chunks, a frame is assembled before parsing
      await client.connectRTUBuffered(a.path, {
        baudRate: a.baudRate,
        parity: a.parity,
        dataBits: a.dataBits,
        stopBits: a.stopBits,
      });
    }
    let dropped = false;
    const drop = (err?: unknown) => {
      if (dropped || this.client !== client) return;
      dropped = true;
      this.dropCb?.(err);
    };
    if (a.kind === 'rtu') this.listenRaw(client);
    client.on('close', () => drop());
    client.on('error', (err: unknown) => drop(err));
    this.client = client;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await new Promise<void>((resolve) => {
      try {
        client.close(() => resolve());
      } catch {
        resolve();
      }
      // a serial port that is already gone never calls back
      setTimeout(resolve, 500).unref();
    });
  }

  async exec(req: ModbusRequest, timeoutMs: number): Promise<number[]> {
    const client = this.client;
    if (!client || !client.isOpen) throw Object.assign(new Error('Port Not Open'), { errno: 'ECONNREFUSED' });
    client.setID(req.unitId);
    client.setTimeout(timeoutMs);
    if (this.address.kind === 'rtu') {
      discardStaleBytes(client);
      this.heard = Buffer.alloc(0);
    }
    try {
      return await this.send(client, req);
    } catch (err) {
      const other = this.address.kind === 'rtu' ? replyFromOtherUnit(this.heard, req) : undefined;
      // the buffered RTU port skips frames of other units, so a wrong-unit reply looks like silence
      if (other !== undefined)
        throw new Error(`Unexpected data error, expected address ${req.unitId} got ${other}`, { cause: err });
      throw err;
    }
  }

  private async send(client: ModbusClient, req: ModbusRequest): Promise<number[]> {
    switch (req.fc) {
      case 1:
        return bits((await client.readCoils(req.address, req.length)).data, req.length);
      case 2:
        return bits((await client.readDiscreteInputs(req.address, req.length)).data, req.length);
      case 3:
        return (await client.readHoldingRegisters(req.address, req.length)).data;
      case 4:
        return (await client.readInputRegisters(req.address, req.length)).data;
      case 5:
        await client.writeCoil(req.address, req.value);
        return [req.value ? 1 : 0];
      case 15:
        await client.writeCoils(req.address, req.values);
        return req.values.map((v) => (v ? 1 : 0));
    }
  }

  private listenRaw(client: ModbusClient): void {
    const serial = (client as unknown as { _port?: { _client?: { on(ev: 'data', cb: (b: Buffer) => void): void } } })
      ._port?._client;
    serial?.on('data', (chunk: Buffer) => {
      if (this.heard.length < 512) this.heard = Buffer.concat([this.heard, chunk]);
    });
  }
}

/** The unit id of a well-formed reply to `req` that came from another unit, if any was heard. */
export function replyFromOtherUnit(heard: Buffer, req: ModbusRequest): number | undefined {
  for (let i = 0; i + 5 <= heard.length; i++) {
    const unit = heard[i]!;
    const fc = heard[i + 1]!;
    if (unit === req.unitId || (fc & 0x7f) !== req.fc) continue;
    for (let end = i + 5; end <= heard.length; end++) {
      if (crc16(heard.subarray(i, end - 2)) === heard.readUInt16LE(end - 2)) return unit;
    }
  }
  return undefined;
}

function bits(data: boolean[], length: number): number[] {
  return data.slice(0, length).map((b) => (b ? 1 : 0));
}

/**
 * The buffered RTU port keeps bytes across requests: a late reply to a request that already
 * timed out would be taken as the answer to the next one. Start every request on an empty buffer.
 */
function discardStaleBytes(client: ModbusClient): void {
  const port = (client as unknown as { _port?: { _buffer?: Buffer } })._port;
  if (port && Buffer.isBuffer(port._buffer)) port._buffer = Buffer.alloc(0);
}

export const defaultLinkFactory: LinkFactory = (address) => new ModbusSerialLink(address);
