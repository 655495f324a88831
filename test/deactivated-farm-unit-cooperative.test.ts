import { afterEach, describe, expect, it } from 'vitest';
import { accountsOnRegistry } from './support/accounts-app.js';
import { unitRoutes } from '../cloud/routes/units/index.js';
import { DEMO_COOPERATIVE, DEMO_UNITS } from '../cloud/demo/seed.js';

let done: (() => Promise<void>) | undefined;
afterEach(async () => {
  await done?.();
  done = undefined;
});

const GOOD_PW = 'lúa mùa khô về sớm 2026';
const COMMUNE = DEMO_UNITS.find((u) => u.level === 'commune')!.id;

async function setup() {
  const t = await accountsOnRegistry({
    extend: async (app, reg) => {
      await app.register(unitRoutes, { registry: reg, scoped: true });
    },
  });
  done = t.done;
  return { t, admin: await t.login('admin') };
}

describe('deactivating farms, units and cooperatives', () => {
  it('hides a deactivated farm from its farmer, keeps it in the admin list, audits old → new, and brings it back', async () => {
    const { t, admin } = await setup();
    const farmer = await t.login('nongdan');
    const mine = async () =>
      (await t.app.inject({ url: '/api/v1/my/farms', headers: farmer }))
        .json()
        .farms.map((f: { id: string }) => f.id) as string[];
    const before = await mine();
    const farm = before[0]!;
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/farms/${farm}`,
      headers: admin,
      payload: { active: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: farm, active: false });
    expect(await mine()).not.toContain(farm);
    const farmerList = (await t.app.inject({ url: '/api/v1/farms', headers: farmer }))
      .json()
      .farms.map((f: { id: string }) => f.id);
    expect(farmerList).not.toContain(farm);
    const adminList = (await t.app.inject({ url: '/api/v1/farms?limit=100', headers: admin })).json().farms;
    expect(adminList.find((f: { id: string }) => f.id === farm)).toMatchObject({ active: false });
    const [entry] = await t.reg.listAudit({ entity: 'farm', entityId: farm, limit: 1 });
    expect(entry).toMatchObject({ action: 'update', actor: 'admin', after: { active: false } });
    expect((entry!.before as { active?: boolean }).active).not.toBe(false);
    // an edit that does not name `active` keeps the deactivation
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/farms/${farm}`,
      headers: admin,
      payload: { name: 'Ruộng đổi tên' },
    });
    expect(await mine()).not.toContain(farm);
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/v1/farms/${farm}`, headers: admin, payload: { active: true } }))
        .statusCode,
    ).toBe(200);
    expect(await mine()).toContain(farm);
  });

  it('refuses a deactivated commune or cooperative as a new scope, naming the field', async () => {
    const { t, admin } = await setup();
    const unit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/units/${COMMUNE}`,
      headers: admin,
      payload: { active: false },
    });
    expect(unit.statusCode).toBe(200);
    expect(unit.json()).toMatchObject({ id: COMMUNE, active: false });
    const officer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { username: 'canbo9', name: 'Cán bộ', role: 'officer', password: GOOD_PW, communes: [COMMUNE] },
    });
    expect(officer.statusCode).toBe(400);
    expect(JSON.stringify(officer.json())).toContain('unitIds');

    const coop = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/cooperatives/${DEMO_COOPERATIVE.id}`,
      headers: admin,
      payload: { active: false },
    });
    expect(coop.statusCode).toBe(200);
    const tech = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: {
        username: 'ktv9',
        name: 'KTV',
        role: 'technician',
        password: GOOD_PW,
        cooperativeId: DEMO_COOPERATIVE.id,
      },
    });
    expect(tech.statusCode).toBe(400);
    expect(JSON.stringify(tech.json())).toContain('cooperativeId');
    const [entry] = await t.reg.listAudit({ entity: 'cooperative', entityId: DEMO_COOPERATIVE.id, limit: 1 });
    expect(entry).toMatchObject({ action: 'update', after: { active: false } });

    // active again: accepted
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/cooperatives/${DEMO_COOPERATIVE.id}`,
      headers: admin,
      payload: { active: true },
    });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: {
        username: 'ktv9',
        name: 'KTV',
        role: 'technician',
        password: GOOD_PW,
        cooperativeId: DEMO_COOPERATIVE.id,
      },
    });
    expect(again.statusCode).toBe(201);
  });
});
