import { Option, type Command } from 'commander';

const DEFAULT_URL = 'http://127.0.0.1:8787';

/**
 * `ruongso gateway --config FILE`: the edge gateway: poll sensors, run the irrigation loop, talk to the cloud.
 * `ruongso gateway cmd …` / `ruongso gateway status`: a person on site, through the gateway's local endpoint.
 */
export function register(program: Command): void {
  const gateway = program
    .command('gateway')
    .description('run an edge gateway: Modbus sensors and relays, the irrigation control loop, MQTT uplink')
    .option('-c, --config <file>', 'gateway config file, YAML or JSON (see examples/gateway.yaml); required to run')
    .option('--check', 'validate the config file, print a summary and exit')
    .addHelpText(
      'after',
      `
The gateway starts with every valve and pump commanded closed, then runs its last applied zone
config (kept in dataDir) or the file's initialConfig. It keeps irrigating safely without the
broker; telemetry and events wait on disk. Ctrl-C / SIGTERM closes every valve before exiting.
It also listens on ${DEFAULT_URL} (loopback only; key \`local\` in the file) for the
\`cmd\` and \`status\` subcommands below, which work without the cloud.

Examples:
  ruongso sim paddy --tcp 5020 &
  ruongso gateway --config examples/gateway.yaml
  ruongso gateway --config /etc/ruongso/gateway.yaml --check
  ruongso gateway cmd open --zone z1 --minutes 10
  ruongso gateway status`,
    )
    .action(async (o: { config?: string; check?: boolean }, cmd: Command) => {
      if (!o.config) cmd.error("error: required option '-c, --config <file>' not specified");
      if (o.check) {
        const { checkGatewayFile } = await import('../../edge/check.js');
        const check = checkGatewayFile(o.config);
        for (const w of check.warnings) process.stderr.write(`warning: ${w}\n`);
        if (check.problems.length || !check.file) {
          process.stderr.write(
            `${o.config}: ${check.problems.length} problem(s):\n${check.problems.map((p) => `  ${p}\n`).join('')}`,
          );
          process.exitCode = 1;
          return;
        }
        const file = check.file;
        const zones = file.initialConfig?.zones.map((z) => `${z.id} (${z.mode})`).join(', ') || 'none';
        process.stdout.write(
          `${o.config}: ok — gateway ${file.gatewayId}, ${file.buses.length} buses, ${file.devices.length} devices, ` +
            `${file.actuators.length} actuators, initial zones: ${zones}\n`,
        );
        return;
      }
      // bin/ruongso.js starts this as a child with --max-semi-space-size=1 --lite-mode on node's
      // command line (V8 takes --lite-mode only there: set at run time it crashes, SIGSEGV)
      if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
        const { setFlagsFromString } = await import('node:v8');
        setFlagsFromString('--max-semi-space-size=1');
      }
      if (process.env.RUONGSO_GATEWAY_CHILD) asLaunchedChild();
      const { runGateway } = await import('../../edge/main.js');
      await runGateway(o.config);
    });

  const url = () => new Option('--url <url>', "the gateway's local control endpoint").default(DEFAULT_URL);
  const cmd = gateway
    .command('cmd')
    .description(
      'send a command to the gateway running on this machine (no cloud needed): open, close, stop-all, resume',
    );
  cmd
    .command('open')
    .description('open a zone or a valve for N minutes, then back to automatic (interlocks still apply)')
    .addOption(new Option('--zone <id>', 'zone id').conflicts('valve'))
    .option('--valve <id>', 'valve id')
    .requiredOption('--minutes <n>', 'minutes to stay open (max 1440)', Number)
    .addOption(url())
    .action((o: { zone?: string; valve?: string; minutes: number; url: string }) =>
      send(o.url, { kind: 'open', ...target(o), minutes: o.minutes }),
    );
  cmd
    .command('close')
    .description('close a zone or a valve and hold it closed (loop.closeHoldMinutes)')
    .addOption(new Option('--zone <id>', 'zone id').conflicts('valve'))
    .option('--valve <id>', 'valve id')
    .addOption(url())
    .action((o: { zone?: string; valve?: string; url: string }) => send(o.url, { kind: 'close', ...target(o) }));
  cmd
    .command('stop-all')
    .description('close every valve and pump and hold them closed (loop.stopAllHoldMinutes, or until an open)')
    .addOption(url())
    .action((o: { url: string }) => send(o.url, { kind: 'stop-all' }));
  cmd
    .command('resume')
    .description(
      'end the manual holds (open or close) of a zone, a valve, or — naming neither — every valve: automatic decides again at once',
    )
    .addOption(new Option('--zone <id>', 'zone id').conflicts('valve'))
    .option('--valve <id>', 'valve id')
    .addOption(url())
    .action((o: { zone?: string; valve?: string; url: string }) => send(o.url, { kind: 'resume', ...target(o) }));
  gateway
    .command('status')
    .description('zones, open valves, running pumps, config version and uplink of the gateway on this machine')
    .option('--json', 'print the raw JSON')
    .addOption(url())
    .action(async (o: { url: string; json?: boolean }) => {
      const { localRequest } = await import('../../edge/local-control.js');
      const r = await localRequest(o.url, 'GET', '/status');
      if (r.status !== 200 || o.json) {
        process.stdout.write(`${JSON.stringify(r.body, null, o.json ? 2 : 0)}\n`);
        if (r.status !== 200) process.exitCode = 1;
        return;
      }
      const s = r.body as unknown as import('../../edge/local-control.js').LocalStatus;
      const link =
        s.uplinkConnected === null
          ? 'no cloud configured'
          : s.uplinkConnected
            ? 'connected'
            : 'not connected (queueing on disk)';
      process.stdout.write(`gateway ${s.gatewayId}, config v${s.configVersion}, uplink ${link}\n`);
      for (const z of s.zones) {
        const valves = z.valves.map((v) => `${v.id} ${v.open ? 'OPEN' : 'closed'}`).join(', ');
        process.stdout.write(`  zone ${z.id}${z.name ? ` (${z.name})` : ''} ${z.mode}: ${valves}\n`);
      }
      process.stdout.write(
        `  open valves: ${s.valvesOpen.join(', ') || 'none'}; pumps on: ${s.pumpsOn.join(', ') || 'none'}\n`,
      );
    });
}

