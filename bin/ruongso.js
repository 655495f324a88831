#!/usr/bin/env node
// The `ruongso` command. It runs the built distribution (dist/cli/, `npm run build`, made by
// `npm install`) while no source it was built from has changed since; otherwise the TypeScript
// sources through tsx, so a developer's edit runs at once. RUONGSO_FROM=source forces the sources,
// RUONGSO_FROM=dist the built files even when sources changed since (benchmarks, tests of dist/);
// RUONGSO_DIST names another build folder; RUONGSO_WHICH=1 says on stderr which one runs and why.
// A running gateway (`ruongso gateway --config F`) is started again as a child with the deployed
// gateway's lean node flags (gateway-launch.js).
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const { needsLeanGateway, runLeanGateway } = await import('./gateway-launch.js');
if (needsLeanGateway(process.argv.slice(2))) await runLeanGateway(); // never returns

const root = new URL('../', import.meta.url);
const dist = process.env.RUONGSO_DIST
  ? pathToFileURL(`${process.env.RUONGSO_DIST.replace(/\/$/, '')}/`)
  : new URL('dist/cli/', root);
const from = process.env.RUONGSO_FROM;

/** Why the built files cannot be used, or undefined when they can. */
function distProblem(checkSources) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('inputs.json', dist), 'utf8'));
  } catch {
    return 'there is no built distribution (run npm run build)';
  }
  if (!checkSources) return undefined;
  // a few hundred stats: ~1 ms
  for (const f of manifest.inputs) {
    let mtime;
    try {
      mtime = statSync(new URL(f, root)).mtimeMs;
    } catch {
      return `${f} is gone since the build (run npm run build)`;
    }
    if (mtime > manifest.builtAt) return `${f} changed since the build (run npm run build)`;
  }
  return undefined;
}

const problem = from === 'source' ? 'RUONGSO_FROM=source' : distProblem(from !== 'dist');
if (process.env.RUONGSO_WHICH)
  process.stderr.write(`ruongso: from ${problem === undefined ? `dist (${dist.pathname})` : `source: ${problem}`}\n`);
let main;
if (problem === undefined) {
  ({ main } = await import(new URL('main.mjs', dist).href));
} else if (from === 'dist') {
  process.stderr.write(`ruongso: RUONGSO_FROM=dist but ${problem}\n`);
  process.exit(1);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
await main(process.argv);
