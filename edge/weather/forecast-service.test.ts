import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../lib/ports.js';
import { hours, minutes } from '../../lib/time.js';
import { WeatherError } from './errors.js';
import { ForecastService, type ForecastServiceOptions } from './forecast-service.js';
import { OpenMeteoProvider } from './open-meteo.js';
import type { ForecastProvider } from './provider.js';

const T0 = Date.UTC(2026, 2, 15, 0);
const oneHour = { ts: T0, precipitationMm: 0, probabilityPct: 5, tC: 30, rhPct: 60, windMs: 2, solarWm2: 0 };

function fakeProvider(script: ('ok' | 'fail')[]) {
  const calls: number[] = [];
  const provider: ForecastProvider = {
    name: 'fake',
    fetch: async () => {
      calls.push(Date.now());
      if ((script.shift() ?? 'ok') === 'fail') throw new WeatherError('FORECAST_HTTP', 'HTTP 503');
      return { provider: 'fake', latDeg: 10, lonDeg: 105, elevationM: 2, hours: [oneHour] };
    },
  };
  return { provider, calls };
}

const opts = (provider: ForecastProvider, extra: Partial<ForecastServiceOptions> = {}): ForecastServiceOptions => ({
  provider,
  latDeg: 10,
  lonDeg: 105,
  days: 2,
  refreshMs: hours(1),
  retryMs: minutes(5),
  staleAfterMs: hours(6),
  timeoutMs: 1000,
  clock: { now: () => Date.now() },
  ...extra,
});

describe('ForecastService', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('caches the forecast with its fetch time and calls it stale after staleAfter', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(T0);
    const { provider } = fakeProvider(['ok']);
    const s = new ForecastService(opts(provider, { refreshMs: hours(24) }));
    expect(s.view(T0)).toEqual({ ok: false, why: 'none', ageMs: null });
    expect(await s.refresh()).toBe(true);
    const v = s.view(T0 + hours(2));
    expect(v.ok && v.forecast.fetchedAt).toBe(T0);
    expect(s.view(T0 + hours(7))).toEqual({ ok: false, why: 'stale', ageMs: hours(7) });
  });

  it('refreshes on its interval, retries sooner after a failure and keeps the last good forecast meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(T0);
    const { provider, calls } = fakeProvider(['ok', 'fail', 'fail', 'ok']);
    const s = new ForecastService(opts(provider));
    s.start();
    await vi.advanceTimersByTimeAsync(hours(1) + minutes(10) + 1);
    expect(calls.map((c) => c - T0)).toEqual([0, hours(1), hours(1) + minutes(5), hours(1) + minutes(10)]);
    expect(s.lastError).toBeNull();
    const v = s.view(Date.now());
    expect(v.ok && v.forecast.fetchedAt).toBe(T0 + hours(1) + minutes(10));
    await s.stop();
    await vi.advanceTimersByTimeAsync(hours(3));
    expect(calls).toHaveLength(4);
  });

  it('records the failure code and leaves the cached forecast when the provider fails', async () => {
    const { provider } = fakeProvider(['ok', 'fail']);
    const s = new ForecastService(opts(provider));
    await s.refresh();
    expect(await s.refresh()).toBe(false);
    expect(s.lastError).toMatchObject({ code: 'FORECAST_HTTP' });
    expect(s.view(Date.now()).ok).toBe(true);
  });

  describe('with the Open-Meteo adapter and a file', () => {
    let server: http.Server;
    let url: string;
    let dir: string;
    let answer: 'rain' | 'down' = 'rain';
    const body = readFileSync(new URL('./fixtures/open-meteo-can-tho-rain-2026-03-15.json', import.meta.url), 'utf8');
    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'forecast-'));
      const port = await freePort();
      server = http.createServer((_req, res) =>
        answer === 'rain' ? res.writeHead(200).end(body) : res.writeHead(500).end(),
      );
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
      url = `http://127.0.0.1:${port}/v1/forecast`;
    });
    afterAll(async () => {
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the last good forecast over a restart, with its old fetch time', async () => {
      const file = path.join(dir, 'forecast.json');
      let now = T0;
      const clock = { now: () => now };
      const first = new ForecastService(opts(new OpenMeteoProvider(url), { file, clock }));
      expect(await first.refresh()).toBe(true);
      answer = 'down';
      now = T0 + hours(3);
      const second = new ForecastService(opts(new OpenMeteoProvider(url), { file, clock }));
      expect(await second.refresh()).toBe(false);
      const v = second.view(now);
      expect(v.ok && [v.forecast.fetchedAt, v.forecast.hours.length]).toEqual([T0, 72]);
      expect(second.view(T0 + hours(7)).ok).toBe(false);
    });

    it('starts without a forecast from a saved file that is not one', () => {
      const file = path.join(dir, 'broken.json');
      writeFileSync(file, '{"provider": 1}');
      expect(new ForecastService(opts(new OpenMeteoProvider(url), { file })).view(T0)).toEqual({
        ok: false,
        why: 'none',
        ageMs: null,
      });
    });
  });
});
