import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

// N=2^14, r=8, p=1: OWASP's floor for scrypt, about 50 ms per hash on one core.
const defaults = { N: 16_384, r: 8, p: 1, keyLength: 32 };

/** A salted scrypt hash in a self-describing form: `scrypt$N$r$p$salt$key` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, defaults.keyLength, {
    N: defaults.N,
    r: defaults.r,
    p: defaults.p,
    maxmem: 64 * 1024 * 1024,
  });
  return `scrypt$${defaults.N}$${defaults.r}$${defaults.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const HASH_FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export function isPasswordHash(value: string): boolean {
  return HASH_FORMAT.test(value);
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH_FORMAT.exec(stored);
  if (match === null) return false;
  const [, n, r, p, saltText, keyText] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, 'base64url');
  const N = Number(n);
  if (N > 2 ** 20 || Number(r) > 32 || Number(p) > 16 || expected.length < 16 || expected.length > 64) return false;
  const key = await scrypt(password, Buffer.from(saltText, 'base64url'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

/** HA1 digests of RFC 7616 §3.4.2 for both algorithms we offer, lower-case hex. */
export function sipHa1(
  username: string,
  realm: string,
  password: string,
): { realm: string; md5: string; sha256: string } {
  const input = `${username}:${realm}:${password}`;
  return {
    realm,
    md5: createHash('md5').update(input, 'utf8').digest('hex'),
    sha256: createHash('sha256').update(input, 'utf8').digest('hex'),
  };
}
