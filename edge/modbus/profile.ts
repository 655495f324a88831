import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { acceptedUnits, metricInfo, unitConversion } from '../../protocol/metrics.js';
import { Metric } from '../../protocol/schemas/messages.js';
import { ID_PATTERN } from '../../protocol/topics.js';
import { issueSummary } from '../../lib/zod-issues.js';
import { ModbusError } from './errors.js';
import { registerCount, type WordOrder } from './decode.js';

/** where the shipped profiles live */
export const PROFILES_DIR = fileURLToPath(new URL('../profiles/', import.meta.url));

const FUNCTION_OF_PREFIX: Record<string, 1 | 2 | 3 | 4> = { '0': 1, '1': 2, '3': 4, '4': 3 };

/**
 * An address is the 0-based number that goes on the wire (0x0000 = first register), or a
 * Modicon reference as a string ("40001" / "4x0001" = holding register 0). See profiles/README.md.
 */
const Address = z.union([
  z
    .number()
    .int('address must be a whole number')
    .min(0, 'address must be ≥ 0')
    .max(0xffff, 'address must be ≤ 65535 (0xFFFF)'),
  z
    .string()
    .regex(
      /^([0134])x?(\d{4,5})$/i,
      'address as a string must be a Modicon reference like "40001" or "4x0001"; use a plain number (e.g. 0x0000) for the 0-based address',
    ),
]);

function modicon(ref: string): { fc: 1 | 2 | 3 | 4; address: number } {
  const m = /^([0134])x?(\d{4,5})$/i.exec(ref)!;
  return { fc: FUNCTION_OF_PREFIX[m[1]!]!, address: Number(m[2]) - 1 };
}

const PointInput = z
  .object({
    metric: Metric,
    /** 3 holding registers, 4 input registers, 1 coils, 2 discrete inputs */
    function: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
    address: Address,
    type: z.enum(['u16', 'i16', 'u32', 'i32', 'f32', 'bool']).optional(),
    /** byte order of a 32-bit value over its two registers; big = ABCD, little = CDAB (older profiles) */
    wordOrder: z
      .enum(['ABCD', 'CDAB', 'BADC', 'DCBA', 'big', 'little'], {
        message:
          'wordOrder must be one of ABCD (high word first), CDAB (low word first), BADC (bytes swapped), DCBA (both)',
      })
      .transform((w): WordOrder => (w === 'big' ? 'ABCD' : w === 'little' ? 'CDAB' : w))
      .default('ABCD'),
    scale: z
      .number()
      .refine((s) => s !== 0, 'scale must not be 0')
      .default(1),
    offset: z.number().default(0),
    unit: z.string().min(1).max(16).optional(),
    /** valid range in engineering units (after scale and offset); defaults to the metric's range */
    range: z
      .object({ min: z.number(), max: z.number() })
      .refine((r) => r.min < r.max, 'range.min must be below range.max')
      .optional(),
    description: z.string().max(200).optional(),
  })
  .strict();

const CoilInput = z
  .object({
    name: z.string().regex(ID_PATTERN, 'coil name: 1–64 of a-z, 0-9, "-" or "_"'),
    address: Address,
    kind: z.enum(['valve', 'intake', 'pump', 'relay']).default('relay'),
    description: z.string().max(200).optional(),
  })
  .strict();

const ProfileInput = z
  .object({
    name: z.string().regex(ID_PATTERN, 'name: 1–64 of a-z, 0-9, "-" or "_"'),
    description: z.string().max(500).optional(),
    vendor: z.string().max(100).optional(),
    serial: z
      .object({
        baud: z.number().int().default(9600),
        parity: z.enum(['none', 'even', 'odd']).default('none'),
        dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
        stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
      })
      .strict()
      .optional(),
    defaultUnitId: z.number().int().min(1).max(247).default(1),
    pollSeconds: z.number().min(1, 'pollSeconds must be ≥ 1').max(86_400).default(30),
    /** largest single read; some cheap sensors reject long reads */
    maxReadRegisters: z.number().int().min(1).max(125).default(125),
    points: z.array(PointInput).default([]),
    coils: z.array(CoilInput).default([]),
  })
  .strict();

export interface ProfilePoint {
  metric: string;
  function: 1 | 2 | 3 | 4;
  address: number;
  type: 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'bool';
  wordOrder: WordOrder;
  /** after the unit conversion: raw × scale + offset is in `unit` */
  scale: number;
  offset: number;
  /** the metric's canonical unit (protocol/metrics.ts), or the profile's own for an unknown metric */
  unit: string;
  /** in `unit` */
  range: { min: number; max: number };
  description?: string;
}

export interface ProfileCoil {
  name: string;
  address: number;
  kind: 'valve' | 'intake' | 'pump' | 'relay';
  description?: string;
}

