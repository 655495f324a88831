import type { Command } from 'commander';

/** `ruongso demo` (what `npm start` runs): the whole system on embedded defaults. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'run the whole system on embedded defaults: broker, cloud with SQLite, 3 simulated farms with gateways',
    )
    .option('-p, --port <port>', 'HTTP port (overrides PORT, default 8080)')
    .option('--mqtt-port <port>', 'embedded broker port (overrides MQTT_PORT, default 1883)')
    .option('--data-dir <dir>', 'data directory (overrides DATA_DIR, default ./data)')
    .option('--speed <n>', 'simulated field time runs n× faster than wall time', '60')
    .addHelpText(
      'after',
      `
Starts an embedded MQTT broker (Aedes), the cloud (API, web app, ingest, SQLite in DATA_DIR),
and a demo district — Trần Đề: communes Đại Ân 2 and Lịch Hội Thượng, three farms — each with a
simulated paddy on Modbus TCP and a real gateway polling it. A second start reuses DATA_DIR.
The demo accounts (admin, nongdan, nongdan2, kythuat, canbo) and the demo drone get passwords
generated for DATA_DIR (kept in DATA_DIR/demo-credentials.json, printed at start; ADMIN_PASSWORD
overrides the accounts'). It listens on 127.0.0.1 unless HOST says otherwise.
Set MQTT_URL, INFLUX_URL or DATABASE_URL to run the same demo against real servers.
Ctrl-C stops everything cleanly (valves closed, telemetry flushed).`,
    )
    .action(async (o: { port?: string; mqttPort?: string; dataDir?: string; speed: string }) => {
      const { runDemo } = await import('../run-demo.js');
      await runDemo({ port: o.port, mqttPort: o.mqttPort, dataDir: o.dataDir, speed: Number(o.speed) });
    });
}
