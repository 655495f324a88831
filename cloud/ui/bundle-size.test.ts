import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UI_DIST } from './plugin.js';
import { ensureUiBuilt } from '../../test/support/web-chain.js';

// a farmer on a weak 3G link: the first screen must not wait for more than this
const FIRST_LOAD_BUDGET = 200 * 1024;

/** The JS a browser fetches before the first screen: the entry script and what it preloads. */
function firstLoadScripts(html: string): string[] {
  const srcs = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  return [...new Set(srcs)];
}

describe('web app build', () => {
  it('ships at most 200 KB of gzip-compressed JavaScript on first load, charts and maps loading later', () => {
    ensureUiBuilt();
    const html = readFileSync(path.join(UI_DIST, 'index.html'), 'utf8');
    const scripts = firstLoadScripts(html);
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map((s) => gzipSync(readFileSync(path.join(UI_DIST, s.replace(/^\//, '')))).length);
    const total = sizes.reduce((a, b) => a + b, 0);
    console.info(`first-load JS: ${scripts.join(', ')} = ${(total / 1024).toFixed(1)} KB gzip`);
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
    expect(scripts.join(' ')).not.toMatch(/leaflet|uPlot/i);
  });
});
