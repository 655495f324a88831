#!/usr/bin/env node
// `npm run bench <name> [-- options]` runs bench/<name>.ts through tsx, passing the options on.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../bench/', import.meta.url));
const available = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => /^[a-z0-9-]+\.ts$/.test(f))
      .map((f) => f.slice(0, -3))
  : [];
const [name, ...args] = process.argv.slice(2);

if (!name || name === '--help' || name === '-h' || !available.includes(name)) {
  if (name && !name.startsWith('-')) process.stderr.write(`bench: no benchmark "${name}"\n`);
  process.stderr.write(`usage: npm run bench <name> [-- options]\nbenchmarks: ${available.join(', ') || 'none'}\n`);
  process.exit(name && !name.startsWith('-') ? 1 : name ? 0 : 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`, ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
