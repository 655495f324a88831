import { describe, expect, it } from 'vitest';
import { accountsPerTest, withUnitRoutes } from './support/accounts-per-test.js';

const start = accountsPerTest();

const RING = [
  [105.56, 10.07],
  [105.5618, 10.07],
  [105.5618, 10.0709],
  [105.56, 10.0709],
  [105.56, 10.07],
];
const BOW_TIE = [
  [105.56, 10.07],
  [105.5618, 10.0709],
  [105.5618, 10.07],
  [105.56, 10.0709],
  [105.56, 10.07],
];
const district = (ring: number[][]) => ({
  units: [
    { id: 'vn-ct', level: 'province', name: 'Cần Thơ' },
    { id: 'vn-ct-dm', parent: 'vn-ct', level: 'commune', name: 'Định Môn' },
  ],
  farms: [
    {
      id: 'farm-tam',
      name: 'Ruộng ông Tám',
      unit: 'vn-ct-dm',
      fields: [{ id: 'field-tam-1', name: 'Thửa 1', boundary: { type: 'Polygon', coordinates: [ring] } }],
    },
  ],
});

describe('POST /api/v1/onboarding/district with fields', () => {
  it('refuses the whole district for one bad boundary, naming the field, and writes a good one with its farm', async () => {
    const { t, admin } = await start(withUnitRoutes());
    const bad = await admin.post('/api/v1/onboarding/district', district(BOW_TIE));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'ONBOARDING_INVALID',
      issues: [{ path: 'farms.0.fields.0.boundary', params: { field: 'field-tam-1' } }],
    });
    expect((await t.reg.listFarms()).map((f) => f.id)).not.toContain('farm-tam');
    expect((await t.reg.listUnits()).map((u) => u.id)).not.toContain('vn-ct-dm');

    const good = await admin.post('/api/v1/onboarding/district', district(RING));
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ farms: 1, fields: 1 });
    expect(await t.reg.listAudit({ entity: 'field', entityId: 'field-tam-1' })).toEqual([
      expect.objectContaining({ action: 'create', after: expect.objectContaining({ farmId: 'farm-tam' }) }),
    ]);
  });
});

describe('POST /api/v1/onboarding/district with gateway zones', () => {
  const zone = {
    id: 'thua-1',
    mode: 'awd',
    valves: ['v1'],
    sensors: { waterLevel: { sensor: 'wl1', metric: 'water_level' } },
    awd: { refloodCm: -15, targetCm: 5 },
  };
  const withZones = (z: Record<string, unknown>) => ({
    ...district(RING),
    farms: [{ ...district(RING).farms[0], gateways: ['gw-tam-02', { id: 'gw-tam-01', zones: [z] }] }],
  });

  it('refuses a bad zone at its path, then stores and publishes a good one once, not again on a reload', async () => {
    const published: [string, unknown][] = [];
    const { t, admin } = await start(
      withUnitRoutes(async (gw, cfg) => {
        published.push([gw, cfg]);
      }),
    );
    const post = (payload: Record<string, unknown>) => admin.post('/api/v1/onboarding/district', payload);

    const bad = await post(withZones({ ...zone, valves: [] }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('farms.0.gateways.1.zones.0.valves');
    expect((await t.reg.listFarms()).map((f) => f.id)).not.toContain('farm-tam');
    expect(published).toEqual([]);

    const good = await post(withZones(zone));
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ gateways: 2, configs: [{ gatewayId: 'gw-tam-01', version: 1 }] });
    expect(published).toEqual([
      ['gw-tam-01', expect.objectContaining({ version: 1, zones: [expect.objectContaining({ id: 'thua-1' })] })],
    ]);
    expect(await t.reg.listConfigs('gw-tam-01')).toHaveLength(1);

    const again = await post(withZones(zone));
    expect(again.json()).toMatchObject({ configs: [] });
    expect(published).toHaveLength(1);
    expect(await t.reg.listConfigs('gw-tam-01')).toHaveLength(1);
  });
});