/**
 * The gateway as the child of bin/ruongso.js. A Ctrl-C reaches it twice (from the terminal and
 * forwarded by the parent), a systemd stop too (the unit's whole cgroup and the parent): the first
 * one closes every relay and stops (edge/main.ts), a repeat must not kill it halfway. A parent
 * killed outright (SIGKILL) closes the IPC channel: the gateway stops as on SIGTERM.
 */
function asLaunchedChild(): void {
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => undefined);
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
}

function target(o: { zone?: string; valve?: string }): { zone?: string; valve?: string } {
  return { ...(o.zone ? { zone: o.zone } : {}), ...(o.valve ? { valve: o.valve } : {}) };
}

/** Prints the gateway's answer; exit code 1 unless the command was done. */
async function send(url: string, body: Record<string, unknown>): Promise<void> {
  const { localRequest } = await import('../../edge/local-control.js');
  const r = await localRequest(url, 'POST', '/cmd', body);
  const b = r.body as { outcome?: string; reason?: string; id?: string; error?: string };
  if (r.status === 200) process.stdout.write(`${String(body.kind)}: done (${b.id})\n`);
  else {
    process.stderr.write(
      `${String(body.kind)}: ${b.outcome ?? `HTTP ${r.status}`}${b.reason ? ` — ${b.reason}` : ''}${b.error ? ` — ${b.error}` : ''}\n`,
    );
    process.exitCode = 1;
  }
}
