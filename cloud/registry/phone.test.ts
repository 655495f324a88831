import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.js';

describe('phone numbers', () => {
  it('writes one Vietnamese number one way, whatever the spelling', () => {
    for (const s of ['0900000001', '+84 900000001', '84900000001', '090 000 0001', '+84-900-000-001'])
      expect(normalizePhone(s)).toBe('+84900000001');
  });
  it('refuses what is not a phone number', () => {
    for (const s of ['12345', 'abc', '', '+84 1']) expect(normalizePhone(s)).toBeNull();
  });
});
