import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seedDemoHistory, seedDemoTelemetry } from '../cloud/demo/history.js';
import type { CloudService } from '../cloud/server.js';
import { startBrowser } from './support/browser.js';
import { startCloudWeb } from './support/cloud-web.js';
import { services } from './support/services.js';

/**
 * The full cloud with the demo's seeded district, year of report history and season of telemetry
 * (what `npm start` seeds, without the live fleet): each
 * role's home at 360 px in Vietnamese and 1280 px in English — the page's own heading in the
 * reader's language, nothing wider than the screen, no script error. Screenshots land in
 * artifacts/screenshots/<role>-<width>-<lang>.png (the README's come from here).
 */
const ok = await services.chromium();

const ROLES = [
  {
    user: 'nongdan',
    role: 'farmer',
    ready: '[data-testid="zone-history"] canvas',
    vi: 'Khu ruộng của tôi',
    en: 'My zones',
  },
  { user: 'kythuat', role: 'technician', ready: '#mis-rate', vi: 'Kỹ thuật viên', en: 'Technician' },
  {
    user: 'canbo',
    role: 'officer',
    ready: '[data-testid="commune-map"]',
    vi: 'Mức độ ứng dụng theo xã',
    en: 'Adoption by commune',
  },
  { user: 'admin', role: 'admin', ready: '#mis-rate', vi: 'Kỹ thuật viên', en: 'Technician' },
] as const;
const VIEWS = [
  { width: 360, height: 740, lang: 'vi' },
  { width: 1280, height: 900, lang: 'en' },
] as const;

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe.skipIf(!ok)("browser: every role's pages at 360 px (vi) and 1280 px (en) on the running demo", () => {
  let t: Awaited<ReturnType<typeof startCloudWeb>>;
  let cloud: CloudService;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  const password = (u: string) =>
    new RegExp(`\\b${u}\\b.*?password: (\\S+)`).exec(cloud.demoLogins)?.[1] ?? 'demo-ruongso';

  beforeAll(async () => {
    t = await startCloudWeb({ TILE_URL: '' });
    cloud = t.cloud;
    await seedDemoHistory(cloud.registry, cloud.facts!);
    await seedDemoTelemetry(cloud.store);
    browser = await startBrowser({ width: 360, height: 740 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  for (const r of ROLES) {
    for (const v of VIEWS) {
      it(`${r.role} at ${v.width} px in ${v.lang === 'vi' ? 'Vietnamese' : 'English'}`, async () => {
        const { page } = browser;
        await page.setViewportSize({ width: v.width, height: v.height });
        await page.context().clearCookies();
        await page.goto(cloud.webUrl);
        await page.evaluate((l) => localStorage.setItem('rs.locale', l), v.lang);
        await page.reload();
        await page.locator('#login').fill(r.user);
        await page.locator('#password').fill(password(r.user));
        await page.locator('form button[type=submit]').click();
        await page.locator('#main h1').first().waitFor({ timeout: 20_000 });
        expect(await page.locator('#main h1').first().textContent()).toBe(v.lang === 'vi' ? r.vi : r.en);
        await page.locator(r.ready).first().waitFor({ timeout: 30_000 });
        await page.waitForTimeout(500);
        expect(await overflow(page)).toBeLessThanOrEqual(1);
        await browser.screenshot(`${r.role}-${v.width}-${v.lang}`);
        if (r.role === 'admin' || r.role === 'technician') {
          for (const route of r.role === 'admin' ? ['audit', 'users', 'orgs'] : ['audit', 'users']) {
            await page.goto(`${cloud.webUrl}/#/${route}`);
            await page.locator('#main h1').first().waitFor();
            await page.waitForLoadState('networkidle');
            expect(await overflow(page), route).toBeLessThanOrEqual(1);
            if (r.role === 'admin') await browser.screenshot(`${r.role}-${route}-${v.width}-${v.lang}`);
          }
        }
        if (r.role === 'admin') {
          // the organisation screen writes through the onboarding API
          const id = `htx-test-${v.width}`;
          await page.locator('#org-addCooperative-id').fill(id);
          await page.locator('#org-addCooperative-name').fill(`HTX thử ${v.width}`);
          await page.locator('#org-addCooperative-unitId').selectOption('vn-st-tde-dai-an-2');
          await page.locator('form[aria-label] button[type=submit]').nth(1).click();
          await expect
            .poll(() => page.getByTestId('orgs').textContent())
            .toContain(`HTX thử ${v.width} · Đại Ân 2 ${id}`);
        }
        expect(browser.errors).toEqual([]);
      }, 60_000);
    }
  }
});
