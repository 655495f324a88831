import { describe, expect, it } from 'vitest';
import { hashPassword, newSecret, verifyPassword } from './password.js';

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('mật khẩu 123', { N: 1024 });
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('mật khẩu 123', h)).toBe(true);
    expect(await verifyPassword('mat khau 123', h)).toBe(false);
  });

  it('salts every hash differently', async () => {
    expect(await hashPassword('x', { N: 1024 })).not.toBe(await hashPassword('x', { N: 1024 }));
  });

  it('treats a malformed stored hash as a wrong password instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999999$8$1$AAAA$AAAA')).toBe(false);
  });

  it('makes secrets long enough to be unguessable', () => {
    expect(newSecret().length).toBeGreaterThanOrEqual(32);
  });
});
