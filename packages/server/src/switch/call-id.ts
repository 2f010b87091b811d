/**
 * Call ids unique across restarts and across nodes (DESIGN.md, "Beyond one machine"): a ULID
 * (time-ordered, 26 characters of Crockford base32) — 48 bits of milliseconds since the epoch, so ids
 * sort by when their calls began, then 80 random bits, so two nodes or two restarts within one
 * millisecond still never collide. The call detail records carry the same id.
 */

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const timeChars = 10;
const randomChars = 16;

/** A new call id for a call starting at `nowMs` (milliseconds since the epoch). */
export function newCallId(nowMs: number): string {
  let time = Math.max(0, Math.floor(nowMs));
  let head = '';
  for (let i = 0; i < timeChars; i++) {
    head = crockford[time % 32]! + head;
    time = Math.floor(time / 32);
  }
  // Web Crypto, not node:crypto: the engine stays free of Node's built-ins.
  const random = crypto.getRandomValues(new Uint8Array(randomChars));
  let tail = '';
  for (const byte of random) tail += crockford[byte % 32]!;
  return head + tail;
}
