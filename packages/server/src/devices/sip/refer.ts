import { isStrowgerError } from '../../core/index.js';
import type { SipUri } from '../../sip/index.js';

/** Reading a REFER's target (RFC 3515, RFC 3891) and wording its outcome for the final NOTIFY. */

/** A header of a URI (`?Replaces=…`), its %-escapes decoded; names compare case-insensitively. */
export function headerParam(uri: SipUri, name: string): string | undefined {
  for (const [key, value] of uri.headers) {
    if (key.toLowerCase() !== name.toLowerCase()) continue;
    try {
      return decodeURIComponent(value ?? '');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The status line a failed transfer is reported with in the final NOTIFY. */
export function transferFailureStatus(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'sipStatus' in error && error.sipStatus === 481) {
    return '481 Call/Transaction Does Not Exist';
  }
  if (isStrowgerError(error, 'INVALID_ARGUMENT') || isStrowgerError(error, 'NOT_FOUND')) return '404 Not Found';
  if (isStrowgerError(error, 'INVALID_STATE')) return '403 Forbidden';
  return '503 Service Unavailable';
}

/** A Replaces value (RFC 3891 §6.1: Call-ID;to-tag;from-tag) read into its parts; undefined if incomplete. */
export function parseReplaces(replaces: string): { callId: string; toTag: string; fromTag: string } | undefined {
  const [callId, ...params] = replaces.split(';');
  const tags = new Map(
    params.map((param) => {
      const [name = '', value = ''] = param.split('=');
      return [name.trim().toLowerCase(), value.trim()];
    }),
  );
  const toTag = tags.get('to-tag');
  const fromTag = tags.get('from-tag');
  if (callId === undefined || callId.trim() === '' || toTag === undefined || fromTag === undefined) return undefined;
  return { callId: callId.trim(), toTag, fromTag };
}
