/**
 * Runs one gateway from its config file until a signal: `ruongso gateway --config FILE` calls
 * `runGateway`, and this file is also the entry of the deployed bundle (`npm run build:edge` →
 * `MALLOC_ARENA_MAX=2 node --max-semi-space-size=1 --lite-mode dist/gateway.mjs --config FILE`), which skips tsx and the rest of
 * the CLI to stay under the 80 MB a small board can spare.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { log } from '../lib/log.js';
import { errorMessage } from '../lib/errors.js';
import { checkGatewayConfig } from './check.js';
import { loadGatewayFile, type GatewayFile } from './config.js';
import { GatewayError } from './errors.js';
import { Gateway } from './gateway.js';
import { LocalControl } from './local-control.js';
import { PROFILES_DIR } from './modbus/index.js';

const logger = log.child({ mod: 'gateway-main' });

/**
 * Shipped profiles by path. In the bundle, PROFILES_DIR is computed from dist/gateway.mjs and
 * points nowhere, so the shipped profiles are found beside it in ../edge/profiles.
 */
function withProfilePaths(file: GatewayFile, bundleUrl: string): GatewayFile {
  if (existsSync(PROFILES_DIR)) return file;
  const dir = fileURLToPath(new URL('../edge/profiles/', bundleUrl));
  const isPath = (p: string) => /[\\/]/.test(p) || /\.(ya?ml|json)$/i.test(p);
  return {
    ...file,
    devices: file.devices.map((d) => (isPath(d.profile) ? d : { ...d, profile: path.join(dir, `${d.profile}.yaml`) })),
  };
}

export interface RunOptions {
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/** Starts the gateway and its local control endpoint; closes every valve and exits on a signal or a crash. */
export async function runGateway(configFile: string, opts: RunOptions = {}): Promise<never> {
  const out = opts.out ?? process.stdout;
  const errOut = opts.err ?? process.stderr;
  const file = withProfilePaths(loadGatewayFile(configFile), import.meta.url);
  // the same checks as `ruongso gateway --check`: a file that cannot run is refused whole, with every problem
  const check = checkGatewayConfig(file);
  if (check.problems.length) {
    throw new GatewayError(
      'GATEWAY_CONFIG_INVALID',
      `${configFile}: ${check.problems.length} problem(s):\n  ${check.problems.join('\n  ')}`,
    );
  }
  for (const w of check.warnings) logger.warn({ file: configFile }, w);
  const gw = new Gateway(file);
  gw.on('event', (e) => out.write(`${new Date(e.ts).toISOString()} ${e.kind.padEnd(14)} ${e.reason}\n`));
  const local = file.local ? new LocalControl(gw, file.local) : undefined;
  // valves fail closed: on a signal and on anything unexpected, close all before exiting
  let stopping: Promise<void> | undefined;
  const stop = (code: number) => {
    stopping ??= Promise.resolve(local?.stop())
      .catch(() => undefined)
      .then(() => gw.stop())
      .catch(() => undefined)
      .finally(() => process.exit(code));
    return stopping;
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  process.once('uncaughtException', (err) => {
    errOut.write(`ruongso gateway: ${err.stack ?? err}\n`);
    void stop(1);
  });
  process.once('unhandledRejection', (err) => {
    errOut.write(`ruongso gateway: ${String(err)}\n`);
    void stop(1);
  });
  await gw.start();
  out.write(`gateway ${file.gatewayId} running config v${gw.config.version}; Ctrl-C closes every valve and stops\n`);
  if (local) {
    // a convenience for people on site: the irrigation loop must run even when the port is taken
    await local.start().then(
      (url) => out.write(`local control on ${url} (ruongso gateway cmd … --url ${url})\n`),
      (err) => {
        logger.error({ err: errorMessage(err) }, 'local control not started');
        errOut.write(`ruongso gateway: ${errorMessage(err)}\n`);
      },
    );
  }
  return new Promise<never>(() => {
    /* runs until a signal */
  });
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntry) {
  const { values } = parseArgs({
    options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.config) {
    (values.help ? process.stdout : process.stderr).write(
      'usage: MALLOC_ARENA_MAX=2 node --max-semi-space-size=1 --lite-mode dist/gateway.mjs --config FILE\n',
    );
    process.exit(values.help ? 0 : 2);
  }
  await runGateway(values.config).catch((err: unknown) => {
    process.stderr.write(`gateway: ${errorMessage(err)}\n`);
    process.exit(1);
  });
}
