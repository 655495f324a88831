import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt password hashes as one self-describing string:
 *   scrypt$N$r$p$salt(base64)$hash(base64)
 * so the cost can rise later without breaking stored hashes. Used for users and for gateway
 * broker credentials.
 */
const DEFAULTS = { N: 16384, r: 8, p: 1, keylen: 32 };

function derive(
  password: string,
  salt: Buffer,
  o: { N: number; r: number; p: number; keylen: number },
): Promise<Buffer> {
  const opts: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r * 2 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, o.keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost: Partial<typeof DEFAULTS> = {}): Promise<string> {
  const o = { ...DEFAULTS, ...cost };
  const salt = randomBytes(16);
  const key = await derive(password, salt, o);
  return ['scrypt', o.N, o.r, o.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** false for a wrong password and for a malformed hash; constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [tag, n, r, p, salt, hash] = stored.split('$');
  if (tag !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const N = Number(n),
    R = Number(r),
    P = Number(p);
  if (!Number.isInteger(N) || !Number.isInteger(R) || !Number.isInteger(P) || N > 1 << 20 || expected.length < 16)
    return false;
  const key = await derive(password, Buffer.from(salt, 'base64'), { N, r: R, p: P, keylen: expected.length });
  return timingSafeEqual(key, expected);
}

/** A random secret for a gateway's broker password (shown once at provisioning). */
export function newSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
