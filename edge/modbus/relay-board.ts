import { z } from 'zod';
import { log } from '../../lib/log.js';
import { Id } from '../../protocol/schemas/common.js';
import type { ModbusBus } from './bus.js';
import { issueSummary } from '../../lib/zod-issues.js';
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

/** A whole board: every coil that start and stop switch off, actuator or not (exempt coils left out). */
export interface BoardCoils {
  /** the board's device id, for logs */
  device: string;
  bus: string;
  unitId: number;
  coils: Array<{ address: number; kind: 'valve' | 'intake' | 'pump' | 'relay' }>;
}

export interface RelayBoardOptions {
  buses: Map<string, ModbusBus> | Record<string, ModbusBus>;
  actuators: ActuatorConfig[];
  /** boards whose other coils closeAll also switches off (a relay wired by hand, left ON by a test) */
  boards?: BoardCoils[];
  /** closeAll: pumps off first, then this long before the valves close (the pump runs down against open valves) */
  pumpStopDelayMs?: number;
}

export interface CloseAllResult {
  closed: string[];
  failed: { id: string; error: ModbusError }[];
  /** coils of a board that are no actuator and did not switch off (`device:coil`) */
  sparesFailed: string[];
}

/**
 * Drives valves and pumps as coils. `set` writes the coil (function 5) through the bus queue and
 * reads it back (function 1): a relay that did not follow is an error, never assumed done.
 */
export class RelayBoard {
  private readonly actuators = new Map<string, Actuator>();
  private readonly spares: Array<{ id: string; bus: ModbusBus; unitId: number; coil: number; pump: boolean }> = [];
  private readonly pumpStopDelayMs: number;

  constructor(options: RelayBoardOptions) {
    const buses = options.buses instanceof Map ? options.buses : new Map(Object.entries(options.buses));
    this.pumpStopDelayMs = options.pumpStopDelayMs ?? 0;
    for (const raw of options.actuators) {
      const parsed = ActuatorConfigSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator ${String(raw.id)}: ${issueSummary(parsed.error)}`, {
          cause: parsed.error,
        });
      }
      const a = parsed.data;
      const bus = buses.get(a.bus);
      if (!bus) throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator ${a.id}: no bus "${a.bus}"`);
      if (this.actuators.has(a.id))
        throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator id "${a.id}" is used twice`);
      this.actuators.set(a.id, { id: a.id, bus, unitId: a.unitId, coil: resolveCoil(a), kind: a.kind });
    }
    for (const b of options.boards ?? []) {
      const bus = buses.get(b.bus);
      if (!bus) throw new ModbusError('MODBUS_CONFIG_INVALID', `board ${b.device}: no bus "${b.bus}"`);
      for (const c of b.coils) {
        const taken = [...this.actuators.values()].some(
          (a) => a.bus === bus && a.unitId === b.unitId && a.coil === c.address,
        );
        if (!taken)
          this.spares.push({
            id: `${b.device}:${c.address}`,
            bus,
            unitId: b.unitId,
            coil: c.address,
            pump: c.kind === 'pump',
          });
      }
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
      throw new ModbusError(
        'MODBUS_RELAY_MISMATCH',
        `${id}: relay ${a.coil} on unit ${a.unitId} reads ${state === 1 ? 'on' : 'off'} after being set ${on ? 'on' : 'off'}: check the board`,
        { context: { actuator: id, bus: a.bus.name, unitId: a.unitId, coil: a.coil } },
      );
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
   * Everything off, every coil tried even when some fail (start-up, stop, stop-all): pumps first,
   * then after pumpStopDelayMs the valves and the boards' other coils — a pump must never push
   * against valves that are already shut. Reports which closed and which did not.
   */
  async closeAll(): Promise<CloseAllResult> {
    const ids = [...this.actuators.keys()];
    const pumps = ids.filter((id) => this.kind(id) === 'pump');
    const spares = (pump: boolean) => this.spares.filter((c) => c.pump === pump);
    const first = await Promise.all([
      ...pumps.map((id) => this.tryOff(id)),
      ...spares(true).map((c) => this.spareOff(c)),
    ]);
    if (this.pumpStopDelayMs > 0 && first.length > 0) await new Promise((r) => setTimeout(r, this.pumpStopDelayMs));
    const rest = await Promise.all([
      ...ids.filter((id) => this.kind(id) !== 'pump').map((id) => this.tryOff(id)),
      ...spares(false).map((c) => this.spareOff(c)),
    ]);
    const results = [...first, ...rest];
    const closed = results.filter((r) => r.actuator && !r.error).map((r) => r.id);
    const failed = results.filter(
      (r): r is { id: string; actuator: true; error: ModbusError } => r.actuator && !!r.error,
    );
    const sparesFailed = results.filter((r) => !r.actuator && r.error).map((r) => r.id);
    if (failed.length || sparesFailed.length)
      logger.error({ failed: failed.map((f) => f.id), sparesFailed }, 'could not close every coil');
    return { closed, failed, sparesFailed };
  }

  private async tryOff(id: string): Promise<{ id: string; actuator: boolean; error?: ModbusError }> {
    try {
      await this.set(id, false);
      return { id, actuator: true };
    } catch (err) {
      return { id, actuator: true, error: err as ModbusError };
    }
  }

  private async spareOff(
    c: RelayBoard['spares'][number],
  ): Promise<{ id: string; actuator: boolean; error?: ModbusError }> {
    try {
      await c.bus.writeCoil(c.unitId, c.coil, false);
      const [state] = await c.bus.read(c.unitId, 1, c.coil, 1, { urgent: true });
      if (state === 1)
        throw new ModbusError(
          'MODBUS_RELAY_MISMATCH',
          `coil ${c.coil} on unit ${c.unitId} still reads on after being set off`,
        );
      return { id: c.id, actuator: false };
    } catch (err) {
      return {
        id: c.id,
        actuator: false,
        error: err instanceof ModbusError ? err : new ModbusError('MODBUS_DISCONNECTED', String(err), { cause: err }),
      };
    }
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
  if (!a.profile)
    throw new ModbusError(
      'MODBUS_CONFIG_INVALID',
      `actuator ${a.id}: coil "${a.coil}" is a name, so give the board's profile`,
    );
  const coil = loadProfile(a.profile).coils.find((c) => c.name === a.coil);
  if (!coil)
    throw new ModbusError('MODBUS_CONFIG_INVALID', `actuator ${a.id}: profile ${a.profile} has no coil "${a.coil}"`);
  return coil.address;
}
