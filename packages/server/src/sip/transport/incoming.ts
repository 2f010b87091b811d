import { formatVia, parseMessage, SipParseError, type SipRequest, type SipResponse } from '../message/index.js';
import type { IncomingSource } from './types.js';

export type IncomingOutcome =
  | { kind: 'request'; request: SipRequest }
  | { kind: 'response'; response: SipResponse }
  | { kind: 'reject'; error: SipParseError }
  | { kind: 'drop'; reason: string };

/**
 * Turns received bytes into a message the transaction layer may see: parses, stamps the top Via of a
 * request with `received` and `rport` (RFC 3261 §18.2.1, RFC 3581 §4), and says what to do otherwise.
 * Pure, so every rule is unit-tested without sockets.
 */
export function acceptIncoming(bytes: Uint8Array, source: IncomingSource): IncomingOutcome {
  let message: SipRequest | SipResponse;
  try {
    message = parseMessage(bytes);
  } catch (error) {
    if (error instanceof SipParseError) {
      // The 400 must reach the sender as any response would, so the partial request is stamped too.
      if (error.partial !== undefined) stampTopVia(error.partial, source);
      return { kind: 'reject', error };
    }
    return { kind: 'drop', reason: `parser failure: ${String(error)}` };
  }
  if (message.kind === 'response') return { kind: 'response', response: message };

  if (!stampTopVia(message, source)) return { kind: 'drop', reason: 'request without a readable Via' };
  return { kind: 'request', request: message };
}

/** Adds `received` and fills an empty `rport` on the top Via; false when there is no readable Via. */
export function stampTopVia(message: SipRequest, source: IncomingSource): boolean {
  let top;
  try {
    top = message.via[0];
  } catch {
    return false;
  }
  if (top === undefined) return false;
  let changed = false;
  if (top.host !== source.remote.address) {
    top.params.set('received', source.remote.address);
    changed = true;
  }
  if (top.params.has('rport') && top.params.get('rport') === null) {
    top.params.set('rport', String(source.remote.port));
    if (!top.params.has('received')) top.params.set('received', source.remote.address);
    changed = true;
  }
  if (changed) rewriteTopVia(message, formatVia(top));
  return true;
}

/** Rewrites the Via fields with the stamped top value; the others keep their order and place. */
function rewriteTopVia(request: SipRequest, topValue: string): void {
  request.setHeaderValues('Via', [topValue, ...request.via.slice(1).map(formatVia)]);
}
