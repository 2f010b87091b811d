import { releaseCauses, type Redirection, type ReleaseCause } from '../../switch/index.js';

/** The engine's causes and redirection reasons in SIP's words, and back. */

/** The SIP status that best tells a caller why its call did not complete. */
export function finalStatusFor(cause: ReleaseCause): number {
  return cause.sipStatus >= 300 ? cause.sipStatus : 480;
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
