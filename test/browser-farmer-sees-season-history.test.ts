import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadConfig } from '../cloud/config.js';
import { seedDemoDistrict } from '../cloud/demo/seed.js';
import { seedDemoHistory, seedDemoTelemetry } from '../cloud/demo/history.js';
import { CloudService } from '../cloud/server.js';
import { freePort } from '../lib/ports.js';
import { startBrowser } from './support/browser.js';
import { services } from './support/services.js';

/**
 * The full cloud (SQLite telemetry, embedded broker) with the demo's seeded season: on first
 * start the farmer's page charts water level, salinity and soil moisture with the valve-open
 * periods shaded, for 24 h and for the whole season.
 */
const ok = await services.chromium();

/** pixels of the valve-open shade (light blue behind the line) in a chart's canvas */
async function shadedPixels(page: Page, metric: string): Promise<number> {
  return page.evaluate((m) => {
    const c = document.querySelector<HTMLCanvasElement>(`[data-testid="plot-${m}"] canvas`);
    if (!c) return -1;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    // the translucent blue of the shade on the transparent canvas (the line is opaque green)
    for (let i = 0; i < d.length; i += 4)
      if (d[i + 3]! > 10 && d[i + 3]! < 120 && d[i + 2]! > 200 && d[i + 2]! - d[i]! > 100) n++;
    return n;
  }, metric);
}

describe.skipIf(!ok)("browser: a farmer sees the season's history on a fresh demo", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-history-'));
  let cloud: CloudService;
  let browser: Awaited<ReturnType<typeof startBrowser>>;

  beforeAll(async () => {
    const config = loadConfig(
      {},
      { PORT: await freePort(), MQTT_PORT: await freePort(), HOST: '127.0.0.1', DATA_DIR: dir, RUONGSO_MODE: 'demo' },
    );
    cloud = new CloudService({
      config,
      webApp: { tileUrl: '' },
      seed: async (r) => {
        await seedDemoDistrict(r);
      },
    });
    await cloud.start();
    await seedDemoHistory(cloud.registry, cloud.facts!);
    expect((await seedDemoTelemetry(cloud.store)).created).toBe(true);
    browser = await startBrowser({ width: 360, height: 740 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('charts water level, salinity and soil moisture with valve-open periods shaded, for 24 h and the season', async () => {
    const { page } = browser;
    const login = cloud.demoLogins;
    const pw = /nongdan\s+\S*\s*password: (\S+)/.exec(login)?.[1] ?? 'demo-ruongso';
    await page.goto(cloud.webUrl);
    await page.locator('#login').fill('nongdan');
    await page.locator('#password').fill(pw);
    await page.locator('form button[type=submit]').click();
    const history = page.getByTestId('zone-history').first();
    await history.waitFor({ timeout: 20_000 });
    for (const m of ['water_level', 'salinity'])
      await page.locator(`[data-testid="plot-${m}"] canvas`).first().waitFor({ timeout: 20_000 });
    expect(await page.getByText('Chưa có số liệu').count()).toBe(0);
    await history.getByRole('button', { name: 'Cả vụ' }).click();
    await expect.poll(() => history.getByRole('button', { name: 'Cả vụ' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => shadedPixels(page, 'water_level'), { timeout: 10_000 }).toBeGreaterThan(100);
    await browser.screenshot('farmer-history-season-360');
    expect(browser.errors).toEqual([]);
  });

  it("shows a technician the shallot garden's soil moisture of another farm of the cooperative", async () => {
    const { page } = browser;
    await page.context().clearCookies();
    await page.goto(cloud.webUrl);
    const pw = /kythuat\s+\S*\s*password: (\S+)/.exec(cloud.demoLogins)?.[1] ?? 'demo-ruongso';
    await page.locator('#login').fill('kythuat');
    await page.locator('#password').fill(pw);
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('view-gw-dai-an-01').click();
    await page.locator('[data-testid="plot-soil_moisture"] canvas').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => shadedPixels(page, 'soil_moisture'), { timeout: 10_000 }).toBeGreaterThan(100);
  });

  it('shows the demo officer their communes on a map shaded by the chosen indicator', async () => {
    const { page } = browser;
    await page.context().clearCookies();
    await page.goto(cloud.webUrl);
    const pw = /canbo\s+\S*\s*password: (\S+)/.exec(cloud.demoLogins)?.[1] ?? 'demo-ruongso';
    await page.locator('#login').fill('canbo');
    await page.locator('#password').fill(pw);
    await page.locator('form button[type=submit]').click();
    const map = page.getByTestId('commune-map');
    await map.waitFor({ timeout: 20_000 });
    await page.locator('#rep-kpi').selectOption('farmsRegistered');
    await expect
      .poll(() => map.locator('.commune-label').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/^Đại Ân 2: \d+$/)]));
    await page.setViewportSize({ width: 1280, height: 900 });
    await browser.screenshot('officer-commune-map-1280');
    await page.setViewportSize({ width: 360, height: 740 });
  });
});
