/**
 * `npm run bench faults [-- --only <text>]`: every scenario of the fault suite on the real stack
 * (Mosquitto from the project's config and provisioned ACL, InfluxDB 1.6.7, `ruongso cloud`, two
 * gateway processes on a counter), each on a fresh stack, every reading reconciled by
 * (gateway, sensor, metric, ts). Prints one row per scenario.
 */
import { SCENARIOS } from '../test/support/fault-scenarios.js';
import { drainAndReconcile, startFaultStack, untilFlowing } from '../test/support/fault-stack.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '') : '';

interface Row {
  scenario: string;
  produced: number;
  stored: number;
  missing: number;
  doubled: number;
  recoveryS: number;
  notes: string;
}

async function runOne(name: string): Promise<Row> {
  const scenario = SCENARIOS.find((s) => s.name === name)!;
  const stack = await startFaultStack({ gateways: 2 });
  try {
    await stack.cloud.start();
    await untilFlowing(stack);
    const notes = await scenario.run(stack);
    const r = await drainAndReconcile(stack);
    return {
      scenario: name,
      ...r,
      notes: Object.entries(notes)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    };
  } finally {
    await stack.destroy();
  }
}

const rows: Row[] = [];
for (const s of SCENARIOS.filter((x) => x.name.includes(only))) {
  process.stderr.write(`… ${s.name}\n`);
  rows.push(await runOne(s.name));
}
const head = ['scenario', 'produced', 'stored', 'missing', 'doubled', 'recovery s', 'system reported'];
const lines = rows.map((r) =>
  [r.scenario, r.produced, r.stored, r.missing, r.doubled, r.recoveryS, r.notes || '—'].map(String),
);
process.stdout.write(
  `| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${lines.map((l) => `| ${l.join(' | ')} |`).join('\n')}\n`,
);
if (rows.some((r) => r.missing || r.doubled)) process.exitCode = 1;
