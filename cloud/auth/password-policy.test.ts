import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './password-policy.js';

describe('password policy', () => {
  it('refuses in production the passwords an attacker tries first, and says why', () => {
    expect(checkPasswordPolicy('123456789012', { username: 'admin', mode: 'production' })).toMatchObject({
      reason: 'too_guessable',
      warning: 'common',
    });
    expect(checkPasswordPolicy('qwertyuiopas', { username: 'admin', mode: 'production' })).toMatchObject({
      reason: 'too_guessable',
    });
    expect(checkPasswordPolicy('            ', { username: 'admin', mode: 'production' })).toMatchObject({
      reason: 'too_guessable',
      warning: 'simpleRepeat',
    });
    expect(checkPasswordPolicy('short-1A', { username: 'admin', mode: 'production' })).toEqual({
      reason: 'too_short',
      min: 12,
    });
    expect(checkPasswordPolicy('admin-of-the-district', { username: 'admin', mode: 'production' })).toEqual({
      reason: 'contains_username',
    });
  });
  it('accepts a long passphrase in production and a short one in the demo', () => {
    expect(checkPasswordPolicy('lúa mùa khô về sớm 2026', { username: 'admin', mode: 'production' })).toBeNull();
    expect(checkPasswordPolicy('12345678', { username: 'ba', mode: 'demo' })).toBeNull();
  });
});
