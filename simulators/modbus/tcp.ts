import type { Server, Socket } from 'node:net';
import modbusSerial from 'modbus-serial';
import type { SimulatedDevice } from './device.js';
import { buildVector } from './vector.js';

const ServerTCP = (modbusSerial as unknown as { ServerTCP: new (vector: unknown, opts: object) => TcpServer })
  .ServerTCP;
interface TcpServer {
  on(ev: 'initialized', cb: () => void): void;
  on(ev: 'serverError' | 'socketError' | 'error', cb: (err: Error) => void): void;
  close(cb: (err?: Error) => void): void;
  _server: Server;
}

// MBAP header: transaction id, protocol id, length; then unit id at byte 6
const UNIT_OFFSET = 6;

/** Modbus TCP slave on modbus-serial's ServerTCP, one port serving several unit ids. */
export async function startTcpSlave(
  port: number,
  host: string,
  devices: Map<number, SimulatedDevice>,
): Promise<{ stop(): Promise<void> }> {
  const server = new ServerTCP(buildVector(devices, 'exception'), { host, port, unitID: 255 });
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', resolve);
    server.on('serverError', reject);
  });
  server.on('socketError', () => {
    /* a client that vanished: nothing to do */
  });
  server.on('error', () => {
    /* reply to a closed socket */
  });
  // ServerTCP has no hook for frame-level faults: wrap each socket's write to corrupt replies
  server._server.on('connection', (sock: Socket) => {
    const write: (b: Buffer) => boolean = sock.write.bind(sock);
    (sock as unknown as { write: (b: Buffer) => boolean }).write = (frame: Buffer) => write(corrupt(frame, devices));
  });
  return {
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function corrupt(frame: Buffer, devices: Map<number, SimulatedDevice>): Buffer {
  const d = devices.get(frame[UNIT_OFFSET] ?? -1);
  if (!d || frame.length <= UNIT_OFFSET + 2) return frame;
  let out = frame;
  if (d.faults.unit_id) {
    out = Buffer.from(out);
    out[UNIT_OFFSET] = (d.unitId % 247) + 1;
  }
  if (d.faults.crc) {
    // TCP has no CRC: the nearest thing is a mangled reply, one data byte short
    out = Buffer.from(out.subarray(0, out.length - 1));
    out.writeUInt16BE(out.length - UNIT_OFFSET, 4);
  }
  return out;
}
