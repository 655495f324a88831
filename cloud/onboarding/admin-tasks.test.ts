import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../registry/create-registry.js';
import type { Registry } from '../registry/registry.js';
import { verifyPassword } from '../registry/password.js';
import { addUser, loadDistrictFile, setActive, setEntityActive } from './admin-tasks.js';

const EXAMPLE = new URL('./examples/district.yaml', import.meta.url).pathname;
let dir = '';
let reg: Registry | undefined;
afterEach(async () => {
  await reg?.close();
  reg = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function fresh(): Promise<Registry> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-admin-'));
  reg = createRegistry({ DATA_DIR: dir, DATABASE_URL: undefined });
  await reg.init();
  return reg;
}

/** the district's fields as stored (the missions' table, in the same SQLite file) */
function fieldRows(dataDir: string): Record<string, unknown>[] {
  const db = new Database(path.join(dataDir, 'ruongso.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, farm_id, name, area_ha FROM msn_fields ORDER BY id').all() as Record<
      string,
      unknown
    >[];
  } finally {
    db.close();
  }
}

describe('ruongso admin tasks', () => {
  it('checks a district file without writing on a dry run, then loads it with one password per new user', async () => {
    const r = await fresh();
    expect(await loadDistrictFile(r, EXAMPLE, { dryRun: true })).toEqual({ passwords: {} });
    expect(await r.listUnits()).toEqual([]);
    const { result, passwords } = await loadDistrictFile(r, EXAMPLE);
    expect(result).toMatchObject({ farms: 2, usersCreated: ['tam', 'ktv-dinhmon', 'canbo-thoilai'] });
    const tam = await r.findUserForLogin('+84911000111');
    expect(tam?.user).toMatchObject({ username: 'tam', farmIds: ['farm-nguyen-van-tam'] });
    expect(await verifyPassword(passwords.tam!, tam!.passwordHash)).toBe(true);
  });

  it("writes the farms' fields with the district, and refuses the whole file for one bad boundary, naming the field", async () => {
    const r = await fresh();
    const { result } = await loadDistrictFile(r, EXAMPLE);
    expect(result).toMatchObject({ fields: 1 });
    const rows = fieldRows(dir);
    expect(rows).toMatchObject([{ id: 'field-tam-thua-1', farm_id: 'farm-nguyen-van-tam', name: 'Thửa 1' }]);
    expect(Number(rows[0]!.area_ha)).toBeGreaterThan(1.5);
    expect(Number(rows[0]!.area_ha)).toBeLessThan(2.5);
    expect(await r.listAudit({ entity: 'field', entityId: 'field-tam-thua-1' })).toHaveLength(1);
    await r.close();
    reg = undefined;
    fs.rmSync(dir, { recursive: true, force: true });

    // a bow-tie boundary: nothing of the file is written, the issue names the field
    const r2 = await fresh();
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(EXAMPLE, 'utf8')
        .replace(
          '[[[105.5600, 10.0700], [105.5618, 10.0700], [105.5618, 10.0709], [105.5600, 10.0709], [105.5600, 10.0700]]]',
          '[[[105.5600, 10.0700], [105.5618, 10.0709], [105.5618, 10.0700], [105.5600, 10.0709], [105.5600, 10.0700]]]',
        ),
    );
    const err = (await loadDistrictFile(r2, bad).catch((e: unknown) => e)) as {
      code?: string;
      issues?: { path: string; params?: Record<string, unknown> }[];
    };
    expect(err.code).toBe('ONBOARDING_INVALID');
    expect(err.issues).toEqual([
      expect.objectContaining({
        path: 'farms.0.fields.0.boundary',
        params: expect.objectContaining({ field: 'field-tam-thua-1' }),
      }),
    ]);
    expect(await r2.listFarms()).toEqual([]);
    expect(await r2.listUnits()).toEqual([]);
    expect(fieldRows(dir)).toEqual([]);
  });

  it('adds a user with several farms and a generated password, refuses a guessable one, and deactivates', async () => {
    const r = await fresh();
    await loadDistrictFile(r, EXAMPLE);
    const made = await addUser(r, {
      username: 'hai',
      name: 'Hai',
      role: 'farmer',
      farms: ['farm-nguyen-van-tam', 'farm-le-van-bay'],
    });
    expect((await r.getUser(made.id))?.farmIds).toEqual(['farm-nguyen-van-tam', 'farm-le-van-bay']);
    await expect(
      addUser(r, { username: 'ba', name: 'Ba', role: 'farmer', password: '123456789012' }),
    ).rejects.toMatchObject({ code: 'ADMIN_INPUT' });
    await setActive(r, 'hai', false);
    expect((await r.getUser(made.id))?.disabled).toBe(true);
    await expect(setActive(r, 'nobody', false)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('deactivates and reactivates a farm, a unit and a cooperative, audited', async () => {
    const r = await fresh();
    await loadDistrictFile(r, EXAMPLE);
    await setEntityActive(r, 'farm', 'farm-le-van-bay', false);
    expect(await r.getFarm('farm-le-van-bay')).toMatchObject({ active: false });
    await setEntityActive(r, 'unit', 'vn-ct-tl-truong-thang', false);
    expect((await r.listUnits()).find((u) => u.id === 'vn-ct-tl-truong-thang')).toMatchObject({ active: false });
    await setEntityActive(r, 'cooperative', 'htx-dinh-mon', false);
    expect((await r.listCooperatives())[0]).toMatchObject({ active: false });
    await setEntityActive(r, 'farm', 'farm-le-van-bay', true);
    expect((await r.getFarm('farm-le-van-bay'))?.active).toBeUndefined();
    expect((await r.listAudit({ entity: 'farm', entityId: 'farm-le-van-bay', limit: 1 }))[0]).toMatchObject({
      actor: 'admin-cli',
      after: { active: true },
    });
    await expect(setEntityActive(r, 'farm', 'nope', false)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe("a district file's gateway zones", () => {
  it("stores a gateway's zones as its desired config, and loading the same file again makes no new version", async () => {
    const r = await fresh();
    const { result } = await loadDistrictFile(r, EXAMPLE);
    expect(result?.configs).toEqual([expect.objectContaining({ gatewayId: 'gw-dinh-mon-01', version: 1 })]);
    const [v1] = await r.listConfigs('gw-dinh-mon-01');
    expect(v1).toMatchObject({ version: 1, status: 'pending', createdBy: 'admin-cli' });
    expect(v1!.config).toMatchObject({ version: 1, zones: [{ id: 'thua-1', mode: 'awd', valves: ['v1'] }] });
    expect((await r.getGateway('gw-dinh-mon-01'))?.desiredConfigVersion).toBe(1);
    // the other gateway is listed by id only: no config for it
    expect(await r.listConfigs('gw-truong-thang-01')).toEqual([]);

    const again = await loadDistrictFile(r, EXAMPLE);
    expect(again.result?.configs).toEqual([]);
    expect(await r.listConfigs('gw-dinh-mon-01')).toHaveLength(1);

    // changed zones: one new version above the last
    const changed = path.join(dir, 'changed.yaml');
    fs.writeFileSync(changed, fs.readFileSync(EXAMPLE, 'utf8').replace('targetCm: 5 }', 'targetCm: 7 }'));
    const third = await loadDistrictFile(r, changed);
    expect(third.result?.configs).toEqual([expect.objectContaining({ gatewayId: 'gw-dinh-mon-01', version: 2 })]);
    const versions = await r.listConfigs('gw-dinh-mon-01');
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'pending'],
      [1, 'superseded'],
    ]);
  });

  it('refuses the whole file for a bad zone, naming its path, and writes nothing', async () => {
    const r = await fresh();
    const bad = path.join(dir, 'bad-zone.yaml');
    // an AWD zone without its water-level sensor
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(EXAMPLE, 'utf8')
        .replace(
          'waterLevel: { sensor: wl1, metric: water_level }',
          'soilMoisture: { sensor: sm1, metric: soil_moisture }',
        ),
    );
    const err = (await loadDistrictFile(r, bad).catch((e: unknown) => e)) as {
      code?: string;
      issues?: { path: string; code: string }[];
    };
    expect(err.code).toBe('ONBOARDING_INVALID');
    expect(err.issues).toEqual([
      expect.objectContaining({ path: 'farms.0.gateways.0.zones.0.sensors', code: 'custom' }),
    ]);
    expect(await r.listFarms()).toEqual([]);
    expect(await r.listConfigs('gw-dinh-mon-01').catch(() => [])).toEqual([]);

    // two zones with one id: the config's own rule, at the second zone's id
    const dupe = path.join(dir, 'dupe-zone.yaml');
    const text = fs.readFileSync(EXAMPLE, 'utf8');
    const zone = text.slice(text.indexOf('          - id: thua-1'), text.indexOf('    fields:'));
    fs.writeFileSync(dupe, text.replace(zone, zone + zone));
    const err2 = (await loadDistrictFile(r, dupe).catch((e: unknown) => e)) as { issues?: { path: string }[] };
    expect(err2.issues).toEqual([expect.objectContaining({ path: 'farms.0.gateways.0.zones.1.id' })]);
    expect(await r.listUnits()).toEqual([]);
  });
});
