import { randomBytes } from 'node:crypto';

/** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this magic cookie. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

// Random bytes are drawn in blocks: one system call serves many identifiers on the hot path.
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomToken(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  const token = pool.toString('base64url', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return token;
}

/** A globally unique branch parameter (§8.1.1.7), 96 random bits after the cookie. */
export function generateBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomToken(12);
}

/** A From/To tag with 64 random bits (§19.3 asks for at least 32). */
export function generateTag(): string {
  return randomToken(8);
}

/** A Call-ID (§8.1.1.4), 120 random bits, optionally `@host`. */
export function generateCallId(host?: string): string {
  const id = randomToken(15);
  return host === undefined ? id : `${id}@${host}`;
}
