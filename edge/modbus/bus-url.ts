import { z } from 'zod';
import { issueSummary } from '../../lib/zod-issues.js';
import { ModbusError } from './errors.js';

export interface TcpBusAddress {
  kind: 'tcp';
  host: string;
  port: number;
  /** canonical form, used as the bus name in logs */
  url: string;
}

export interface RtuBusAddress {
  kind: 'rtu';
  path: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  url: string;
}

export type BusAddress = TcpBusAddress | RtuBusAddress;

const BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];
const oneOf = <T extends number>(key: string, allowed: readonly T[]) =>
  z.coerce
    .number({ message: `${key} must be one of ${allowed.join(', ')}` })
    .refine((v): v is T => (allowed as readonly number[]).includes(v), `${key} must be one of ${allowed.join(', ')}`);

/** the query keys of an RTU bus URL, each with its allowed values (named in every error) */
export const RTU_QUERY_KEYS = {
  baud: BAUDS,
  parity: ['none', 'even', 'odd'],
  dataBits: [7, 8],
  stopBits: [1, 2],
} as const;

const RtuQuery = z.strictObject(
  {
    // typical RS-485 soil sensors ship at 9600 8N1
    baud: oneOf('baud', BAUDS).default(9600),
    parity: z.enum(['none', 'even', 'odd'], { message: 'parity must be one of none, even, odd' }).default('none'),
    dataBits: oneOf('dataBits', [7, 8] as const).default(8),
    stopBits: oneOf('stopBits', [1, 2] as const).default(1),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.join(', ')}; allowed keys: ${Object.keys(RTU_QUERY_KEYS).join(', ')}`
        : undefined,
  },
);

function invalid(url: string, why: string, cause?: unknown): ModbusError {
  return new ModbusError(
    'MODBUS_BUS_URL_INVALID',
    `bus "${url}": ${why}. Use tcp://host:port or rtu:///dev/ttyUSB0?baud=9600&parity=none&dataBits=8&stopBits=1`,
    { cause, context: { url } },
  );
}

/**
 * The transport is chosen by URL: `tcp://host:port` is Modbus TCP (port 502 if left out),
 * `rtu:///dev/ttyUSB0?baud=…` or a bare device path is Modbus RTU over a serial line.
 */
export function parseBusUrl(input: string): BusAddress {
  const text = input.trim();
  if (text.startsWith('/')) return rtuAddress(text, new URLSearchParams(), text);
  let url: URL;
  try {
    url = new URL(text);
  } catch (err) {
    throw invalid(text, 'not a URL or a device path', err);
  }
  if (url.protocol === 'tcp:') {
    if (!url.hostname) throw invalid(text, 'missing host');
    const port = url.port === '' ? 502 : Number(url.port);
    if (url.pathname && url.pathname !== '/' && url.pathname !== '') throw invalid(text, 'a TCP bus URL has no path');
    return { kind: 'tcp', host: url.hostname, port, url: `tcp://${url.hostname}:${port}` };
  }
  if (url.protocol === 'rtu:') {
    const path = decodeURIComponent(url.pathname);
    if (!path || path === '/') throw invalid(text, 'missing serial device path');
    return rtuAddress(path, url.searchParams, text);
  }
  throw invalid(text, `unknown scheme "${url.protocol}"`);
}

function rtuAddress(path: string, params: URLSearchParams, text: string): RtuBusAddress {
  const parsed = RtuQuery.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    // a bad value is named with what was given (`baud=fast`); an unknown key by its message alone
    const why = issueSummary(parsed.error, {
      max: Infinity,
      where: (i) => (i.path.length ? `${String(i.path[0])}=${params.get(String(i.path[0])) ?? ''}` : ''),
    });
    throw invalid(text, why, parsed.error);
  }
  const q = parsed.data;
  return {
    kind: 'rtu',
    path,
    baudRate: q.baud,
    parity: q.parity,
    dataBits: q.dataBits,
    stopBits: q.stopBits,
    url: `rtu://${path}?baud=${q.baud}&parity=${q.parity}&dataBits=${q.dataBits}&stopBits=${q.stopBits}`,
  };
}
