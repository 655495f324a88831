import { z } from 'zod';
import { log } from '../../lib/log.js';
import { Id } from '../../protocol/schemas/common.js';
import type { ModbusBus } from './bus.js';
import { ModbusError } from './errors.js';
import { loadProfile } from './profile.js';

const logger = log.child({ mod: 'relay-board' });

/** One valve or pump wired to one relay (coil) of a board on a bus. */
export const ActuatorConfigSchema = z.object({
  id: Id,
  bus: z.string().min(1),
  unitId: z.number().int().min(1).max(247).default(1),
  /** 0-based coil address, or the coil's name in `profile` (e.g. "relay3") */
  coil: z.union([z.number().int().min(0).max(0xffff), z.string().min(1)]),
  profile: z.string().optional(),
  kind: z.enum(['valve', 'intake', 'pump']).default('valve'),
});
export type ActuatorConfig = z.input<typeof ActuatorConfigSchema>;

interface Actuator {
  id: string;
  bus: ModbusBus;
  unitId: number;
  coil: number;
  kind: 'valve' | 'intake' | 'pump';
}

export interface RelayBoardOptions {
  buses: Map<string, ModbusBus> | Record<string, ModbusBus>;
  actuators: ActuatorConfig[];
}

/**
 * Drives valves and pumps as coils. `set` writes the coil (function 5) through the bus queue and
 * reads it back (function 1): a relay that did not follow is an error, never assumed done.
 */
export class RelayBoard {
  private readonly actuators = new Map<string, Actuator>();

  constructor(options: RelayBoardOptions) {
    const buses = options.buses instanceof Map ? options.buses : new Map(Object.entries(options.buses));
    for (const raw of options.actuators) {
      const parsed = ActuatorConfigSchema.safeParse(raw);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator ${String(raw.id)}: ${i?.path.join('.')}: ${i?.message}`, { cause: parsed.error });
      }
      const a = parsed.data;
      const bus = buses.get(a.bus);
      if (!bus) throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator ${a.id}: no bus "${a.bus}"`);
      if (this.actuators.has(a.id)) throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator id "${a.id}" is used twice`);
      this.actuators.set(a.id, { id: a.id, bus, unitId: a.unitId, coil: resolveCoil(a), kind: a.kind });
    }
  }

  ids(): string[] {
    return [...this.actuators.keys()];
  }

  kind(id: string): 'valve' | 'intake' | 'pump' {
    return this.get_(id).kind;
  }

  /** Switches one actuator and confirms by reading the coil back. */
  async set(id: string, on: boolean): Promise<void> {
    const a = this.get_(id);
    await a.bus.writeCoil(a.unitId, a.coil, on);
    const [state] = await a.bus.read(a.unitId, 1, a.coil, 1, { urgent: true });
    if ((state === 1) !== on) {
      throw new ModbusError('MODBUS_RELAY_MISMATCH',
        `${id}: relay ${a.coil} on unit ${a.unitId} reads ${state === 1 ? 'on' : 'off'} after being set ${on ? 'on' : 'off'}: check the board`,
        { context: { actuator: id, bus: a.bus.name, unitId: a.unitId, coil: a.coil } });
    }
    logger.info({ actuator: id, on }, 'actuator set');
  }

  /** Reads the coil: true = energised (valve open / pump on). */
  async get(id: string): Promise<boolean> {
    const a = this.get_(id);
    const [state] = await a.bus.read(a.unitId, 1, a.coil, 1);
    return state === 1;
  }

  /**
   * Everything off, every actuator tried even when some fail (start-up and stop-all);
   * reports which closed and which did not.
   */
  async closeAll(): Promise<{ closed: string[]; failed: { id: string; error: ModbusError }[] }> {
    const results = await Promise.all([...this.actuators.keys()].map(async (id) => {
      try {
        await this.set(id, false);
        return { id };
      } catch (err) {
        return { id, error: err as ModbusError };
      }
    }));
    const closed = results.filter((r) => !r.error).map((r) => r.id);
    const failed = results.filter((r): r is { id: string; error: ModbusError } => !!r.error);
    if (failed.length) logger.error({ failed: failed.map((f) => f.id) }, 'could not close every actuator');
    return { closed, failed };
  }

  private get_(id: string): Actuator {
    const a = this.actuators.get(id);
    if (!a) throw new ModbusError('MODBUS_CONFIG_INVALID', `no actuator "${id}"; known: ${this.ids().join(', ')}`);
    return a;
  }
}

function resolveCoil(a: z.output<typeof ActuatorConfigSchema>): number {
  if (typeof a.coil === 'number') return a.coil;
  if (/^\d+$/.test(a.coil)) return Number(a.coil);
  if (!a.profile) throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator ${a.id}: coil "${a.coil}" is a name, so give the board's profile`);
  const coil = loadProfile(a.profile).coils.find((c) => c.name === a.coil);
  if (!coil) throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator ${a.id}: profile ${a.profile} has no coil "${a.coil}"`);
  return coil.address;
}
