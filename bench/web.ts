/**
 * `npm run bench web [-- --runs N]`: a farmer on a 360 px phone over Fast 3G with a 4× slower
 * CPU (Chromium's DevTools presets through CDP): time from the login tap to the first live value
 * on the farmer page, and to the first history chart drawn. Runs the browser tests' chain (web
 * app + API, the system Mosquitto, a real gateway on a simulated paddy). Each run starts cold (a
 * fresh browser profile). Last line printed: one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

process.env.LOG_LEVEL ??= 'warn';
const { startWebChain } = await import('../test/support/web-chain.js');
const { CHROMIUM, CHROMIUM_ARGS } = await import('../test/support/browser.js');
const { bearer } = await import('../test/support/memory-app.js');
const { DEMO_PASSWORD } = await import('../cloud/auth/seed.js');

const args = process.argv.slice(2);
const RUNS = (() => {
  const i = args.indexOf('--runs');
  return i >= 0 ? Number(args[i + 1]) : args.includes('--smoke') ? 1 : 5;
})();
// DevTools "Fast 3G": 562.5 ms latency, 1.6 Mbit/s down and 750 kbit/s up, each × 0.9
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};
const CPU_SLOWDOWN = 4;
const TARGET_MS = 1500;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

interface Run {
  loginPageMs: number;
  valuesMs: number;
  chartMs: number;
  warmValuesMs: number;
}

async function loginToValues(
  page: import('playwright-core').Page,
  password: string,
): Promise<{ valuesMs: number; chartMs: number }> {
  await page.locator('#login').fill('nongdan');
  await page.locator('#password').fill(password);
  const tap = Date.now();
  await page.locator('form button[type=submit]').click();
  await page.waitForFunction(
    () => /\d/.test(document.querySelector('[data-testid="v-z1-waterLevel"]')?.textContent ?? ''),
    undefined,
    { timeout: 60_000, polling: 20 },
  );
  const valuesMs = Date.now() - tap;
  if (args.includes('--verbose')) {
    const rs = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => `${Math.round(e.startTime)}+${Math.round(e.duration)} ${e.name.replace(location.origin, '')}`),
    );
    console.log(rs.join('\n'));
  }
  await page.waitForFunction(() => !!document.querySelector('.chart canvas, .chart p.muted'), undefined, {
    timeout: 60_000,
    polling: 20,
  });
  return { valuesMs, chartMs: Date.now() - tap };
}

/** cold: a fresh profile; warm: the same phone after a logout (shell and last gateway remembered) */
async function oneRun(url: string, password: string): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rs-bench-web-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 740 },
    locale: 'vi-VN',
  });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const t0 = Date.now();
    await page.goto(url);
    await page.locator('#login').waitFor();
    const loginPageMs = Date.now() - t0;
    const cold = await loginToValues(page, password);
    await page.locator('header button').last().click();
    await page.locator('#login').waitFor();
    const warm = await loginToValues(page, password);
    return { loginPageMs, ...cold, warmValuesMs: warm.valuesMs };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const chain = await startWebChain();
try {
  const pw =
    (chain.demoLogins as Array<{ username: string; password: string }>).find((l) => l.username === 'nongdan')
      ?.password ?? DEMO_PASSWORD;
  const tech = await bearer(
    chain.app,
    'kythuat',
    (chain.demoLogins as Array<{ username: string; password: string }>).find((l) => l.username === 'kythuat')
      ?.password ?? DEMO_PASSWORD,
  );
  const site = chain.site.zoneConfig(1);
  await chain.app.inject({
    method: 'PUT',
    url: `/api/v1/gateways/${chain.gw}/config`,
    headers: tech,
    payload: { zones: site.zones, pumps: site.pumps },
  });
  // the gateway must have sent a reading, or "live values" would wait for its next poll
  await new Promise((r) => setTimeout(r, 3000));
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await oneRun(chain.url, pw);
    runs.push(r);
    console.log(
      `run ${i + 1}: login page ${r.loginPageMs} ms, login tap → live values ${r.valuesMs} ms (warm ${r.warmValuesMs} ms), → history chart ${r.chartMs} ms`,
    );
  }
  const result = {
    bench: 'web',
    viewport: '360x740',
    network: 'Fast 3G',
    cpuSlowdown: CPU_SLOWDOWN,
    runs: RUNS,
    loginPageMedianMs: median(runs.map((r) => r.loginPageMs)),
    valuesMedianMs: median(runs.map((r) => r.valuesMs)),
    chartMedianMs: median(runs.map((r) => r.chartMs)),
    warmValuesMedianMs: median(runs.map((r) => r.warmValuesMs)),
    targetMs: TARGET_MS,
    coldWithinTarget: median(runs.map((r) => r.valuesMs)) <= TARGET_MS,
    warmWithinTarget: median(runs.map((r) => r.warmValuesMs)) <= TARGET_MS,
  };
  console.log(JSON.stringify(result));
} finally {
  await chain.stop();
}
