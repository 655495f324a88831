import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { services } from './support/services.js';
import { startBrowser } from './support/browser.js';
import { ensureUiBuilt } from './support/web-chain.js';
import { buildMemoryApp } from './support/memory-app.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';
import { uiPlugin } from '../cloud/ui/plugin.js';
import { freePort } from '../lib/ports.js';

const ok = await services.chromium();

/** taps the corners (offsets in px from the map's centre), then the first one again to close the area */
async function tapPolygon(page: Page, corners: Array<[number, number]>) {
  const box = (await page.getByTestId('draw-map').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (const [dx, dy] of [...corners, corners[0]!]) {
    await page.mouse.click(cx + dx, cy + dy);
    await page.waitForTimeout(50);
  }
}

describe.skipIf(!ok)(
  'browser: a technician draws a field boundary and a no-spray zone on the map, without map tiles',
  () => {
    let app: Awaited<ReturnType<typeof buildMemoryApp>>;
    let url: string;
    let browser: Awaited<ReturnType<typeof startBrowser>>;

    beforeAll(async () => {
      ensureUiBuilt();
      app = await buildMemoryApp({
        extend: async (a) => {
          await a.register(uiPlugin, { tileUrl: '' });
        },
      });
      const port = await freePort();
      await app.app.listen({ port, host: '127.0.0.1' });
      url = `http://127.0.0.1:${port}`;
      browser = await startBrowser({ width: 360, height: 740 });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await app?.app.close();
    });

    it("draws, saves through the API's validation, and the field (with its hole) joins the map", async () => {
      const { page } = browser;
      const pw =
        (app.demoLogins as Array<{ username: string; password: string }>).find((l) => l.username === 'kythuat')
          ?.password ?? DEMO_PASSWORD;
      await page.goto(url);
      await page.locator('#login').fill('kythuat');
      await page.locator('#password').fill(pw);
      await page.locator('form button[type=submit]').click();
      // no tiles: the commune outlines and names still make the map readable
      await expect
        .poll(() => page.locator('section[aria-labelledby="map-h"] .commune-label').allTextContents(), {
          timeout: 15_000,
        })
        .toContain('Đại Ân 2');
      const draw = page.getByTestId('draw-boundary');
      await expect.poll(() => draw.isEnabled(), { timeout: 15_000 }).toBe(true);
      await page.getByTestId('draw-map').scrollIntoViewIfNeeded();
      await draw.click();
      await tapPolygon(page, [
        [-60, -50],
        [60, -50],
        [60, 50],
        [-60, 50],
      ]);
      await expect
        .poll(() => page.getByTestId('draw-status').textContent())
        .toBe('Ranh giới: đã vẽ · vùng cấm phun: 0');
      await page.getByTestId('draw-nospray').click();
      await tapPolygon(page, [
        [-15, -15],
        [15, -15],
        [15, 15],
        [-15, 15],
      ]);
      await expect
        .poll(() => page.getByTestId('draw-status').textContent())
        .toBe('Ranh giới: đã vẽ · vùng cấm phun: 1');
      await browser.screenshot('technician-draw-field-360');
      await page.locator('#draw-name').fill('Thửa vẽ tay');
      await page.getByRole('button', { name: 'Lưu thửa' }).click();
      await page.getByTestId('draw-created').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('draw-created').textContent()).toMatch(/Thửa vẽ tay.*\d,\d{1,2} ha/);
      const fields = await page.evaluate(
        async () =>
          (await (await fetch('/api/v1/fields')).json()) as {
            fields: Array<{ name: string; boundary: { coordinates: number[][][] }; exclusions?: unknown[] }>;
          },
      );
      const drawn = fields.fields.find((f) => f.name === 'Thửa vẽ tay')!;
      expect(drawn.boundary.coordinates[0]!.length).toBe(5);
      expect(drawn.boundary.coordinates.length - 1 + (drawn.exclusions?.length ?? 0)).toBe(1);
      expect(await page.locator('#mis-field option', { hasText: 'Thửa vẽ tay' }).count()).toBe(1);
      expect(browser.errors).toEqual([]);
    });

    it('refuses to save without a boundary, saying so in Vietnamese', async () => {
      const { page } = browser;
      await page.getByRole('button', { name: 'Lưu thửa' }).click();
      expect(await page.getByTestId('draw-errors').textContent()).toBe('Hãy vẽ ranh giới thửa trước');
    });
  },
);
