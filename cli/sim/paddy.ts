/** `ruongso sim paddy`, loaded only when it runs. */
import { z } from 'zod';
import { RuongSoError } from '../../lib/errors.js';
import { issueSummary } from '../../lib/zod-issues.js';

const Options = z.object({
  tcp: z.coerce.number().int().min(1).max(65535),
  host: z.string().default('127.0.0.1'),
  seed: z.coerce.number().int().default(1),
  speed: z.coerce.number().positive().max(100_000).default(1),
  level: z.coerce.number().min(-40).max(20).default(-5),
  salinity: z.coerce.number().min(0).max(60).optional(),
  noRain: z.boolean().optional(),
});

export async function runSimPaddy(raw: Record<string, unknown>): Promise<void> {
  const parsed = Options.safeParse({ ...raw, noRain: raw.rain === false });
  if (!parsed.success) {
    // an option is named as it is typed (--tcp); a rule across options by its message alone
    const why = issueSummary(parsed.error, { max: 1, where: (_i, path) => (path ? `--${path}` : '') });
    throw new RuongSoError('CLI_USAGE', `sim paddy: ${why}`);
  }
  await serve(parsed.data);
}

async function serve(o: z.output<typeof Options>): Promise<void> {
  const { startPaddySite, fastClock } = await import('../../simulators/paddy-site.js');
  const site = await startPaddySite({
    seed: o.seed,
    port: o.tcp,
    host: o.host,
    initialLevelCm: o.level,
    ...(o.speed !== 1 ? { clock: fastClock(o.speed) } : {}),
    ...(o.noRain ? { paddy: { rain: false }, soil: { rain: false } } : {}),
  });
  if (o.salinity !== undefined) site.setSalinity(o.salinity);
  process.stdout.write(`paddy site on ${site.busUrl} (seed ${o.seed}, field time ×${o.speed})\n`);
  const print = () => {
    const f = site.field();
    process.stdout.write(
      `${new Date(f.ts).toISOString()} level ${f.levelCm.toFixed(1)} cm  salinity ${f.salinityPpt.toFixed(2)}‰  ` +
        `soil ${f.moisturePct.toFixed(1)} %  intake ${f.intakeOpen ? 'OPEN' : 'closed'}  pump ${f.pumpOn ? 'ON' : 'off'}  sprinkler ${f.sprinklerOn ? 'ON' : 'off'}\n`,
    );
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
