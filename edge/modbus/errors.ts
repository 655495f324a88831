import { RuongSoError } from '../../lib/errors.js';

/** Stable codes of the Modbus layer; the fault names match protocol `Reading.fault`. */
export type ModbusErrorCode =
  | 'MODBUS_TIMEOUT'
  | 'MODBUS_CRC'
  | 'MODBUS_EXCEPTION'
  | 'MODBUS_UNIT_ID'
  | 'MODBUS_DISCONNECTED'
  | 'MODBUS_SLAVE_BACKOFF'
  | 'MODBUS_BUS_STOPPED'
  | 'MODBUS_BUS_URL_INVALID'
  | 'MODBUS_PROFILE_INVALID'
  | 'MODBUS_PROFILE_NOT_FOUND'
  | 'MODBUS_CONFIG_INVALID'
  | 'MODBUS_RELAY_MISMATCH';

export type ModbusFault = 'timeout' | 'crc' | 'exception' | 'out_of_range' | 'unit_id' | 'disconnected';

export class ModbusError extends RuongSoError<ModbusErrorCode> {
  /** the fault a reading carries when this error made it bad */
  get fault(): ModbusFault {
    return FAULT_OF[this.code] ?? (this.context?.fault as ModbusFault | undefined) ?? 'disconnected';
  }
}

const FAULT_OF: Partial<Record<ModbusErrorCode, ModbusFault>> = {
  MODBUS_TIMEOUT: 'timeout',
  MODBUS_CRC: 'crc',
  MODBUS_EXCEPTION: 'exception',
  MODBUS_UNIT_ID: 'unit_id',
  MODBUS_DISCONNECTED: 'disconnected',
  MODBUS_BUS_STOPPED: 'disconnected',
};

const EXCEPTION_NAMES: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'slave device failure',
  5: 'acknowledge',
  6: 'slave device busy',
  10: 'gateway path unavailable',
  11: 'gateway target failed to respond',
};

export interface RequestContext {
  bus: string;
  unitId: number;
  fc: number;
  address: number;
}

/**
 * Turns what modbus-serial throws (plain objects, Errors with only a message) into one
 * ModbusError with a fault kind, so callers never parse library messages themselves.
 */
export function classifyError(err: unknown, ctx: RequestContext): ModbusError {
  if (err instanceof ModbusError) return err;
  const e = (err ?? {}) as { name?: string; message?: string; errno?: string; modbusCode?: number; code?: string };
  const msg = e.message ?? String(err);
  const where = `unit ${ctx.unitId} on bus ${ctx.bus} (function ${ctx.fc}, address ${ctx.address})`;
  const context = { ...ctx } as Record<string, unknown>;
  if (e.name === 'TransactionTimedOutError' || e.errno === 'ETIMEDOUT' || /timed out/i.test(msg)) {
    return new ModbusError('MODBUS_TIMEOUT', `no reply from ${where}: check wiring, baud rate and unit id`, {
      cause: err,
      context,
    });
  }
  if (typeof e.modbusCode === 'number') {
    const name = EXCEPTION_NAMES[e.modbusCode] ?? 'unknown';
    return new ModbusError(
      'MODBUS_EXCEPTION',
      `${where} answered exception ${e.modbusCode} (${name}): check the profile's register address and function code`,
      { cause: err, context: { ...context, exceptionCode: e.modbusCode } },
    );
  }
  if (/CRC/i.test(msg) || /Data length error/i.test(msg)) {
    return new ModbusError(
      'MODBUS_CRC',
      `garbled reply from ${where} (${msg}): check termination, cabling and baud rate`,
      { cause: err, context },
    );
  }
  if (/expected address/i.test(msg)) {
    return new ModbusError(
      'MODBUS_UNIT_ID',
      `reply from the wrong unit for ${where} (${msg}): two devices may share one unit id`,
      { cause: err, context },
    );
  }
  return new ModbusError('MODBUS_DISCONNECTED', `bus ${ctx.bus} is not connected (${msg})`, { cause: err, context });
}
