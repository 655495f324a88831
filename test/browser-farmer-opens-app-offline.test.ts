import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from './support/services.js';
import { startBrowser } from './support/browser.js';
import { startWebChain } from './support/web-chain.js';
import { bearer } from './support/memory-app.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';

const ok = (await services.chromium()) && (await services.mosquitto());

describe.skipIf(!ok)(
  'browser: the app is installable and opens offline on the last values (real Mosquitto, real gateway)',
  () => {
    let chain: Awaited<ReturnType<typeof startWebChain>>;
    let browser: Awaited<ReturnType<typeof startBrowser>>;
    const pw = (u: string) =>
      (chain.demoLogins as Array<{ username: string; password: string }>).find((l) => l.username === u)?.password ??
      DEMO_PASSWORD;

    beforeAll(async () => {
      chain = await startWebChain();
      browser = await startBrowser({ width: 360, height: 740 });
      const tech = await bearer(chain.app, 'kythuat', pw('kythuat'));
      const site = chain.site.zoneConfig(1);
      expect(
        (
          await chain.app.inject({
            method: 'PUT',
            url: `/api/v1/gateways/${chain.gw}/config`,
            headers: tech,
            payload: { zones: site.zones, pumps: site.pumps },
          })
        ).statusCode,
      ).toBe(202);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await chain?.stop();
    });

    it('serves a manifest with icons and a real favicon, not the HTML page', async () => {
      const manifest = await fetch(`${chain.url}/manifest.webmanifest`);
      expect(manifest.status).toBe(200);
      const m = (await manifest.json()) as {
        name: string;
        start_url: string;
        display: string;
        icons: Array<{ src: string; sizes: string }>;
      };
      expect(m).toMatchObject({ name: 'Ruộng Số', start_url: '/', display: 'standalone' });
      expect(m.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
      for (const i of m.icons)
        expect((await fetch(`${chain.url}${i.src}`)).headers.get('content-type')).toMatch(/^image\//);
      const ico = await fetch(`${chain.url}/favicon.ico`);
      expect(ico.status).toBe(200);
      expect(ico.headers.get('content-type')).toMatch(/^image\//);
      expect([...new Uint8Array(await ico.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);
    });

    it('offline, a reload shows the last values with their age and turns the controls off', async () => {
      const { page } = browser;
      await page.goto(chain.url);
      await page.locator('#login').fill('nongdan');
      await page.locator('#password').fill(pw('nongdan'));
      await page.locator('form button[type=submit]').click();
      await expect
        .poll(() => page.getByTestId('v-z1-waterLevel').textContent(), { timeout: 20_000 })
        .toMatch(/^-?\d+(,\d)? cm$/);
      const value = await page.getByTestId('v-z1-waterLevel').textContent();
      // the shell is in the service worker's cache before the network goes
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await expect.poll(() => page.evaluate(async () => (await caches.keys()).length)).toBeGreaterThan(0);
      await page.reload();
      await page.getByTestId('v-z1-waterLevel').waitFor();
      await page.context().setOffline(true);
      await page.reload();
      const note = page.getByTestId('offline-note');
      await note.waitFor({ timeout: 10_000 });
      expect(await note.textContent()).toMatch(
        /Đang ngoại tuyến: hiển thị số liệu đã lưu lúc .*Chưa thể gửi lệnh hay lưu cài đặt.*Số liệu (\d+ giây trước|bây giờ)/s,
      );
      expect(await page.getByTestId('v-z1-waterLevel').textContent()).toMatch(/^-?\d+(,\d)? cm$/);
      expect(value).toMatch(/cm$/);
      expect(await page.getByRole('button', { name: 'Mở van' }).isDisabled()).toBe(true);
      await expect.poll(() => page.getByText('Đang ngoại tuyến: chưa tải được biểu đồ').count()).toBeGreaterThan(0);
      await browser.screenshot('farmer-offline-360');
      await page.context().setOffline(false);
      expect(browser.errors).toEqual([]);
    });
  },
);
