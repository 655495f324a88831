import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from './create-registry.js';
import type { Registry } from './registry.js';
import { verifyPassword } from './password.js';
import { addUser, loadDistrictFile, setActive } from './admin-tasks.js';

const EXAMPLE = new URL('./examples/district.yaml', import.meta.url).pathname;
let dir = '';
let reg: Registry | undefined;
afterEach(async () => { await reg?.close(); reg = undefined; fs.rmSync(dir, { recursive: true, force: true }); });

async function fresh(): Promise<Registry> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-admin-'));
  reg = createRegistry({ DATA_DIR: dir, DATABASE_URL: undefined });
  await reg.init();
  return reg;
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

  it('adds a user with several farms and a generated password, refuses a guessable one, and deactivates', async () => {
    const r = await fresh();
    await loadDistrictFile(r, EXAMPLE);
    const made = await addUser(r, { username: 'hai', name: 'Hai', role: 'farmer', farms: ['farm-nguyen-van-tam', 'farm-le-van-bay'] });
    expect((await r.getUser(made.id))?.farmIds).toEqual(['farm-nguyen-van-tam', 'farm-le-van-bay']);
    await expect(addUser(r, { username: 'ba', name: 'Ba', role: 'farmer', password: '123456789012' })).rejects.toMatchObject({ code: 'ADMIN_INPUT' });
    await setActive(r, 'hai', false);
    expect((await r.getUser(made.id))?.disabled).toBe(true);
    await expect(setActive(r, 'nobody', false)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });
});
