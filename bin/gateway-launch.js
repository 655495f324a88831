// `ruongso gateway --config F` runs as a child of this process with node's command-line flags
// `--max-semi-space-size=1 --lite-mode` and MALLOC_ARENA_MAX=2, the deployed gateway's lean heap
// (edge/README.md): ~100 MB → under 80. V8 takes --lite-mode only before the isolate runs: set at
// run time (v8.setFlagsFromString) it crashes the process with SIGSEGV. Node 20 has no execve,
// so this process stays as a thin parent: it forwards SIGINT/SIGTERM/SIGHUP and ends as the child
// ends (its exit code, or the same signal).
import { spawn } from 'node:child_process';

export const CHILD_MARK = 'RUONGSO_GATEWAY_CHILD';
export const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=1', '--lite-mode'];
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Whether these arguments (after `node ruongso.js`) run a gateway that is not yet lean. */
export function needsLeanGateway(args, env = process.env, execArgv = process.execArgv) {
  if (env[CHILD_MARK] || execArgv.includes('--lite-mode')) return false;
  if (args[0] !== 'gateway' || args[1] === 'cmd' || args[1] === 'status' || args[1] === 'help') return false;
  const config = args.some((a) => a === '-c' || a === '--config' || a.startsWith('--config=') || /^-c./.test(a));
  const other = args.some((a) => a === '--check' || a === '--help' || a === '-h' || a === '--');
  return config && !other;
}

/** Runs this same command as a lean child and ends this process the way the child ends. */
export async function runLeanGateway() {
  const child = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], {
    // fd 3: an IPC channel only so the child notices this parent dying (SIGKILL) and stops itself
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [CHILD_MARK]: '1', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
  });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, forward);
  child.on('error', (err) => {
    process.stderr.write(`ruongso gateway: cannot start: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const s of FORWARDED) process.off(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
  await new Promise(() => undefined);
}
