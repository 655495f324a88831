import { readdirSync } from 'node:fs';
import type { Command } from 'commander';
import { simCommand } from '../main.js';

export const FAULTS = ['timeout', 'crc', 'unit_id', 'exception', 'stuck', 'out_of_range'] as const;

/** Names of the shipped profiles, read from edge/profiles/ so that `--help` loads no Modbus code. */
function shippedProfiles(): string[] {
  return readdirSync(new URL('../../edge/profiles/', import.meta.url))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function register(program: Command): void {
  simCommand(program)
    .command('modbus')
    .description('serve one simulated Modbus sensor or relay board with plausible drifting values')
    .requiredOption(
      '--profile <name|path>',
      `device profile: shipped (${shippedProfiles().join(', ')}) or a YAML/JSON file`,
    )
    .option('--tcp <port>', 'serve Modbus TCP on this port')
    .option('--host <address>', 'address to bind for --tcp', '127.0.0.1')
    .option('--serial <path>', 'serve Modbus RTU on this serial device (e.g. one end of a socat PTY pair)')
    .option('--pty', 'open a socat PTY pair, serve RTU on one end and print the other for the gateway')
    .option('--baud <rate>', 'serial baud rate', '9600')
    .option('--unit <id>', 'Modbus unit (slave) id, 1–247', '1')
    .option(
      '--fault <name>',
      `start with a fault injected (repeatable): ${FAULTS.join(', ')}`,
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ruongso sim modbus --profile soil-rs485-4in1 --tcp 1502\n  ruongso sim modbus --profile paddy-water-level --pty --unit 2\n  mbpoll -m tcp -p 1502 -r 1 -c 4 127.0.0.1   # read it back',
    )
    .action(async (raw: Record<string, unknown>) => {
      const { runSimModbus } = await import('../sim/modbus.js');
      await runSimModbus(raw);
    });
}
