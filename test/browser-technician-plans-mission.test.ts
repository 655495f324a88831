import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from './support/services.js';
import { startBrowser } from './support/browser.js';
import { startWebChain } from './support/web-chain.js';
import { DEMO_PASSWORD } from '../cloud/auth/seed.js';

const fixture = (name: string) => path.join(import.meta.dirname, '../cloud/missions/fixtures', name);
const ok = (await services.chromium()) && (await services.mosquitto());

describe.skipIf(!ok)('browser: a technician plans a spray mission and downloads the .plan', () => {
  let chain: Awaited<ReturnType<typeof startWebChain>>;
  let browser: Awaited<ReturnType<typeof startBrowser>>;

  beforeAll(async () => {
    chain = await startWebChain();
    browser = await startBrowser({ width: 1280, height: 900 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await chain?.stop();
  });

  it('plans on a field of the cooperative, approves, and downloads a QGroundControl plan', async () => {
    const { page } = browser;
    await page.goto(chain.url);
    await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill('0900000003');
    await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Kế hoạch bay phun' }).waitFor();
    // no tiles reachable here: the map says so and keeps a plain background
    await expect.poll(() => page.getByText('Không tải được bản đồ nền').first().isVisible()).toBe(true);
    await page.getByLabel('Lượng phun (L/ha)').fill('15');
    await page.getByRole('button', { name: 'Lập kế hoạch' }).click();
    await page.getByTestId('mission').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('mission').textContent()).toMatch(/Số chuyến/);
    // the first product's label allows 5 m/s: 6 is refused, 4.5 warns, both with the reasons shown
    await page.getByLabel('Gió trung bình (m/s)').fill('6');
    await page.getByRole('button', { name: 'Duyệt' }).click();
    await page.getByText('Không được duyệt vì thời tiết:').waitFor();
    expect(await page.getByTestId('weather-findings').textContent()).toMatch(/Gió vượt mức tối đa cho phép của thuốc/);
    expect(await page.getByRole('button', { name: 'Duyệt' }).isDisabled()).toBe(true);
    await page.getByLabel('Gió trung bình (m/s)').fill('4.5');
    await page.getByLabel('Khả năng mưa (%)').fill('40');
    await page.getByRole('button', { name: 'Duyệt' }).click();
    await page.getByText('Thời tiết cần lưu ý:').waitFor();
    expect(await page.getByTestId('weather-findings').textContent()).toMatch(/Gió gần mức tối đa.*mưa/s);
    expect(await page.getByRole('button', { name: 'Duyệt' }).isDisabled()).toBe(true);
    await page.getByLabel('Tôi đã xem các lưu ý và vẫn duyệt').check();
    await page.getByRole('button', { name: 'Duyệt' }).click();
    await page.getByTestId('mission-approved').waitFor();
    await browser.screenshot('technician-mission-1280');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('link', { name: /\.plan/ })
        .first()
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^mission-.*\.plan$/);
    const plan = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(plan.fileType).toBe('Plan');
    expect(plan.mission.items.length).toBeGreaterThan(3);
  });

  it('uploads field boundaries: a broken file shows every issue the API found, a KML lands on the map and in the planner', async () => {
    const { page } = browser;
    const fieldPaths = page.locator('section[aria-labelledby="map-h"] path.leaflet-interactive');
    await expect.poll(() => fieldPaths.count()).toBeGreaterThan(0);
    const before = await fieldPaths.count();
    await page.getByLabel('Tệp ranh giới (GeoJSON hoặc KML)').setInputFiles(fixture('self-intersecting.geojson'));
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByTestId('field-errors').waitFor();
    expect(
      await page.getByTestId('field-errors').locator('li[data-code="FIELD_SELF_INTERSECTION"]').textContent(),
    ).toBe('Ranh giới tự cắt chính nó');
    expect(await fieldPaths.count()).toBe(before);

    await page
      .getByRole('region', { name: 'Tải ranh giới thửa ruộng lên' })
      .getByLabel('Tên thửa (không bắt buộc)')
      .fill('Thửa tải lên từ KML');
    await page.getByLabel('Tệp ranh giới (GeoJSON hoặc KML)').setInputFiles(fixture('field-holes.kml'));
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByTestId('field-created').waitFor();
    expect(await page.getByTestId('field-created').textContent()).toMatch(/Thửa tải lên từ KML.*ha/);
    await expect.poll(() => fieldPaths.count()).toBe(before + 1);
    expect(await page.locator('#mis-field option', { hasText: 'Thửa tải lên từ KML' }).count()).toBe(1);
  });

  it('registers a gateway and shows its broker credentials once, and renders at 360 px', async () => {
    const { page } = browser;
    await page.getByLabel('Mã bộ điều khiển').fill('gw-new-web');
    await page.getByRole('button', { name: 'Đăng ký' }).click();
    await page.getByTestId('credentials').waitFor();
    const pw = chain.provisioner.gateways.get('gw-new-web')?.password;
    expect(pw).toBeTruthy();
    expect(await page.getByTestId('credentials').textContent()).toContain(pw!);
    await page.setViewportSize({ width: 360, height: 740 });
    await browser.screenshot('technician-360');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    expect(browser.errors).toEqual([]);
  });
});
