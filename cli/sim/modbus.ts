/** `ruongso sim modbus`, loaded only when it runs: options checked with zod, then one device served. */
import { z } from 'zod';
import { RuongSoError } from '../../lib/errors.js';
import { issueSummary } from '../../lib/zod-issues.js';
import { driftingValues, openPtyPair, startModbusSimulator, type PtyPair } from '../../simulators/modbus/index.js';
import { FAULTS } from '../commands/sim-modbus.js';

const Options = z
  .object({
    profile: z.string().min(1),
    tcp: z.coerce.number().int().min(1).max(65535).optional(),
    host: z.string().default('127.0.0.1'),
    serial: z.string().optional(),
    pty: z.boolean().optional(),
    baud: z.coerce.number().int().positive().default(9600),
    unit: z.coerce.number().int().min(1).max(247).default(1),
    fault: z.array(z.enum(FAULTS)).default([]),
  })
  .refine((o) => [o.tcp !== undefined, !!o.serial, !!o.pty].filter(Boolean).length === 1, {
    message: 'give exactly one of --tcp PORT, --serial PATH or --pty',
  });

export async function runSimModbus(raw: Record<string, unknown>): Promise<void> {
  const parsed = Options.safeParse(raw);
  if (!parsed.success) {
    // an option is named as it is typed (--tcp); a rule across options by its message alone
    const why = issueSummary(parsed.error, { max: 1, where: (_i, path) => (path ? `--${path}` : '') });
    throw new RuongSoError('CLI_USAGE', `sim modbus: ${why}`);
  }
  await serve(parsed.data);
}

async function serve(o: z.output<typeof Options>): Promise<void> {
  let pty: PtyPair | undefined;
  if (o.pty) pty = await openPtyPair();
  const transport =
    o.tcp !== undefined
      ? { transport: 'tcp' as const, port: o.tcp, host: o.host }
      : { transport: 'rtu' as const, path: pty ? pty.b : o.serial!, baudRate: o.baud };
  const sim = await startModbusSimulator(transport, {
    unitId: o.unit,
    profile: o.profile,
    values: driftingValues(),
    onCoilWrite: (coil, on) =>
      process.stdout.write(`coil ${coil.address}${coil.name ? ` (${coil.name})` : ''} → ${on ? 'on' : 'off'}\n`),
  });
  for (const f of o.fault) sim.setFault(f, true);
  const gatewaySide = pty ? `rtu://${pty.a}?baud=${o.baud}` : sim.url;
  const d = sim.device();
  process.stdout.write(`serving ${d.profile.name} as unit ${d.unitId}; point the gateway at ${gatewaySide}\n`);
  for (const p of d.profile.points)
    process.stdout.write(`  ${p.metric} fc${p.function} @${p.address} (${p.type}) ≈ ${d.value(p)} ${p.unit}\n`);
  if (o.fault.length) process.stdout.write(`  faults on: ${o.fault.join(', ')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.stop();
  await pty?.close();
}
