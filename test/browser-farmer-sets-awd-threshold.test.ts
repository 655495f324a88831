import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from './support/services.js';
import { startBrowser } from './support/browser.js';
import { startWebChain } from './support/web-chain.js';
import { bearer } from './support/memory-app.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';
import type { Page } from 'playwright-core';

const ok = (await services.chromium()) && (await services.mosquitto());

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function login(page: Page, url: string, user: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(url);
  await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill(user);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

describe.skipIf(!ok)(
  'browser: farmer, officer and pages at 360 px and 1280 px (real Mosquitto, real gateway on a simulated paddy)',
  () => {
    let chain: Awaited<ReturnType<typeof startWebChain>>;
    let browser: Awaited<ReturnType<typeof startBrowser>>;
    let first = 0;

    beforeAll(async () => {
      chain = await startWebChain();
      browser = await startBrowser({ width: 360, height: 740 });
      // the technician sets the gateway's first config; the gateway applies it over MQTT
      const tech = await bearer(chain.app, 'kythuat');
      const site = chain.site.zoneConfig(1);
      const put = await chain.app.inject({
        method: 'PUT',
        url: `/api/v1/gateways/${chain.gw}/config`,
        headers: tech,
        payload: { zones: site.zones, pumps: site.pumps },
      });
      expect(put.statusCode).toBe(202);
      await waitFor(async () => (await chain.control.d.configs.latest(chain.gw))?.status === 'applied', 20_000);
      // the cloud numbers its first config above the version the gateway started with
      first = (await chain.control.d.configs.latest(chain.gw))!.version;
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await chain?.stop();
    });

    it('lets a farmer change the AWD re-flood level on a phone and shows it applied by the gateway', async () => {
      const { page } = browser;
      const asked: string[] = [];
      const onRequest = (r: { url: () => string }) => {
        asked.push(new URL(r.url()).pathname);
      };
      page.on('request', onRequest);
      await login(page, chain.url, 'nongdan');
      // the gateway's own water-level reading, live over SSE, in Vietnamese number format
      await expect
        .poll(() => page.getByTestId('v-z1-waterLevel').textContent(), { timeout: 15_000 })
        .toMatch(/^-?\d+(,\d)? cm$/);
      // a cold login brings the farms and the first gateway's view with it: no further round trip before the values
      page.off('request', onRequest);
      expect(asked).toContain('/api/v1/auth/login');
      expect(asked.filter((p) => p === '/api/v1/my/farms' || p.endsWith('/live') || p.endsWith('/config'))).toEqual([]);
      await expect
        .poll(() => page.getByTestId('config-status').textContent())
        .toContain(`Đã áp dụng (phiên bản ${first})`);
      await browser.screenshot('farmer-zones-360');
      const z1 = page.getByTestId('zone-z1');
      await z1.getByText('Chế độ và ngưỡng').click();
      await z1.getByLabel('Bơm lại khi mực nước xuống (cm)').fill('10');
      await z1.getByRole('button', { name: 'Lưu và gửi xuống ruộng' }).click();
      // client-side validation with the gateway's own Zone schema: nothing is sent
      await expect.poll(() => z1.getByRole('alert').first().textContent()).toMatch(/mức bơm lại: nhiều nhất 0/);
      expect(chain.gateway.config.version).toBe(first);
      // an empty box is refused, never saved as a default
      await z1.getByLabel('Bơm lại khi mực nước xuống (cm)').fill('');
      await z1.getByRole('button', { name: 'Lưu và gửi xuống ruộng' }).click();
      await expect.poll(() => z1.getByRole('alert').first().textContent()).toMatch(/Hãy nhập mức bơm lại/);
      expect(chain.gateway.config.version).toBe(first);
      await z1.getByLabel('Bơm lại khi mực nước xuống (cm)').fill('-12');
      await z1.getByRole('button', { name: 'Lưu và gửi xuống ruộng' }).click();
      await expect
        .poll(() => page.getByTestId('config-status').textContent(), { timeout: 10_000 })
        .toContain(`Đã áp dụng (phiên bản ${first + 1})`);
      // the running gateway has the new level in force
      expect(chain.gateway.config.version).toBe(first + 1);
      expect(chain.gateway.config.zones.find((z) => z.id === 'z1')?.awd?.refloodCm).toBe(-12);
      await browser.screenshot('farmer-applied-360');
    });

    it("opens a valve for N minutes and shows the gateway's acknowledgement", async () => {
      const { page } = browser;
      // each button says what will happen and when automatic control comes back
      expect(await page.getByTestId('will-close').textContent()).toMatch(/^Đóng v1 — tự động trở lại lúc \d{2}:\d{2}$/);
      await page.getByLabel('Mở van trong (phút)').fill('0');
      await page.getByRole('button', { name: 'Mở van' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/số phút: ít nhất 1/);
      await page.getByLabel('Mở van trong (phút)').fill('5');
      await page.getByRole('button', { name: 'Mở van' }).click();
      await expect
        .poll(() => page.getByTestId('cmd-status').textContent(), { timeout: 10_000 })
        .toContain('Bộ điều khiển đã thực hiện');
      expect(await page.getByTestId('cmd-status').textContent()).toMatch(
        /Đang điều khiển tay: Mở v1 trong 5 phút — tự động trở lại lúc \d{2}:\d{2}/,
      );
    });

    it('ends a manual close with "resume automatic now" and the gateway decides again at once', async () => {
      const { page } = browser;
      const resume = page.getByRole('button', { name: 'Tự động lại ngay' });
      await page.getByRole('button', { name: 'Đóng van' }).click();
      await expect.poll(() => chain.gateway.state.overrides.v1?.kind, { timeout: 10_000 }).toBe('close');
      // shown only while the gateway reports the hold
      await resume.waitFor({ timeout: 10_000 });
      await resume.click();
      await expect.poll(() => chain.gateway.state.overrides.v1, { timeout: 10_000 }).toBeUndefined();
      await expect.poll(() => resume.count(), { timeout: 10_000 }).toBe(0);
      await expect
        .poll(() => page.getByTestId('decisions').textContent(), { timeout: 10_000 })
        .toContain('Lệnh tay của nongdan: trở lại tự động (v1)');
    });

    it('switches to English and renders at 1280 px', async () => {
      const { page } = browser;
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByLabel('Ngôn ngữ').first().selectOption('en');
      await page.getByRole('heading', { name: 'My zones' }).waitFor();
      await browser.screenshot('farmer-zones-1280-en');
      await page.getByLabel('Language').first().selectOption('vi');
      await page.setViewportSize({ width: 360, height: 740 });
    });

    it("keeps an officer away from a farmer's controls: no controls in the page, 403 from the API", async () => {
      const { page } = browser;
      await login(page, chain.url, 'canbo');
      await page.getByTestId('officer-page').waitFor();
      expect(await page.getByText('Lưu và gửi xuống ruộng').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Dừng tất cả' }).count()).toBe(0);
      const status = await page.evaluate(async (gw) => (await fetch(`/api/v1/gateways/${gw}/config`)).status, chain.gw);
      expect(status).toBe(403);
      const cmd = await page.evaluate(
        async (gw) =>
          (
            await fetch(`/api/v1/gateways/${gw}/commands`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ kind: 'stop-all' }),
            })
          ).status,
        chain.gw,
      );
      expect(cmd).toBe(403);
      await browser.screenshot('officer-360');
      await page.setViewportSize({ width: 1280, height: 800 });
      await browser.screenshot('officer-1280');
      await page.setViewportSize({ width: 360, height: 740 });
    });

    it('shows a usable banner when the link to the server drops', async () => {
      const { page } = browser;
      await login(page, chain.url, 'nongdan');
      // the farmer page must have loaded its farm before the link goes
      await page.getByLabel('Mở van trong (phút)').waitFor();
      await page.context().setOffline(true);
      await page.getByLabel('Mở van trong (phút)').fill('3');
      await page.getByRole('button', { name: 'Mở van' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Mất kết nối với máy chủ');
      await browser.screenshot('farmer-link-down-360');
      await page.context().setOffline(false);
      expect(browser.errors).toEqual([]);
    });

    it('lets the farmer acknowledge an alert on the server: kept across a reload, seen by the technician', async () => {
      const { page } = browser;
      await page.reload();
      await chain.gateway.stop();
      const alert = page.getByTestId('alert-gateway_offline');
      await alert.waitFor({ timeout: 20_000 });
      expect(await alert.textContent()).toContain('Bộ điều khiển mất kết nối');
      await alert.getByRole('button', { name: 'Đã biết' }).click();
      await expect.poll(() => alert.count()).toBe(0);
      await page.reload();
      await page.getByRole('button', { name: /Hiện cả cảnh báo đã biết \(1\)/ }).click();
      expect(await page.getByTestId('alert-gateway_offline').textContent()).toMatch(/Đã biết lúc/);
      // stored by the server, not this browser: the technician sees the farmer's acknowledgement
      const tech = await chain.app.inject({
        url: `/api/v1/alerts?gateway=${chain.gw}`,
        headers: await bearer(chain.app, 'kythuat'),
      });
      expect(tech.json().alerts.find((a: { kind: string }) => a.kind === 'gateway_offline')?.ack?.by).toBe('nongdan');
    });
  },
);
