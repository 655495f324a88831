import type { Command } from 'commander';

/** `ruongso gateway --config FILE`: the edge gateway: poll sensors, run the irrigation loop, talk to the cloud. */
export function register(program: Command): void {
  program.command('gateway')
    .description('run an edge gateway: Modbus sensors and relays, the irrigation control loop, MQTT uplink')
    .requiredOption('-c, --config <file>', 'gateway config file, YAML or JSON (see examples/gateway.yaml)')
    .option('--check', 'validate the config file, print a summary and exit')
    .addHelpText('after', `
The gateway starts with every valve and pump commanded closed, then runs its last applied zone
config (kept in dataDir) or the file's initialConfig. It keeps irrigating safely without the
broker; telemetry and events wait on disk. Ctrl-C / SIGTERM closes every valve before exiting.

Examples:
  ruongso sim paddy --tcp 5020 &
  ruongso gateway --config examples/gateway.yaml
  ruongso gateway --config /etc/ruongso/gateway.yaml --check`)
    .action(async (o: { config: string; check?: boolean }) => {
      const { loadGatewayFile } = await import('../../edge/config.js');
      const file = loadGatewayFile(o.config);
      if (o.check) {
        const zones = file.initialConfig?.zones.map((z) => `${z.id} (${z.mode})`).join(', ') || 'none';
        process.stdout.write(`${o.config}: ok — gateway ${file.gatewayId}, ${file.buses.length} buses, ${file.devices.length} devices, `
          + `${file.actuators.length} actuators, initial zones: ${zones}\n`);
        return;
      }
      const { Gateway } = await import('../../edge/gateway.js');
      const gw = new Gateway(file);
      gw.on('event', (e) => process.stdout.write(`${new Date(e.ts).toISOString()} ${e.kind.padEnd(14)} ${e.reason}\n`));
      // valves fail closed: on a signal and on anything unexpected, close all before exiting
      let stopping: Promise<void> | undefined;
      const stop = (code: number) => {
        stopping ??= gw.stop().catch(() => undefined).finally(() => process.exit(code));
        return stopping;
      };
      process.once('SIGINT', () => void stop(0));
      process.once('SIGTERM', () => void stop(0));
      process.once('uncaughtException', (err) => { process.stderr.write(`ruongso gateway: ${err.stack ?? err}\n`); void stop(1); });
      process.once('unhandledRejection', (err) => { process.stderr.write(`ruongso gateway: ${String(err)}\n`); void stop(1); });
      await gw.start();
      process.stdout.write(`gateway ${file.gatewayId} running config v${gw.config.version}; Ctrl-C closes every valve and stops\n`);
      await new Promise<never>(() => { /* runs until a signal */ });
    });
}
