import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { services } from './support/services.js';
import { startBrowser } from './support/browser.js';
import { initialConfigZones, startWebChain } from './support/web-chain.js';
import { bearer } from './support/memory-app.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';
import { DEMO_DRONES, DEMO_PRODUCTS } from '../cloud/missions/catalog.js';

const ok = (await services.chromium()) && (await services.mosquitto());

/**
 * The app runs in its pseudo-locale `qps`: every catalogue string comes out wrapped in ⟦ ⟧ (in
 * Vietnamese formats). Whatever visible text is left once those, the data people typed (names,
 * ids) and numbers with their units are taken away was not produced from the catalogue: an
 * English server message, a raw code, JSON, a hard-coded label.
 */
const UNITS = ['cm', 'ha', 'km', 'L/ha', 'L', 'm³', 'm/s', 'mm', '°C', 'µS/cm', 'dS/m', '%', '‰'];
// autonyms in the language menu, the map library's and the tiles' own attribution
const PROPER = ['Tiếng Việt', 'English', 'Leaflet', 'OpenStreetMap'];

async function strayTexts(page: Page, data: string[]): Promise<string[]> {
  return page.evaluate(
    ({ data, allowed }) => {
      const out: string[] = [];
      const check = (raw: string, where: string) => {
        let s = raw;
        // innermost first: a catalogue string may hold another as a parameter
        for (let prev = ''; prev !== s;) {
          prev = s;
          s = s.replace(/⟦[^⟦⟧]*⟧/g, ' ');
        }
        for (const d of data) s = s.split(d).join(' ');
        for (const a of allowed) s = s.split(a).join(' ');
        if (/[\p{L}]/u.test(s.replace(/\b\d+[\p{L}]?\b/gu, ' '))) out.push(`${where}: ${JSON.stringify(raw.trim())}`);
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        // <code> holds identifiers on purpose (credentials, field keys of the audit log)
        if (!el || el.closest('script, style, noscript, code') || !n.textContent?.trim()) continue;
        check(n.textContent, el.tagName.toLowerCase());
      }
      for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder]')) {
        for (const a of ['aria-label', 'title', 'placeholder']) {
          const v = el.getAttribute(a);
          if (v) check(v, `@${a}`);
        }
      }
      return out;
    },
    { data: [...data].sort((a, b) => b.length - a.length), allowed: [...PROPER, ...UNITS] },
  );
}

