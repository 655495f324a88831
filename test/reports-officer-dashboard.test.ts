import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEMO_FARMS as AUTH_FARMS, buildMemoryApp } from './support/memory-app.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';
import { seedDemoHistory } from '../cloud/demo/history.js';
import { openSqliteDb } from '../cloud/registry/sqlite-db.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import { ReportFacts } from '../cloud/reports/facts.js';
import { ReportService } from '../cloud/reports/service.js';
import { reportRoutes } from '../cloud/reports/routes/index.js';
import { uiPlugin, UI_DIST } from '../cloud/ui/plugin.js';
import { freePort } from '../lib/ports.js';
import { startBrowser } from './support/browser.js';
import { services } from './support/services.js';

const ok = await services.chromium();
const NOW = Date.now();

/** cloud/ui/dist when it is newer than every source file; else a fresh build in a temporary folder. */
function uiRoot(): { root: string; cleanup(): void } {
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs,
      ),
    );
  const built = (() => {
    try {
      return statSync(path.join(UI_DIST, 'index.html')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built > newest(path.resolve('cloud/ui/src'))) return { root: UI_DIST, cleanup: () => undefined };
  const out = mkdtempSync(path.join(tmpdir(), 'rs-ui-'));
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], { stdio: 'inherit' });
  return { root: out, cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

describe.skipIf(!ok)('browser: the officer sees adoption of their communes', () => {
  let app: FastifyInstance;
  let url: string;
  let ui: ReturnType<typeof uiRoot>;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  const registry = createSqliteRegistry(':memory:');
  const facts = new ReportFacts(openSqliteDb(':memory:'));

  beforeAll(async () => {
    ui = uiRoot();
    await registry.init();
    await facts.init();
    await seedDemoHistory(registry, facts, { now: NOW });
    const reports = new ReportService(registry, facts);
    const built = await buildMemoryApp({
      farms: AUTH_FARMS,
      extend: async (a) => {
        await a.register(uiPlugin, { tileUrl: '', root: ui.root });
        await a.register(reportRoutes, { reports });
      },
    });
    app = built.app;
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}`;
    browser = await startBrowser({ width: 1280, height: 900 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await registry.close();
    await facts.close();
    ui?.cleanup();
  });

  it('shows per-commune tables, a trend chart, a shaded table and working exports', async () => {
    const { page } = browser;
    await page.goto(url);
    await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill('canbo');
    await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByTestId('commune-vn-st-tde-dai-an-2').waitFor({ timeout: 15_000 });
    await page.getByTestId('commune-vn-st-tde-lich-hoi-thuong').waitFor();
    expect(await page.getByTestId('commune-vn-st-tde-dai-an-2').textContent()).toContain('Ấp Tiếp Nhựt');
    // the shaded table: cells carry a background that grows with the value
    const shaded = await page.getByTestId('choropleth').locator('td[style*="background"]').count();
    expect(shaded).toBeGreaterThan(10);
    await page.getByLabel('Chỉ tiêu').selectOption('waterSavedPct');
    await expect.poll(() => page.getByTestId('trend-chart').textContent()).toContain('Nước tiết kiệm (%)');
    await page.getByTestId('trend-chart').locator('canvas').waitFor();
    const csvHref = (await page.getByTestId('export-csv').getAttribute('href'))!;
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref);
    expect(csv).toContain('Đại Ân 2');
    const xlsxHref = (await page.getByTestId('export-xlsx').getAttribute('href'))!;
    const xlsx = await page.evaluate(async (href) => (await fetch(href)).headers.get('content-type'), xlsxHref);
    expect(xlsx).toMatch(/spreadsheetml/);
    await browser.screenshot('officer-adoption-1280');
    await page.getByLabel('Ngôn ngữ').first().selectOption('en');
    await expect.poll(() => page.getByTestId('officer-page').textContent()).toContain('Adoption by commune');
    await page.getByLabel('Language').first().selectOption('vi');
    expect(browser.errors).toEqual([]);
  }, 60_000);
});
