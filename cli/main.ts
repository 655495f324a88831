import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { RuongSoError } from '../lib/errors.js';

/**
 * Each file in cli/commands/ exports `register(program)` and adds one subcommand; a feature's
 * command lives with nothing else's.
 */
export interface CommandModule {
  register(program: Command): void;
}

/** The shared `ruongso sim …` parent: several command files add simulators under it. */
export function simCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'sim')
    ?? program.command('sim').description('run simulators: Modbus sensors and relay boards, paddies, a spray drone');
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('ruongso')
    .description('Ruộng Số — irrigation gateways, telemetry cloud and drone spray missions for rice districts')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  const dir = fileURLToPath(new URL('./commands/', import.meta.url));
  const files = readdirSync(dir).filter((f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f)).sort();
  for (const f of files) {
    const mod = (await import(new URL(`./commands/${f}`, import.meta.url).href)) as CommandModule;
    mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof RuongSoError) {
      process.stderr.write(`ruongso: ${err.message} [${err.code}]\n`);
    } else {
      process.stderr.write(`ruongso: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    }
    process.exitCode = 1;
  }
}