describe.skipIf(!ok)(
  'browser: every text a person reads in the app comes from the catalogue (pseudo-locale, every page of every role)',
  () => {
    let chain: Awaited<ReturnType<typeof startWebChain>>;
    let browser: Awaited<ReturnType<typeof startBrowser>>;
    let data: string[];

    const pw = (u: string) =>
      (chain.demoLogins as Array<{ username: string; password: string }>).find((l) => l.username === u)?.password ??
      DEMO_PASSWORD;
    async function login(page: Page, user: string) {
      await page.context().clearCookies();
      await page.goto(chain.url);
      await page.locator('#login').fill(user);
      await page.locator('#password').fill(pw(user));
      await page.locator('form button[type=submit]').click();
      await page.getByTestId('who').waitFor();
    }
    async function expectAllFromCatalogue(page: Page, what: string) {
      expect.soft(await strayTexts(page, data), what).toEqual([]);
    }

    beforeAll(async () => {
      chain = await startWebChain();
      browser = await startBrowser({ width: 360, height: 740 });
      await browser.context.addInitScript(() => localStorage.setItem('rs.locale', 'qps'));
      const tech = await bearer(chain.app, 'kythuat', pw('kythuat'));
      const site = chain.site.zoneConfig(1);
      const put = await chain.app.inject({
        method: 'PUT',
        url: `/api/v1/gateways/${chain.gw}/config`,
        headers: tech,
        payload: { zones: site.zones, pumps: site.pumps },
      });
      expect(put.statusCode).toBe(202);
      const users = await chain.users.list();
      data = [
        ...chain.farms.flatMap((f) => [f.name, f.commune, f.id, ...f.gatewayIds]),
        ...users.flatMap((u) => [u.name, u.username, ...(u.phone ? [u.phone] : [])]),
        ...chain.farms.map((f) => `${f.name} — thửa 1`),
        ...DEMO_DRONES.flatMap((d) => [d.name, d.id]),
        ...DEMO_PRODUCTS.flatMap((p) => [p.name, p.id]),
        ...initialConfigZones().flatMap((z) => [z.name ?? '', z.id]),
        ...site.zones.flatMap((z) => [z.name ?? '', z.id, ...z.valves, z.pump ?? '']),
        'htx-dai-an',
        'htx-lich-hoi',
        'system',
      ].filter((s) => s.length > 0);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await chain?.stop();
    });

    it('login page, a wrong password and an unreachable server', async () => {
      const { page } = browser;
      await page.goto(chain.url);
      await page.locator('#login').waitFor();
      await expectAllFromCatalogue(page, 'login');
      await page.locator('#login').fill('nongdan');
      await page.locator('#password').fill('wrong-password');
      await page.locator('form button[type=submit]').click();
      await page.getByRole('alert').waitFor();
      await expectAllFromCatalogue(page, 'login failed');
      await page.context().setOffline(true);
      await page.locator('form button[type=submit]').click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/⟦/);
      await expectAllFromCatalogue(page, 'login offline');
      await page.context().setOffline(false);
    });

    it('farmer: zones, history, decisions, settings refused, a command, account', async () => {
      const { page } = browser;
      await login(page, 'nongdan');
      await expect.poll(() => page.getByTestId('v-z1-waterLevel').textContent(), { timeout: 20_000 }).toMatch(/\d/);
      await expect
        .poll(() => page.getByTestId('decisions').locator('li').count(), { timeout: 20_000 })
        .toBeGreaterThan(0);
      const z1 = page.getByTestId('zone-z1');
      await z1.locator('summary').click();
      await z1.locator('input[name=refloodCm]').fill('');
      await z1.locator('input[name=targetCm]').fill('99');
      await z1.locator('button[type=submit]').click();
      await z1.getByRole('alert').waitFor();
      await page.locator('#mc-min').fill('0');
      await page.locator('#mc-min').press('Tab');
      await expectAllFromCatalogue(page, 'farmer');
      await page.locator('#mc-min').fill('5');
      await page.getByRole('button', { name: /⟦Mở van⟧/ }).click();
      await expect.poll(() => page.getByTestId('cmd-status').textContent(), { timeout: 15_000 }).toMatch(/⟦/);
      await expectAllFromCatalogue(page, 'farmer after a command');
      await page.goto(`${chain.url}/#/account`);
      await page.locator('#cur').waitFor();
      await expectAllFromCatalogue(page, 'farmer account');
    });

    it("technician: gateways, map, a planned mission with warnings, a farm's live view, audit, users", async () => {
      const { page } = browser;
      await login(page, 'kythuat');
      await page.locator('#mis-rate').waitFor();
      await page.locator('#mis-rate').fill('15');
      await page.locator('#mis-h ~ form button[type=submit]').click();
      await page.getByTestId('mission').waitFor({ timeout: 20_000 });
      await page.locator('#prov-id').fill('Bad Id!');
      await page.locator('#prov-id ~ small, #prov-h ~ form button[type=submit]').last().click();
      await expectAllFromCatalogue(page, 'technician');
      await page.getByTestId(`view-${chain.gw}`).click();
      await expect.poll(() => page.getByTestId('v-z1-waterLevel').textContent(), { timeout: 20_000 }).toMatch(/\d/);
      await expectAllFromCatalogue(page, 'technician farm view');
      for (const route of ['audit', 'users', 'account']) {
        await page.goto(`${chain.url}/#/${route}`);
        await page.locator('main h1').waitFor();
        await page.waitForLoadState('networkidle');
        await expectAllFromCatalogue(page, `technician ${route}`);
      }
    });

    it('officer and admin: their pages', async () => {
      const { page } = browser;
      await login(page, 'canbo');
      await page.getByTestId('officer-page').waitFor();
      await page.waitForLoadState('networkidle');
      await expectAllFromCatalogue(page, 'officer');
      await login(page, 'admin');
      for (const route of ['', 'users', 'audit', 'orgs']) {
        await page.goto(`${chain.url}/#/${route}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        await expectAllFromCatalogue(page, `admin ${route || 'home'}`);
      }
      expect(browser.errors).toEqual([]);
    });
  },
);
