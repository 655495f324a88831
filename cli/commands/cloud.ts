import type { Command } from 'commander';

/** `ruongso cloud`: the cloud service alone (API, web page, ingest, embedded broker unless MQTT_URL). */
export function register(program: Command): void {
  const cloud = program
    .command('cloud')
    .description(
      'run the cloud: web app and API, MQTT ingest, registry and telemetry store (configured by environment)',
    )
    .option('-p, --port <port>', 'HTTP port (overrides PORT)')
    .option('--mqtt-port <port>', 'embedded broker port (overrides MQTT_PORT)')
    .option('--data-dir <dir>', 'data directory (overrides DATA_DIR)')
    .action(async (o: { port?: string; mqttPort?: string; dataDir?: string }) => {
      // imported here so `ruongso --help` stays fast
      const { loadConfig } = await import('../../cloud/config.js');
      const { CloudService, runUntilSignal } = await import('../../cloud/server.js');
      const overrides = { PORT: o.port, MQTT_PORT: o.mqttPort, DATA_DIR: o.dataDir };
      // production unless RUONGSO_MODE=demo; the demo gets its data directory's generated password and loopback
      const demo =
        process.env.RUONGSO_MODE === 'demo'
          ? (await import('../../cloud/demo/credentials.js')).demoOverrides(process.env, o.dataDir)
          : {};
      const config = loadConfig(process.env, { ...overrides, ...demo });
      await runUntilSignal(new CloudService({ config, webApp: true }));
    });
  // the config table needs zod: loaded only once `cloud` is the command (its --help included)
  program.hook('preSubcommand', async (_program, sub) => {
    if (sub !== cloud) return;
    const { CONFIG_KEYS } = await import('../../cloud/config.js');
    const keys = Object.entries(CONFIG_KEYS)
      .map(([k, v]) => `  ${k.padEnd(16)} ${v.doc}`)
      .join('\n');
    cloud.addHelpText(
      'after',
      `\nConfiguration (environment variables, or a file named by RUONGSO_CONFIG):\n${keys}\n\nCtrl-C stops it cleanly: pending telemetry is flushed and acknowledged first.`,
    );
  });
}
