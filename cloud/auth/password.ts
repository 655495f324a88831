import { randomBytes } from 'node:crypto';

/** One scrypt hash format for people and gateways: `scrypt$N$r$p$salt$hash` (cloud/registry/password.ts). */
export { hashPassword, verifyPassword } from '../registry/password.js';

/** A random password a person can type from a screen once (no look-alike characters). */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
