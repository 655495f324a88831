import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEMO_FARMS as AUTH_FARMS, bearer, buildMemoryApp } from './support/memory-app.js';
import { seedDemoHistory } from '../cloud/demo/history.js';
import { openSqliteDb } from '../cloud/registry/sqlite-db.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import { ReportFacts } from '../cloud/reports/facts.js';
import { ReportService } from '../cloud/reports/service.js';
import { reportRoutes } from '../cloud/reports/routes/index.js';

const NOW = Date.UTC(2026, 10, 20, 3);
const DAI_AN = 'vn-st-tde-dai-an-2';
const LICH_HOI = 'vn-st-tde-lich-hoi-thuong';

describe('adoption report API', () => {
  let app: FastifyInstance;
  let officer: { authorization: string };
  let admin: { authorization: string };
  let farmer: { authorization: string };
  const registry = createSqliteRegistry(':memory:');
  const facts = new ReportFacts(openSqliteDb(':memory:'));

  beforeAll(async () => {
    await registry.init();
    await facts.init();
    await seedDemoHistory(registry, facts, { now: NOW });
    const reports = new ReportService(registry, facts, { clock: { now: () => NOW } });
    // the demo officer reports on the communes of the farms given: Đại Ân 2 only
    const built = await buildMemoryApp({
      farms: AUTH_FARMS.filter((f) => f.commune === 'Đại Ân 2'),
      extend: async (a) => {
        await a.register(reportRoutes, { reports, clock: { now: () => NOW } });
      },
    });
    app = built.app;
    officer = await bearer(app, 'canbo');
    admin = await bearer(app, 'admin');
    farmer = await bearer(app, 'nongdan');
  });
  afterAll(async () => {
    await app?.close();
    await registry.close();
    await facts.close();
  });

  it('shows an officer only the subtree of their communes, default the last 12 months', async () => {
    const res = await app.inject({ url: '/api/v1/reports/adoption', headers: officer });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: '2025-12', to: '2026-11' });
    expect(body.units.map((u: { id: string }) => u.id)).toEqual([
      DAI_AN,
      'vn-st-tde-dai-an-2-ap-2',
      'vn-st-tde-dai-an-2-ap-1',
    ]);
    expect(new Set(body.rows.map((r: { unitId: string }) => r.unitId)).has(LICH_HOI)).toBe(false);
    expect(body.rows).toHaveLength(36);
  });

  it('answers an officer another commune exactly as a unit that does not exist', async () => {
    const hidden = await app.inject({ url: `/api/v1/reports/adoption?unit=${LICH_HOI}`, headers: officer });
    const ghost = await app.inject({ url: '/api/v1/reports/adoption?unit=vn-st-tde-khong-co', headers: officer });
    expect(hidden.statusCode).toBe(404);
    expect(ghost.statusCode).toBe(404);
    expect(hidden.json()).toEqual(ghost.json());
    expect(hidden.json()).toMatchObject({ error: 'REPORT_UNIT_NOT_FOUND' });
    const page = await app.inject({ url: `/api/v1/reports/monthly/${LICH_HOI}/2026-06`, headers: officer });
    const noPage = await app.inject({ url: '/api/v1/reports/monthly/vn-st-tde-khong-co/2026-06', headers: officer });
    expect([page.statusCode, noPage.statusCode]).toEqual([404, 404]);
    expect(page.json()).toEqual(noPage.json());
  });

  it('refuses a farmer everything, and a stranger', async () => {
    expect((await app.inject({ url: '/api/v1/reports/adoption', headers: farmer })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/reports/adoption.csv', headers: farmer })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/reports/adoption' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/reports/adoption?from=2026-13', headers: admin })).statusCode).toBe(400);
  });

  it('shows an admin the whole tree, the district the sum of its communes', async () => {
    const res = await app.inject({ url: '/api/v1/reports/adoption?from=2026-06&to=2026-06', headers: admin });
    const rows = res.json().rows as Record<string, number | string>[];
    const get = (id: string) => rows.find((r) => r.unitId === id)!;
    expect(get('vn-st').unitName).toBe('Sóc Trăng');
    expect(get('vn-st-tde').farmsRegistered).toBe(3);
    expect(get('vn-st-tde').missionsFlown).toBe(
      Number(get(DAI_AN).missionsFlown) + Number(get(LICH_HOI).missionsFlown),
    );
    expect(Number(get('vn-st-tde').awdHa)).toBeCloseTo(Number(get(DAI_AN).awdHa) + Number(get(LICH_HOI).awdHa), 6);
  });

  it('exports the same rows as CSV with Vietnamese headings', async () => {
    const json = (
      await app.inject({ url: '/api/v1/reports/adoption?from=2026-05&to=2026-06', headers: officer })
    ).json();
    const res = await app.inject({ url: '/api/v1/reports/adoption.csv?from=2026-05&to=2026-06', headers: officer });
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^Tháng,Mã đơn vị,Đơn vị,Cấp,Số hộ\/ruộng đăng ký/);
    expect(lines).toHaveLength(1 + json.rows.length);
    const first = lines[1]!.split(',');
    expect(first.slice(0, 3)).toEqual(['2026-05', DAI_AN, 'Đại Ân 2']);
    expect(Number(first[11])).toBe(json.rows[0].waterM3);
    const en = await app.inject({
      url: '/api/v1/reports/adoption.csv?from=2026-05&to=2026-05&lang=en',
      headers: officer,
    });
    expect(en.body).toContain('Water saved (%)');
  });

  it('exports an XLSX that parses back to the same numbers', async () => {
    const json = (await app.inject({ url: '/api/v1/reports/adoption?from=2026-05&to=2026-06', headers: admin })).json();
    const res = await app.inject({ url: '/api/v1/reports/adoption.xlsx?from=2026-05&to=2026-06', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(1 + json.rows.length);
    expect(ws.getRow(1).getCell(3).value).toBe('Đơn vị');
    const row2 = ws.getRow(2);
    expect(row2.getCell(2).value).toBe(json.rows[0].unitId);
    expect(row2.getCell(10).value).toBe(json.rows[0].automatedHa);
    expect(row2.getCell(15).value).toBe(json.rows[0].waterSavedM3);
    expect(wb.worksheets[1]!.getRow(1).getCell(1).value).toMatch(/không nhập tay/);
  });

  it('renders the printable monthly report in Vietnamese, and in English on request', async () => {
    const res = await app.inject({ url: `/api/v1/reports/monthly/${DAI_AN}/2026-06`, headers: officer });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('Báo cáo mức độ ứng dụng nông nghiệp số');
    expect(res.body).toContain('Đại Ân 2');
    expect(res.body).toContain('Ấp Tiếp Nhựt');
    expect(res.body).toContain('80 m³/ha/ngày');
    expect((res.body.match(/<tr>/g) ?? []).length).toBeGreaterThan(12);
    const en = await app.inject({ url: `/api/v1/reports/monthly/${DAI_AN}/2026-06?lang=en`, headers: officer });
    expect(en.body).toContain('Digital agriculture adoption report');
    expect(
      (await app.inject({ url: `/api/v1/reports/monthly/${LICH_HOI}/2026-06`, headers: officer })).statusCode,
    ).toBe(404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = app.swagger() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/reports/adoption',
        '/api/v1/reports/adoption.csv',
        '/api/v1/reports/adoption.xlsx',
        '/api/v1/reports/monthly/{unit}/{month}',
      ]),
    );
  });
});
