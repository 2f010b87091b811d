import { quote, type HeaderField } from '../../sip/index.js';
import { releaseCauses, type Redirection, type ReleaseCause } from '../../switch/index.js';

/** The engine's causes and redirection reasons in SIP's words, and back. */

/** The SIP status that best tells a caller why its call did not complete. */
export function finalStatusFor(cause: ReleaseCause): number {
  return cause.sipStatus >= 300 ? cause.sipStatus : 480;
}

/**
 * Headers that tell a person why a call was refused, when the engine said more than its reason: a
 * `Warning` with code 399 ("miscellaneous warning", RFC 3261 §20.43), which phones show, and a
 * `Reason` with the Q.850 cause and the same text (RFC 3326), which gateways and traces read.
 */
export function explanationHeaders(cause: ReleaseCause, host: string): HeaderField[] {
  if (cause.text === undefined) return [];
  const text = quote(cause.text);
  return [
    { name: 'Warning', value: `399 ${host} ${text}` },
    { name: 'Reason', value: `Q.850;cause=${cause.q850};text=${text}` },
  ];
}

/** How a phone's final answer to our INVITE reads as an engine cause. */
export function causeFromStatus(status: number): ReleaseCause {
  if (status === 486 || status === 600) return releaseCauses.busy;
  if (status === 603) return releaseCauses.rejected;
  if (status === 404 || status === 484 || status === 604) return releaseCauses.unallocated;
  if (status === 408 || status === 480) return releaseCauses.unavailable;
  if (status === 487) return releaseCauses.cancelled;
  return { reason: 'congestion', q850: 41, sipStatus: status };
}

export const diversionReason: Readonly<Record<Redirection['reason'], string>> = {
  'forward-all': 'unconditional',
  'forward-busy': 'user-busy',
  'forward-no-answer': 'no-answer',
  'forward-unregistered': 'unavailable',
  redirect: 'deflection',
  transfer: 'deflection',
};