/** The DeviceProfile zod schema: validates and normalises a profile file. */
export const DeviceProfileSchema = ProfileInput.transform((p, ctx) => {
  const points: ProfilePoint[] = [];
  p.points.forEach((pt, i) => {
    const at = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', message, path: ['points', i, field] });
    let fc = pt.function;
    let address: number;
    if (typeof pt.address === 'string') {
      const ref = modicon(pt.address);
      if (fc !== undefined && fc !== ref.fc)
        at('address', `Modicon reference "${pt.address}" is function ${ref.fc}, but function: ${fc} is set`);
      fc = ref.fc;
      address = ref.address;
    } else {
      address = pt.address;
    }
    fc ??= 3;
    const bitTable = fc === 1 || fc === 2;
    const type = pt.type ?? (bitTable ? 'bool' : 'u16');
    if (bitTable !== (type === 'bool'))
      at(
        'type',
        bitTable
          ? `function ${fc} reads bits: type must be bool`
          : `type bool needs function 1 (coils) or 2 (discrete inputs)`,
      );
    if (address + registerCount(type) - 1 > 0xffff) at('address', `a ${type} at ${address} runs past register 65535`);
    const known = metricInfo(pt.metric);
    const conv = pt.unit === undefined ? undefined : unitConversion(pt.metric, pt.unit);
    if (conv === null)
      at(
        'unit',
        `metric "${pt.metric}" does not accept unit "${pt.unit}"; accepted: ${acceptedUnits(pt.metric)!.join(', ')}`,
      );
    const unit = known?.unit ?? pt.unit;
    if (!unit) at('unit', `metric "${pt.metric}" is not a known metric: give its unit`);
    // a known metric leaves the profile in its canonical unit: the conversion folds into scale/offset
    const f = conv?.factor ?? 1;
    const o = conv?.offset ?? 0;
    const range = pt.range
      ? { min: pt.range.min * f + o, max: pt.range.max * f + o }
      : known
        ? { min: known.min, max: known.max }
        : undefined;
    if (!range) at('range', `metric "${pt.metric}" is not a known metric: give its valid range {min, max}`);
    if (points.some((q) => q.metric === pt.metric)) at('metric', `metric "${pt.metric}" appears twice in one profile`);
    points.push({
      metric: pt.metric,
      function: fc,
      address,
      type,
      wordOrder: pt.wordOrder,
      scale: pt.scale * f,
      offset: pt.offset * f + o,
      unit: unit ?? '',
      range: range ?? { min: 0, max: 0 },
      ...(pt.description ? { description: pt.description } : {}),
    });
  });
  const coils: ProfileCoil[] = p.coils.map((c, i) => {
    let address = typeof c.address === 'number' ? c.address : modicon(c.address).address;
    if (typeof c.address === 'string' && modicon(c.address).fc !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `coil "${c.name}": "${c.address}" is not a coil reference (0xxxx)`,
        path: ['coils', i, 'address'],
      });
      address = 0;
    }
    return { name: c.name, address, kind: c.kind, ...(c.description ? { description: c.description } : {}) };
  });
  if (points.length === 0 && coils.length === 0)
    ctx.addIssue({ code: 'custom', message: 'a profile needs at least one point or coil', path: ['points'] });
  return { ...p, points, coils };
});

export type DeviceProfile = z.output<typeof DeviceProfileSchema>;
export type DeviceProfileInput = z.input<typeof DeviceProfileSchema>;

/** Validates a parsed profile; the error names the source and the field. */
export function parseProfile(data: unknown, source = 'profile'): DeviceProfile {
  const r = DeviceProfileSchema.safeParse(data);
  if (!r.success) {
    throw new ModbusError(
      'MODBUS_PROFILE_INVALID',
      `${source} is not a valid device profile: ${issueSummary(r.error, 5, '(top level)')}`,
      { cause: r.error, context: { source } },
    );
  }
  return r.data;
}

export function shippedProfiles(): string[] {
  return [
    'soil-rs485-4in1',
    'soil-npk-7in1',
    'paddy-water-level',
    'intake-salinity',
    'relay-board-8ch',
    'rain-gauge-rs485',
    'anemometer-rs485',
    'soil-ec-salinity-tds',
  ];
}

/** Loads a shipped profile by name ("soil-rs485-4in1") or a user's file by path (YAML or JSON). */
export function loadProfile(nameOrPath: string): DeviceProfile {
  const isPath = /[\\/]/.test(nameOrPath) || /\.(ya?ml|json)$/i.test(nameOrPath);
  const file = isPath ? path.resolve(nameOrPath) : path.join(PROFILES_DIR, `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    throw new ModbusError(
      'MODBUS_PROFILE_NOT_FOUND',
      isPath
        ? `device profile file ${file} does not exist`
        : `no shipped device profile "${nameOrPath}"; shipped: ${shippedProfiles().join(', ')} (or give a path to your own YAML/JSON file)`,
      { context: { profile: nameOrPath } },
    );
  }
  let data: unknown;
  try {
    // YAML is a superset of JSON: one parser for both
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ModbusError(
      'MODBUS_PROFILE_INVALID',
      `device profile ${file} is not valid YAML/JSON: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return parseProfile(data, `device profile ${file}`);
}
