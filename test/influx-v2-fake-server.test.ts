import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetryStore } from '../cloud/telemetry/index.js';
import { InfluxTelemetryStore } from '../cloud/telemetry/influx/influx-store.js';

/**
 * InfluxDB 2.x cannot run on this machine: the v2 code path is checked against a fake server
 * that asserts on the requests (path, org/bucket/precision, token, Flux text) and answers
 * with annotated CSV the way 2.x does.
 */
interface Seen {
  method: string;
  url: URL;
  auth: string | undefined;
  body: string;
}

const T0 = 1_764_288_000_000;
const iso = (ms: number) => new Date(ms).toISOString();

function csv(header: string[], types: string[], rows: string[][]): string {
  return [
    `#datatype,string,long,${types.join(',')}`,
    `#group,false,false,${types.map(() => 'false').join(',')}`,
    `#default,_result,,${types.map(() => '').join(',')}`,
    `,result,table,${header.join(',')}`,
    ...rows.map((r) => `,,0,${r.join(',')}`),
    '',
    '',
  ].join('\r\n');
}

describe('InfluxDB 2.x adapter against a request-checking fake server', () => {
  const seen: Seen[] = [];
  let writeReplies: Array<{ status: number; headers?: Record<string, string>; body?: string }> = [];
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        const u = new URL(req.url!, 'http://x');
        seen.push({ method: req.method!, url: u, auth: req.headers.authorization, body });
        if (u.pathname === '/ping') {
          res.writeHead(204, { 'X-Influxdb-Version': 'v2.7.4' });
          res.end();
          return;
        }
        if (u.pathname === '/api/v2/write') {
          const r = writeReplies.shift() ?? { status: 204 };
          res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
          res.end(r.body ?? '');
          return;
        }
        if (u.pathname === '/api/v2/query') {
          const q = (JSON.parse(body) as { query: string }).query;
          res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
          if (q.includes('aggregateWindow')) {
            res.end(
              csv(
                ['_time', 'metric', 'sensor', 'count', 'max', 'mean', 'min'],
                ['dateTime:RFC3339', 'string', 'string', 'double', 'double', 'double', 'double'],
                [
                  [iso(T0 + 60_000), 'water_level', 'wl1', '1', '-4', '-4', '-4'],
                  [iso(T0), 'water_level', 'wl1', '3', '-2', '-3', '-4'],
                ],
              ),
            );
          } else if (q.includes('r._field == "unit"')) {
            res.end(
              csv(
                ['_time', '_value', 'metric', 'sensor'],
                ['dateTime:RFC3339', 'string', 'string', 'string'],
                [[iso(T0), 'cm', 'water_level', 'wl1']],
              ),
            );
          } else if (q.includes('pivot')) {
            res.end(
              csv(
                ['_time', 'metric', 'sensor', 'quality', 'unit', 'value', 'raw'],
                ['dateTime:RFC3339', 'string', 'string', 'string', 'string', 'double', 'double'],
                [
                  [iso(T0), 'water_level', 'wl1', '', '', '-3', ''],
                  [iso(T0 + 5000), 'water_level', 'wl1', 'bad', 'cm', '', '999'],
                ],
              ),
            );
          } else {
            res.end(
              csv(
                ['_time', '_value', 'metric', 'sensor'],
                ['dateTime:RFC3339', 'double', 'string', 'string'],
                [[iso(T0), '-3', 'water_level', 'wl1']],
              ),
            );
          }
          return;
        }
        res.writeHead(404);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const make = () =>
    createTelemetryStore(
      { INFLUX_URL: url, INFLUX_API: 'auto', INFLUX_TOKEN: 'secret-token', INFLUX_ORG: 'htx', INFLUX_BUCKET: 'fields' },
      { dataDir: '/nonexistent' },
    ) as InfluxTelemetryStore;

  it('detects 2.x from /ping and writes line protocol to /api/v2/write with org, bucket, ms precision and the token', async () => {
    const store = make();
    await store.init();
    expect(store.api).toBe('v2');
    seen.length = 0;
    const res = await store.write([
      { gatewayId: 'gw1', sensor: 'wl1', metric: 'water_level', value: -3.5, unit: 'cm', ts: T0, quality: 'good' },
    ]);
    expect(res).toEqual({ written: 1, rejected: 0 });
    const w = seen.find((s) => s.url.pathname === '/api/v2/write')!;
    expect(w.method).toBe('POST');
    expect(Object.fromEntries(w.url.searchParams)).toEqual({ org: 'htx', bucket: 'fields', precision: 'ms' });
    expect(w.auth).toBe('Token secret-token');
    expect(w.body).toBe(`reading,gateway=gw1,metric=water_level,sensor=wl1 quality="good",unit="cm",value=-3.5 ${T0}`);
  });

  it('refuses to start without a token and org', async () => {
    const store = createTelemetryStore({ INFLUX_URL: url, INFLUX_API: 'v2' }, { dataDir: '/x' });
    await expect(store.init()).rejects.toMatchObject({ code: 'STORE_CONFIG' });
  });

  it('retries a 503 after the Retry-After seconds and does not retry a 400', async () => {
    const store = make();
    await store.init();
    seen.length = 0;
    writeReplies = [
      { status: 503, headers: { 'retry-after': '0' }, body: '{"code":"unavailable","message":"busy"}' },
      { status: 204 },
    ];
    await store.write([
      { gatewayId: 'gw1', sensor: 'wl1', metric: 'water_level', value: 1, unit: 'cm', ts: T0, quality: 'good' },
    ]);
    expect(seen.filter((s) => s.url.pathname === '/api/v2/write')).toHaveLength(2);
    seen.length = 0;
    writeReplies = [{ status: 400, body: '{"code":"invalid","message":"partial write: unable to parse line 2"}' }];
    const res = await store.write([
      { gatewayId: 'gw1', sensor: 'wl1', metric: 'water_level', value: 1, unit: 'cm', ts: T0, quality: 'good' },
    ]);
    expect(res.rejected).toBe(1);
    expect(res.rejectedDetail).toMatch(/unable to parse line 2/);
    expect(seen.filter((s) => s.url.pathname === '/api/v2/write')).toHaveLength(1);
  });

  it('aggregates with Flux aggregateWindow per interval and returns the same shape as the other adapters', async () => {
    const store = make();
    await store.init();
    seen.length = 0;
    const series = await store.query({
      gatewayId: 'gw1',
      metric: 'water_level',
      from: T0,
      to: T0 + 120_000,
      everyMs: 60_000,
    });
    const flux = seen
      .filter((s) => s.url.pathname === '/api/v2/query')
      .map((s) => ({
        org: s.url.searchParams.get('org'),
        auth: s.auth,
        q: (JSON.parse(s.body) as { query: string }).query,
      }));
    expect(flux.every((f) => f.org === 'htx' && f.auth === 'Token secret-token')).toBe(true);
    const agg = flux.find((f) => f.q.includes('aggregateWindow'))!.q;
    expect(agg).toContain('from(bucket: "fields")');
    expect(agg).toContain(`range(start: ${iso(T0)}, stop: ${iso(T0 + 120_000)})`);
    expect(agg).toContain('r.gateway == "gw1"');
    expect(agg).toContain('r.metric == "water_level"');
    expect(agg).toContain('r._field == "value"');
    for (const fn of ['mean', 'min', 'max', 'count'])
      expect(agg).toContain(`aggregateWindow(every: 60000ms, fn: ${fn}, createEmpty: false, timeSrc: "_start")`);
    expect(series).toEqual([
      {
        gatewayId: 'gw1',
        sensor: 'wl1',
        metric: 'water_level',
        unit: 'cm',
        points: [
          { ts: T0, mean: -3, min: -4, max: -2, count: 3 },
          { ts: T0 + 60_000, mean: -4, min: -4, max: -4, count: 1 },
        ],
      },
    ]);
  });

  it('reads raw points and the newest point per sensor, a bad one with its raw value', async () => {
    const store = make();
    await store.init();
    const raw = await store.query({ gatewayId: 'gw1', from: T0, to: T0 + 1000 });
    expect(raw[0]!.points).toEqual([{ ts: T0, mean: -3, min: -3, max: -3, count: 1 }]);
    expect(await store.latest('gw1')).toEqual([
      { gatewayId: 'gw1', sensor: 'wl1', metric: 'water_level', unit: 'cm', value: 999, quality: 'bad', ts: T0 + 5000 },
    ]);
  });
});
