import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { services } from './support/services.js';
import { startBrowser } from './support/browser.js';
import { ensureUiBuilt } from './support/web-chain.js';
import { bearer, buildMemoryApp } from './support/memory-app.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';
import { uiPlugin } from '../cloud/ui/plugin.js';
import { freePort } from '../lib/ports.js';

const ok = await services.chromium();

// what a technician, an admin or a farmer might type as a name, hoping it runs in someone else's browser
const HOSTILE = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';
const USER_PW = 'Lúa-mùa-2026-đồng-sâu!';

describe.skipIf(!ok)(
  'browser: a field, farm and user named <img src=x onerror=…> render as text everywhere, map labels included',
  () => {
    let app: Awaited<ReturnType<typeof buildMemoryApp>>;
    let url: string;
    let browser: Awaited<ReturnType<typeof startBrowser>>;
    const dialogs: string[] = [];

    const pw = (u: string) =>
      (app.demoLogins as Array<{ username: string; password: string }>).find((l) => l.username === u)?.password ??
      DEMO_PASSWORD;
    async function login(page: Page, user: string, password = pw(user)) {
      await page.context().clearCookies();
      await page.goto(url);
      await page.locator('#login').fill(user);
      await page.locator('#password').fill(password);
      await page.locator('form button[type=submit]').click();
      await page.getByTestId('who').waitFor();
    }
    /** nothing ran, no element came out of a name, and the name is there as text */
    async function expectInert(page: Page, where: string) {
      const r = await page.evaluate(() => ({
        ran: (window as unknown as { __xss?: number }).__xss ?? 0,
        imgs: document.querySelectorAll('img[src="x"]').length,
        text: document.body.innerText,
      }));
      expect(r.ran, where).toBe(0);
      expect(r.imgs, where).toBe(0);
      expect(r.text, where).toContain('<img src=x onerror=');
    }

    beforeAll(async () => {
      ensureUiBuilt();
      app = await buildMemoryApp({
        farms: [{ id: 'farm-h', name: HOSTILE, commune: HOSTILE, cooperativeId: 'htx-dai-an', gatewayIds: ['gw-h'] }],
        extend: async (a) => {
          await a.register(uiPlugin, { tileUrl: '' });
        },
      });
      const port = await freePort();
      await app.app.listen({ port, host: '127.0.0.1' });
      url = `http://127.0.0.1:${port}`;
      const admin = await bearer(app.app, 'admin', pw('admin'));
      const made = await app.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: { username: 'hostile', name: HOSTILE, role: 'farmer', password: USER_PW, farmIds: ['farm-h'] },
      });
      expect(made.statusCode, made.body).toBe(201);
      browser = await startBrowser({ width: 360, height: 740 });
      browser.page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await app?.app.close();
    });

    it("technician: gateway table, field labels on the map (permanent tooltips), planner, a farm's view", async () => {
      const { page } = browser;
      await login(page, 'kythuat');
      await expect
        .poll(() => page.locator('.leaflet-tooltip.field-label').count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
      expect(await page.locator('.leaflet-tooltip.field-label').first().textContent()).toBe(`${HOSTILE} — thửa 1`);
      expect(await page.locator('.leaflet-tooltip img').count()).toBe(0);
      await expectInert(page, 'technician');
      await page.getByTestId('view-gw-h').click();
      await page.locator('#gw-pick').waitFor();
      await expectInert(page, 'technician farm view');
    });

    it('admin: the user list and the audit log of the new user', async () => {
      const { page } = browser;
      await login(page, 'admin');
      await page.goto(`${url}/#/users`);
      await page.getByTestId('users').waitFor();
      await expectInert(page, 'users');
      await page.goto(`${url}/#/audit`);
      await page.getByTestId('audit-list').waitFor();
      await expectInert(page, 'audit');
    });

    it('the user themself: their name in the header, their farm in the gateway picker', async () => {
      const { page } = browser;
      await login(page, 'hostile', USER_PW);
      expect(await page.getByTestId('who').textContent()).toBe(HOSTILE);
      await expectInert(page, 'farmer');
      expect(dialogs).toEqual([]);
      expect(browser.errors).toEqual([]);
    });
  },
);
