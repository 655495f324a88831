import { describe, expect, it } from 'vitest';
import { parseBusUrl } from './bus-url.js';

describe('parseBusUrl', () => {
  it('takes tcp://host:port as Modbus TCP, port 502 by default', () => {
    expect(parseBusUrl('tcp://10.0.0.5:1502')).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 1502 });
    expect(parseBusUrl('tcp://plc.local')).toMatchObject({
      kind: 'tcp',
      host: 'plc.local',
      port: 502,
      url: 'tcp://plc.local:502',
    });
  });

  it('takes rtu:// with serial settings from the query', () => {
    expect(parseBusUrl('rtu:///dev/ttyUSB0?baud=19200&parity=even&dataBits=8&stopBits=2')).toEqual({
      kind: 'rtu',
      path: '/dev/ttyUSB0',
      baudRate: 19200,
      parity: 'even',
      dataBits: 8,
      stopBits: 2,
      url: 'rtu:///dev/ttyUSB0?baud=19200&parity=even&dataBits=8&stopBits=2',
    });
  });

  it('takes a bare device path as RTU at 9600 8N1', () => {
    expect(parseBusUrl('/dev/ttyAMA0')).toMatchObject({
      kind: 'rtu',
      path: '/dev/ttyAMA0',
      baudRate: 9600,
      parity: 'none',
      dataBits: 8,
      stopBits: 1,
    });
  });

  it('names the bad part of a URL it refuses', () => {
    expect(() => parseBusUrl('rtu:///dev/ttyUSB0?baud=9601')).toThrow(/baud must be one of/);
    expect(() => parseBusUrl('rtu:///dev/ttyUSB0?speed=9600')).toThrow(/speed|Unrecognized/i);
    expect(() => parseBusUrl('udp://1.2.3.4:502')).toThrow(/unknown scheme "udp:"/);
    expect(() => parseBusUrl('ttyUSB0')).toThrow(expect.objectContaining({ code: 'MODBUS_BUS_URL_INVALID' }));
  });

  it('names the key and its allowed values in every query error', () => {
    expect(() => parseBusUrl('rtu:///dev/ttyUSB0?stopBits=3')).toThrow(/stopBits=3: stopBits must be one of 1, 2/);
    expect(() => parseBusUrl('rtu:///dev/ttyUSB0?dataBits=9')).toThrow(/dataBits=9: dataBits must be one of 7, 8/);
    expect(() => parseBusUrl('rtu:///dev/ttyUSB0?parity=mark')).toThrow(
      /parity=mark: parity must be one of none, even, odd/,
    );
    expect(() => parseBusUrl('rtu:///dev/ttyUSB0?baud=fast')).toThrow(/baud=fast: baud must be one of 1200, 2400/);
    expect(() => parseBusUrl('rtu:///dev/ttyUSB0?stopbits=2')).toThrow(
      /unknown key stopbits; allowed keys: baud, parity, dataBits, stopBits/,
    );
    // every problem at once, not only the first
    expect(() => parseBusUrl('rtu:///dev/ttyUSB0?stopBits=3&parity=x')).toThrow(
      /parity=x.*stopBits=3|stopBits=3.*parity=x/,
    );
  });
});
