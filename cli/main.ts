import { Command, CommanderError } from 'commander';
import { RuongSoError } from '../lib/errors.js';
import * as admin from './commands/admin.js';
import * as broker from './commands/broker.js';
import * as cloud from './commands/cloud.js';
import * as demo from './commands/demo.js';
import * as gateway from './commands/gateway.js';
import * as plan from './commands/plan.js';
import * as simDrone from './commands/sim-drone.js';
import * as simModbus from './commands/sim-modbus.js';
import * as simPaddy from './commands/sim-paddy.js';

/**
 * Each file in cli/commands/ exports `register(program)` and adds one subcommand; a feature's
 * command lives with nothing else's. A command file imports only commander at its top and loads
 * its implementation in its action (`await import(…)`), so `ruongso --help` loads almost nothing.
 */
export interface CommandModule {
  register(program: Command): void;
}

/** Every command file, listed so that the built distribution (one bundle) holds them all. */
const COMMANDS: CommandModule[] = [admin, broker, cloud, demo, gateway, plan, simDrone, simModbus, simPaddy];

/** The shared `ruongso sim …` parent: several command files add simulators under it. */
export function simCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'sim') ??
    program.command('sim').description('run simulators: Modbus sensors and relay boards, paddies, a spray drone')
  );
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('ruongso')
    .description('Ruộng Số — irrigation gateways, telemetry cloud and drone spray missions for rice districts')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const mod of COMMANDS) mod.register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  // `help X` as `X --help`: the subcommand's own hooks run, so help texts loaded lazily show too
  const args = argv[2] === 'help' && argv.length > 3 ? [...argv.slice(0, 2), ...argv.slice(3), '--help'] : argv;
  try {
    await program.parseAsync(args);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof RuongSoError) {
      process.stderr.write(`ruongso: ${err.message} [${err.code}]\n`);
    } else {
      process.stderr.write(`ruongso: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = 1;
  }
}
