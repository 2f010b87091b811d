import { createHash } from 'node:crypto';
import { ErrorCode } from '../../core/index.js';
import { HttpProblem } from '../problem.js';

/** JSON with sorted keys: equal objects give equal text whatever order their keys were built in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * A strong entity tag (RFC 9110 §8.8.3) of an object as stored, secrets included, so a changed
 * password changes it too although the password is never shown.
 */
export function entityTag(stored: unknown): string {
  return `"${createHash('sha256').update(canonical(stored)).digest('base64url').slice(0, 27)}"`;
}

/**
 * RFC 9110 §13.1.1: with If-Match, the change goes ahead only if the object's current tag is one of
 * those listed (or `*`, if it exists at all); otherwise 412, and nothing is changed.
 */
export function checkIfMatch(ifMatch: string | undefined, current: string, what: string): void {
  if (ifMatch === undefined) return;
  const listed = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (listed.includes('*') || listed.includes(current)) return;
  throw new HttpProblem(
    412,
    ErrorCode.InvalidState,
    `${what} has changed since you read it (its ETag is now ${current}); read it again, redo your change on what it is now, and send that with the new ETag in If-Match`,
  );
}
