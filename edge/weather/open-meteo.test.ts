import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/ports.js';
import { OpenMeteoProvider, openMeteoUrl } from './open-meteo.js';
import { WeatherError } from './errors.js';
import { forecastRain } from './forecast-rain.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const RAIN = fixture('open-meteo-can-tho-rain-2026-03-15.json');
const MISMATCH = fixture('open-meteo-series-length-mismatch.json');

describe('the Open-Meteo adapter against a local server serving recorded responses', () => {
  let server: http.Server;
  let base: string;
  const requests: URL[] = [];
  const routes: Record<string, (res: http.ServerResponse) => void> = {
    '/rain': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(RAIN),
    '/mismatch': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(MISMATCH),
    '/html': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>'),
    '/down': (res) => res.writeHead(503).end(),
    '/huge': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`[${'0,'.repeat(400_000)}0]`),
    '/silent': () => {
      /* never answers */
    },
  };

  beforeAll(async () => {
    const port = await freePort();
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      requests.push(url);
      (routes[url.pathname.replace('/v1/forecast', '')] ?? ((r) => r.writeHead(404).end()))(res);
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const get = (path: string, timeoutMs = 2000) =>
    new OpenMeteoProvider(`${base}${path}`).fetch({
      latDeg: 10.03,
      lonDeg: 105.78,
      days: 2,
      signal: AbortSignal.timeout(timeoutMs),
    });

  it('asks for hourly weather in UTC unix time and m/s, and parses every hour', async () => {
    const f = await get('/rain');
    const q = requests.at(-1)!.searchParams;
    expect(q.get('hourly')).toBe(
      'temperature_2m,relative_humidity_2m,precipitation,precipitation_probability,wind_speed_10m,shortwave_radiation',
    );
    expect([
      q.get('latitude'),
      q.get('longitude'),
      q.get('wind_speed_unit'),
      q.get('timeformat'),
      q.get('forecast_days'),
    ]).toEqual(['10.0300', '105.7800', 'ms', 'unixtime', '2']);
    expect(f.hours).toHaveLength(72);
    expect(f).toMatchObject({ provider: 'open-meteo', latDeg: 10, lonDeg: 105.75, elevationM: 3 });
    // the stamp 2026-03-16 08:00 UTC carries the rain of 07–08 UTC (14–15 h local)
    const h = f.hours.find((x) => x.ts === Date.UTC(2026, 2, 16, 7))!;
    expect(h).toMatchObject({ precipitationMm: 2.4, probabilityPct: 75 });
  });

  it('gives the rain of the shower to the rain rule: 14.5 mm at up to 85 % within 12 h', async () => {
    const f = await get('/rain');
    const r = forecastRain({ ...f, fetchedAt: 0 }, Date.UTC(2026, 2, 16, 2), 12);
    expect(r).toEqual({ probabilityPct: 85, mm: 14.5, hoursCovered: 12 });
  });

  it('refuses a response whose series do not match its hours, a page that is not JSON and a body too large', async () => {
    await expect(get('/mismatch')).rejects.toMatchObject({
      code: 'FORECAST_INVALID',
      message: expect.stringContaining('precipitation has 10 values for 72 hours'),
    });
    await expect(get('/html')).rejects.toMatchObject({ code: 'FORECAST_INVALID' });
    await expect(get('/huge')).rejects.toMatchObject({ code: 'FORECAST_TOO_LARGE' });
  });

  it('turns an HTTP error, a silent server and a closed port into WeatherErrors with stable codes', async () => {
    await expect(get('/down')).rejects.toMatchObject({ code: 'FORECAST_HTTP', context: { status: 503 } });
    await expect(get('/silent', 300)).rejects.toMatchObject({ code: 'FORECAST_TIMEOUT' });
    const closed = await freePort();
    const err = await new OpenMeteoProvider(`http://127.0.0.1:${closed}/v1/forecast`)
      .fetch({ latDeg: 10, lonDeg: 105, days: 1, signal: AbortSignal.timeout(2000) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeatherError);
    expect((err as WeatherError).code).toBe('FORECAST_UNREACHABLE');
  });

  it("keeps the base URL's own path and query", () => {
    expect(openMeteoUrl('http://10.0.0.5:8080/v1/forecast?apikey=x', { latDeg: 1, lonDeg: 2, days: 3 })).toMatch(
      /^http:\/\/10\.0\.0\.5:8080\/v1\/forecast\?apikey=x&latitude=1\.0000/,
    );
  });
});
