import type { TimerHandle } from '../../core/index.js';
import type { Dialog, IncomingRequest, SendTarget, SipRequest } from '../../sip/index.js';
import type { SessionOrigin } from '../../sdp/index.js';
import type { LegId, Switch } from '../../switch/index.js';

/** One phone's side of a call as the SIP driver keeps it: a dialog with us, and what is in flight on it. */

/** A REFER we accepted (RFC 3515): its progress is reported by NOTIFY unless the phone asked not (RFC 4488). */
export interface Referral {
  /** The REFER's CSeq, which names the subscription (the Event header's id). */
  readonly cseq: number;
  readonly notify: boolean;
  /** The last NOTIFY sent: the next waits for its answer (RFC 6665 §4.2.2), so none overtakes another. */
  sent: Promise<void>;
}

export interface LegBase {
  readonly id: LegId;
  readonly device: string;
  dialog: Dialog | undefined;
  /** Where in-dialog requests to this phone go, and our address it reached (named in Via and Contact). */
  target: SendTarget;
  ended: boolean;
  /** Our 2xx to an INVITE (the first or a re-INVITE) is sent again until its ACK arrives. */
  retransmit: TimerHandle | undefined;
  /** The CSeq of our INVITE whose 2xx carried the phone's offer: its ACK waits for the answer. */
  pendingAck: number | undefined;
  /** Our last ACK, sent again if the phone repeats the 2xx it acknowledges. */
  lastAck: SipRequest | undefined;
  referral: Referral | undefined;
  /** The phone's re-INVITE or UPDATE waiting for the other party's answer; 487 if the call ends first. */
  pendingUpdate: IncomingRequest | undefined;
  /** The session this phone sees: every description we send it carries one origin (RFC 3264 §8). */
  readonly origin: SessionOrigin;
}

/** The phone called us: we are the UAS of its INVITE. */
export interface InboundLeg extends LegBase {
  readonly kind: 'inbound';
  readonly incoming: IncomingRequest;
  /** The phone's INVITE carried no offer (a delayed offer): the ACK to our 200 brings its answer. */
  awaitingAnswer: boolean;
}

/** We called the phone: we are the UAC of our INVITE. */
export interface OutboundLeg extends LegBase {
  readonly kind: 'outbound';
  readonly invite: SipRequest;
  /** Whether our INVITE carried an offer; without one, the phone's 2xx brings its offer. */
  readonly offered: boolean;
  readonly abort: AbortController;
  /**
   * The early dialog a ringing phone's 1xx with a To tag made (RFC 3261 §12.1.2): a talk event is
   * sent in it, and it becomes the call's dialog on the 2xx, so the CSeq it used is not reused.
   */
  earlyDialog: Dialog | undefined;
}

export type SipLeg = InboundLeg | OutboundLeg;

/** What the driver needs of the engine: its inputs. */
export type SwitchInputs = Pick<
  Switch,
  | 'originate'
  | 'ringing'
  | 'answered'
  | 'offerAnswered'
  | 'refused'
  | 'released'
  | 'updateMedia'
  | 'relayInfo'
  | 'transfer'
  | 'transferCalls'
  | 'joinConference'
  | 'inConference'
  | 'messageWaitingOf'
  | 'snapshotDevice'
>;
