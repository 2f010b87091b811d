import type { RedirectReason, ReleaseCause } from './ports.js';
import { ciscoCause, type CallControlCause, type CoreCause } from './states.js';

/**
 * The three causes JTAPI puts on one call event, each in its own field as JTAPI has them: the core
 * cause (`Ev.getCause()`), the call-control cause (`CallCtlEv.getCallControlCause()`, none when the
 * change has no call-control reason) and Cisco's Q.850-based cause (`CiscoCallEv.getCiscoCause()`).
 */
export interface EventCauses {
  readonly cause: CoreCause;
  readonly callControlCause: CallControlCause | undefined;
  readonly ciscoCause: number;
}

function causes(cause: CoreCause, callControlCause: CallControlCause | undefined, cisco: number): EventCauses {
  return { cause, callControlCause, ciscoCause: cisco };
}

/** The causes of changes that are not failures or releases: nothing went wrong (Cisco's CAUSE_NOERROR). */
export const progressCauses = {
  normal: causes('NORMAL', undefined, ciscoCause.NOERROR),
  newCall: causes('NEW_CALL', undefined, ciscoCause.NOERROR),
  /** A held terminal connection talks again: JTAPI's CallCtlTermConnTalkingEv with CAUSE_UNHOLD. */
  unhold: causes('NORMAL', 'UNHOLD', ciscoCause.NOERROR),
  /** A party joins a call by a consult transfer (Cisco CAUSE_INBOUNDTRANSFER). */
  transferredIn: causes('NORMAL', 'TRANSFER', ciscoCause.INBOUNDTRANSFER),
  /** A party joins a call by a blind transfer (Cisco CAUSE_INBOUNDBLINDTRANSFER). */
  blindTransferredIn: causes('NORMAL', 'TRANSFER', ciscoCause.INBOUNDBLINDTRANSFER),
  /** A held party talks again because its calls became a conference. */
  conference: causes('NORMAL', 'CONFERENCE', ciscoCause.NOERROR),
  /** A party joins a call by a conference (Cisco CAUSE_INBOUNDCONFERENCE). */
  conferencedIn: causes('NORMAL', 'CONFERENCE', ciscoCause.INBOUNDCONFERENCE),
} as const satisfies Record<string, EventCauses>;

/** The causes on a ringing connection whose call another phone picked up (CallCtlEv CAUSE_CALL_PICKUP). */
export const pickedUpCauses: EventCauses = causes('NORMAL', 'CALL_PICKUP', ciscoCause.NOERROR);

/** The causes of the parker leaving a call it parked (CallCtlEv CAUSE_PARK). */
export const parkedCauses: EventCauses = causes('NORMAL', 'PARK', ciscoCause.NORMALCALLCLEARING);

/** The causes of a parked call leaving its park number: someone retrieved it, or it rang back its parker. */
export const unparkedCauses: EventCauses = causes('NORMAL', undefined, ciscoCause.NOERROR);

/** The causes of a party leaving a call because of a transfer or a conference. */
export const featureCauses = {
  /** The transferring party leaves (its own connections). */
  transferred: causes('NORMAL', 'TRANSFER', ciscoCause.NORMALCALLCLEARING),
  /** A party moves out of the consult call into the final call (Cisco CAUSE_OUTBOUNDTRANSFER). */
  transferredOut: causes('NORMAL', 'TRANSFER', ciscoCause.OUTBOUNDTRANSFER),
  /** The conference controller's consult connection leaves. */
  conferenced: causes('NORMAL', 'CONFERENCE', ciscoCause.NORMALCALLCLEARING),
  /** A party moves out of the consult call into the conference (Cisco CAUSE_OUTBOUNDCONFERENCE). */
  conferencedOut: causes('NORMAL', 'CONFERENCE', ciscoCause.OUTBOUNDCONFERENCE),
} as const satisfies Record<string, EventCauses>;

/**
 * How a release reads in JTAPI's three causes. The core cause says what JTAPI's core package can
 * (normal clearing, cancelled, not obtainable, no resources); the call-control cause adds busy and
 * no answer; Cisco's cause is the release's own Q.850 value.
 */
export function releaseEventCauses(release: ReleaseCause): EventCauses {
  const q850 = release.q850;
  switch (release.reason) {
    case 'normal':
    case 'answered-elsewhere':
    case 'rejected':
      return causes('NORMAL', undefined, q850);
    case 'busy':
      return causes('NORMAL', 'BUSY', q850);
    case 'no-answer':
      return causes('NORMAL', 'CALL_NOT_ANSWERED', q850);
    case 'unallocated':
    case 'unavailable':
      return causes('DEST_NOT_OBTAINABLE', undefined, q850);
    case 'cancelled':
      return causes('CALL_CANCELLED', undefined, q850);
    case 'forwarded':
      return causes('NORMAL', 'REDIRECTED', ciscoCause.REDIRECTED);
    case 'congestion':
      return causes('RESOURCES_NOT_AVAILABLE', undefined, q850);
    case 'transferred':
      return featureCauses.transferred;
    case 'conferenced':
      return featureCauses.conferenced;
  }
}

/**
 * The causes on a connection the call is taken away from by forwarding or a redirect: call-control
 * CAUSE_REDIRECTED, with Cisco's cause saying why — no answer (Q.850 19), busy (17), or Cisco's
 * CAUSE_REDIRECTED (200) for forward all, forward on unregistered and an application's redirect.
 */
export function redirectEventCauses(reason: RedirectReason): EventCauses {
  switch (reason) {
    case 'forward-no-answer':
      return causes('NORMAL', 'REDIRECTED', ciscoCause.NOANSWERFROMUSER);
    case 'forward-busy':
      return causes('NORMAL', 'REDIRECTED', ciscoCause.USERBUSY);
    default:
      return causes('NORMAL', 'REDIRECTED', ciscoCause.REDIRECTED);
  }
}
