#!/usr/bin/env node
// `npm run build`: the command line (and the cloud, edge and simulators it runs) as ES modules in
// dist/cli/ (`--outdir dist/…` elsewhere in dist/), so `ruongso` starts without compiling TypeScript. One esbuild bundle split at each
// `await import(…)`: `ruongso --help` loads the small entry chunk only. Packages are bundled too
// (`ruongso plan` loads turf's hundred modules as one file: half the CPU, see bench/cli.ts), except
// native addons and those that read files beside themselves, which load from node_modules.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    outdir: { type: 'string', default: 'dist/cli' },
    // external: packages load from node_modules (a faster build, a slower start; for comparing)
    packages: { type: 'string', default: 'bundle' },
    quiet: { type: 'boolean', default: false },
  },
});
const outdir = path.resolve(root, values.outdir);
// packages left outside the bundle are found from the chunks' folder up: it must be in the project
if (!outdir.startsWith(path.join(root, 'dist') + path.sep))
  throw new Error('build: --outdir must be a folder inside dist/');

/**
 * Sources find files beside them through import.meta.url (web app build, device profiles). In a
 * chunk of dist/ that URL would be the chunk's, so each module gets its own source file's URL,
 * computed from the chunk's: dist/ sits in the project, next to the sources.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const rel = path.relative(staging, args.path).split(path.sep).join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

const started = Date.now();
// built beside dist/ and swapped in at the end: a ruongso running meanwhile never sees half a build
const staging = `${outdir}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: 'cli/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [sourceUrls],
  ...(values.packages === 'bundle'
    ? {
        // native addons and packages that read files beside themselves stay outside
        external: [
          'better-sqlite3',
          'serialport',
          '@serialport/*',
          'modbus-serial',
          'pino',
          'thread-stream',
          '@fastify/swagger-ui',
          '@fastify/static',
          'esbuild',
          'tsx',
        ],
        banner: {
          js: "import { createRequire as __ruongsoRequire } from 'node:module'; const require = __ruongsoRequire(import.meta.url);",
        },
      }
    : { packages: 'external' }),
});

// bin/ruongso.js runs dist/ only while no source it was built from is newer (else tsx, from source)
const inputs = Object.keys(result.metafile.inputs)
  .filter((f) => !f.includes('node_modules/'))
  .sort();
writeFileSync(path.join(staging, 'inputs.json'), `${JSON.stringify({ builtAt: started, inputs }, null, 0)}\n`);
const old = `${outdir}.old-${process.pid}`;
if (existsSync(outdir)) renameSync(outdir, old);
renameSync(staging, outdir);
rmSync(old, { recursive: true, force: true });
if (!values.quiet) {
  const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs'));
  process.stdout.write(
    `built ${path.relative(root, outdir)}/main.mjs and ${files.length - 1} chunks from ${inputs.length} sources in ${Date.now() - started} ms\n`,
  );
}
