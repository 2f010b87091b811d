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

/**
 * The Q.850 cause a SIP final response stands for, as RFC 3398 §8.2.6.1 maps them for a gateway
 * releasing an ISUP call; responses the table leaves out (487, 488, 606, unknown codes) fall back by
 * class: 4xx/5xx to 41 temporary failure (as 500 and 503 do), 6xx to 21 call rejected (as 603 does).
 */
const q850ByStatus: ReadonlyMap<number, number> = new Map([
  [400, 41],
  [401, 21],
  [402, 21],
  [403, 21],
  [404, 1],
  [405, 63],
  [406, 79],
  [407, 21],
  [408, 102],
  [410, 22],
  [413, 127],
  [414, 127],
  [415, 79],
  [416, 127],
  [420, 127],
  [421, 127],
  [423, 127],
  [480, 18],
  [481, 41],
  [482, 25],
  [483, 25],
  [484, 28],
  [485, 1],
  [486, 17],
  [500, 41],
  [501, 79],
  [502, 38],
  [503, 41],
  [504, 102],
  [505, 127],
  [513, 127],
  [600, 17],
  [603, 21],
  [604, 1],
]);

export function q850FromStatus(status: number): number {
  return q850ByStatus.get(status) ?? (status >= 600 ? 21 : 41);
}

/**
 * How a phone's final answer to our INVITE reads as an engine cause: the kind of failure (which
 * selects forward-busy, hunt options and the status the caller is answered with), with the Q.850
 * cause of RFC 3398, which reaches the engine's events as Cisco's cause.
 */
export function causeFromStatus(status: number): ReleaseCause {
  const q850 = q850FromStatus(status);
  if (status === 486 || status === 600) return { ...releaseCauses.busy, q850 };
  if (status === 603) return { ...releaseCauses.rejected, q850 };
  if (status === 404 || status === 484 || status === 604) return { ...releaseCauses.unallocated, q850 };
  if (status === 408 || status === 480) return { ...releaseCauses.unavailable, q850 };
  if (status === 487) return releaseCauses.cancelled;
  return { reason: 'congestion', q850, sipStatus: status };
}

export const diversionReason: Readonly<Record<Redirection['reason'], string>> = {
  'forward-all': 'unconditional',
  'forward-busy': 'user-busy',
  'forward-no-answer': 'no-answer',
  'forward-unregistered': 'unavailable',
  // RFC 5806 has no reason for an application's failure; "out-of-service" is the nearest.
  'forward-cti-failure': 'out-of-service',
  'forward-no-coverage': 'unavailable',
  redirect: 'deflection',
  transfer: 'deflection',
};
