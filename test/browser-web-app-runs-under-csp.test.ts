import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from './support/services.js';
import { startBrowser } from './support/browser.js';
import { ensureUiBuilt } from './support/web-chain.js';
import { startCloudWeb } from './support/cloud-web.js';

const ok = await services.chromium();

describe.skipIf(!ok)("browser: the built web app under the cloud's CSP", () => {
  let t: Awaited<ReturnType<typeof startCloudWeb>>;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  const violations: string[] = [];

  beforeAll(async () => {
    ensureUiBuilt();
    // the default OSM tiles: unreachable here, but a request to them must not break the CSP
    t = await startCloudWeb();
    browser = await startBrowser({ width: 1280, height: 800 });
    await browser.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        ((window as unknown as { __csp: string[] }).__csp ??= []).push(
          `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        );
      });
    });
    browser.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('logs a technician in, shows the fields map and breaks no rule of the CSP', async () => {
    const { page } = browser;
    await page.goto(t.base);
    await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill('kythuat');
    await page.getByLabel('Mật khẩu').fill(t.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Kế hoạch bay phun' }).waitFor();
    await page.locator('.leaflet-container').first().waitFor({ timeout: 15_000 });
    await page.locator('.leaflet-interactive').first().waitFor({ timeout: 15_000 });
    const seen = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
    expect([...seen, ...violations]).toEqual([]);
    expect(browser.errors).toEqual([]);
  });

  it('blocks an inline handler that a slip in rendering would let into the page', async () => {
    const { page } = browser;
    await page.evaluate(() => {
      const d = document.createElement('div');
      // what an HTML-rendered tooltip of a field named like this would insert
      d.innerHTML = '<img src="data:," onerror="window.__pwned = 1">';
      document.body.append(d);
    });
    await expect
      .poll(() => page.evaluate(() => ((window as unknown as { __csp?: string[] }).__csp ?? []).join('\n')))
      .toMatch(/script-src-attr/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
