import type { Command } from 'commander';
import { z } from 'zod';
import { RuongSoError } from '../../lib/errors.js';
import { simCommand } from '../main.js';

const Options = z.object({
  tcp: z.coerce.number().int().min(1).max(65535),
  host: z.string().default('127.0.0.1'),
  seed: z.coerce.number().int().default(1),
  speed: z.coerce.number().positive().max(100_000).default(1),
  level: z.coerce.number().min(-40).max(20).default(-5),
  salinity: z.coerce.number().min(0).max(60).optional(),
  noRain: z.boolean().optional(),
});

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
    .addHelpText('after', `
Relays on unit 4: relay5 (coil 4) = intake gate, relay7 (coil 6) = pump, relay1 (coil 0) = sprinkler.
Opening the intake floods the paddy (faster with the pump on); the level falls by evapotranspiration
(4–6 mm/day, by day) and percolation; canal salinity rises in the dry season with tides and spikes.

Example:
  ruongso sim paddy --tcp 5020 --speed 600 --level -14
  ruongso gateway --config examples/gateway.yaml`)
    .action(async (raw: Record<string, unknown>) => {
      const parsed = Options.safeParse({ ...raw, noRain: raw.rain === false });
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new RuongSoError('CLI_USAGE', `sim paddy: ${i?.path.length ? `--${i.path.join('.')}: ` : ''}${i?.message}`);
      }
      await serve(parsed.data);
    });
}

async function serve(o: z.output<typeof Options>): Promise<void> {
  const { startPaddySite, fastClock } = await import('../../simulators/paddy-site.js');
  const site = await startPaddySite({
    seed: o.seed, port: o.tcp, host: o.host, initialLevelCm: o.level,
    ...(o.speed !== 1 ? { clock: fastClock(o.speed) } : {}),
    ...(o.noRain ? { paddy: { rain: false }, soil: { rain: false } } : {}),
  });
  if (o.salinity !== undefined) site.setSalinity(o.salinity);
  process.stdout.write(`paddy site on ${site.busUrl} (seed ${o.seed}, field time ×${o.speed})\n`);
  const print = () => {
    const f = site.field();
    process.stdout.write(`${new Date(f.ts).toISOString()} level ${f.levelCm.toFixed(1)} cm  salinity ${f.salinityPpt.toFixed(2)}‰  `
      + `soil ${f.moisturePct.toFixed(1)} %  intake ${f.intakeOpen ? 'OPEN' : 'closed'}  pump ${f.pumpOn ? 'ON' : 'off'}  sprinkler ${f.sprinklerOn ? 'ON' : 'off'}\n`);
  };
  print();
  const timer = setInterval(print, 5000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  await site.stop();
}
