import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

/** Writes .gz and .br beside each text asset; @fastify/static serves them (preCompressed). */
function precompress(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      precompress(p);
      continue;
    }
    if (!/\.(js|css|html|svg|json|geojson|webmanifest)$/.test(e.name)) continue;
    const buf = readFileSync(p);
    writeFileSync(`${p}.gz`, gzipSync(buf, { level: 9 }));
    writeFileSync(`${p}.br`, brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

/** Builds the web app in cloud/ui into cloud/ui/dist (served by cloud/ui/plugin.ts). */
export default defineConfig({
  root: 'cloud/ui',
  base: '/',
  plugins: [preact(), { name: 'precompress', apply: 'build', closeBundle: () => precompress('cloud/ui/dist') }],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/ui-config.json': 'http://127.0.0.1:8080' } },
});
