import { afterEach, describe, expect, it } from 'vitest';
import { accountsOnRegistry } from './support/accounts-app.js';
import { unitRoutes } from '../cloud/routes/units/index.js';

let done: (() => Promise<void>) | undefined;
afterEach(async () => {
  await done?.();
  done = undefined;
});

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
    const t = await accountsOnRegistry({
      extend: async (app, reg) => {
        await app.register(unitRoutes, { registry: reg, scoped: true });
      },
    });
    done = t.done;
    const admin = await t.login('admin');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/onboarding/district',
      headers: admin,
      payload: district(BOW_TIE),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'ONBOARDING_INVALID',
      issues: [{ path: 'farms.0.fields.0.boundary', params: { field: 'field-tam-1' } }],
    });
    expect((await t.reg.listFarms()).map((f) => f.id)).not.toContain('farm-tam');
    expect((await t.reg.listUnits()).map((u) => u.id)).not.toContain('vn-ct-dm');

    const good = await t.app.inject({
      method: 'POST',
      url: '/api/v1/onboarding/district',
      headers: admin,
      payload: district(RING),
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ farms: 1, fields: 1 });
    expect(await t.reg.listAudit({ entity: 'field', entityId: 'field-tam-1' })).toEqual([
      expect.objectContaining({ action: 'create', after: expect.objectContaining({ farmId: 'farm-tam' }) }),
    ]);
  });
});
