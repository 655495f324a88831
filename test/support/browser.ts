import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; `npx playwright install` cannot download browsers here. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = path.resolve('artifacts/screenshots');

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** saves artifacts/screenshots/<name>.png (full page) */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts chromium with a fresh profile directory (a persistent context is how playwright takes a
 * user-data-dir), one page, and the console errors of the page collected in `errors`.
 */
export async function startBrowser(
  opts: { width?: number; height?: number; locale?: string } = {},
): Promise<BrowserSession & { errors: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rs-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    locale: opts.locale ?? 'vi-VN',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    errors,
    async screenshot(name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
