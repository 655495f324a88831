import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from './create-registry.js';

let dir = '';
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('phones stored before normalization', () => {
  it('are rewritten in E.164 at start, so the number is found and unique whatever its spelling', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-phone-'));
    const cfg = { DATA_DIR: dir, DATABASE_URL: undefined };
    const first = createRegistry(cfg);
    await first.init();
    await first.close();
    // a row as an earlier release stored it
    const raw = new Database(path.join(dir, 'ruongso.sqlite'));
    raw
      .prepare(
        "INSERT INTO reg_users (username, phone, role, password_hash, created_at) VALUES ('cu', '0900000009', 'farmer', 'h', 1)",
      )
      .run();
    raw.close();
    const reg = createRegistry(cfg);
    await reg.init();
    expect((await reg.findUserForLogin('+84 900 000 009'))?.user.username).toBe('cu');
    await expect(
      reg.createUser({ username: 'moi', phone: '+84900000009', role: 'farmer', passwordHash: 'h' }, 't', 1),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await reg.close();
  });
});
