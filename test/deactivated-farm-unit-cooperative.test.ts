import { describe, expect, it } from 'vitest';
import { accountsPerTest, session, withUnitRoutes } from './support/accounts-per-test.js';
import { DEMO_COOPERATIVE, DEMO_UNITS } from '../cloud/demo/seed.js';

const GOOD_PW = 'lúa mùa khô về sớm 2026';
const COMMUNE = DEMO_UNITS.find((u) => u.level === 'commune')!.id;

const start = accountsPerTest();
const setup = () => start(withUnitRoutes());

describe('deactivating farms, units and cooperatives', () => {
  it('hides a deactivated farm from its farmer, keeps it in the admin list, audits old → new, and brings it back', async () => {
    const { t, admin } = await setup();
    const farmer = session(t, await t.login('nongdan'));
    const mine = async () =>
      (await farmer.get('/api/v1/my/farms')).json().farms.map((f: { id: string }) => f.id) as string[];
    const before = await mine();
    const farm = before[0]!;
    const res = await admin.patch(`/api/v1/farms/${farm}`, { active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: farm, active: false });
    expect(await mine()).not.toContain(farm);
    const farmerList = (await farmer.get('/api/v1/farms')).json().farms.map((f: { id: string }) => f.id);
    expect(farmerList).not.toContain(farm);
    const adminList = (await admin.get('/api/v1/farms?limit=100')).json().farms;
    expect(adminList.find((f: { id: string }) => f.id === farm)).toMatchObject({ active: false });
    const [entry] = await t.reg.listAudit({ entity: 'farm', entityId: farm, limit: 1 });
    expect(entry).toMatchObject({ action: 'update', actor: 'admin', after: { active: false } });
    expect((entry!.before as { active?: boolean }).active).not.toBe(false);
    // an edit that does not name `active` keeps the deactivation
    await admin.patch(`/api/v1/farms/${farm}`, { name: 'Ruộng đổi tên' });
    expect(await mine()).not.toContain(farm);
    expect((await admin.patch(`/api/v1/farms/${farm}`, { active: true })).statusCode).toBe(200);
    expect(await mine()).toContain(farm);
  });

  it('refuses a deactivated commune or cooperative as a new scope, naming the field', async () => {
    const { t, admin } = await setup();
    const unit = await admin.patch(`/api/v1/units/${COMMUNE}`, { active: false });
    expect(unit.statusCode).toBe(200);
    expect(unit.json()).toMatchObject({ id: COMMUNE, active: false });
    const officer = await admin.post('/api/v1/users', {
      username: 'canbo9',
      name: 'Cán bộ',
      role: 'officer',
      password: GOOD_PW,
      communes: [COMMUNE],
    });
    expect(officer.statusCode).toBe(400);
    expect(JSON.stringify(officer.json())).toContain('unitIds');

    const coop = await admin.patch(`/api/v1/cooperatives/${DEMO_COOPERATIVE.id}`, { active: false });
    expect(coop.statusCode).toBe(200);
    // a technician of that cooperative: refused while it is deactivated, accepted once it is back
    const ktv9 = {
      username: 'ktv9',
      name: 'KTV',
      role: 'technician',
      password: GOOD_PW,
      cooperativeId: DEMO_COOPERATIVE.id,
    };
    const tech = await admin.post('/api/v1/users', ktv9);
    expect(tech.statusCode).toBe(400);
    expect(JSON.stringify(tech.json())).toContain('cooperativeId');
    const [entry] = await t.reg.listAudit({ entity: 'cooperative', entityId: DEMO_COOPERATIVE.id, limit: 1 });
    expect(entry).toMatchObject({ action: 'update', after: { active: false } });

    // active again: accepted
    await admin.patch(`/api/v1/cooperatives/${DEMO_COOPERATIVE.id}`, { active: true });
    const again = await admin.post('/api/v1/users', ktv9);
    expect(again.statusCode).toBe(201);
  });
});
