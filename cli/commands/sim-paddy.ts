import type { Command } from 'commander';
import { simCommand } from '../main.js';

/** `ruongso sim paddy`: a simulated paddy site whose field answers to its relay coils. */
export function register(program: Command): void {
  simCommand(program)
    .command('paddy')
    .description('simulate a paddy site on one Modbus TCP port: water level, intake salinity, soil sensor, relay board')
    .requiredOption('--tcp <port>', 'serve Modbus TCP on this port (units 1 water level, 2 salinity, 3 soil, 4 relays)')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--seed <n>', 'weather and salinity seed: same seed, same field', '1')
    .option('--speed <x>', 'field time runs this many times faster than wall time (3600 = an hour per second)', '1')
    .option('--level <cm>', 'initial water level, cm relative to the soil surface', '-5')
    .option('--salinity <ppt>', 'pin the canal salinity (‰) instead of the seasonal model')
    .option('--no-rain', 'no showers')
    .addHelpText(
      'after',
      `
Relays on unit 4: relay5 (coil 4) = intake gate, relay7 (coil 6) = pump, relay1 (coil 0) = sprinkler.
Opening the intake floods the paddy (faster with the pump on); the level falls by evapotranspiration
(4–6 mm/day, by day) and percolation; canal salinity rises in the dry season with tides and spikes.

Example:
  ruongso sim paddy --tcp 5020 --speed 600 --level -14
  ruongso gateway --config examples/gateway.yaml`,
    )
    .action(async (raw: Record<string, unknown>) => {
      const { runSimPaddy } = await import('../sim/paddy.js');
      await runSimPaddy(raw);
    });
}
