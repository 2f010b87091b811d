/**
 * The ports the engine needs and does not implement (DESIGN.md: the engine is hexagonal). Device
 * drivers — SIP phones, CTI ports and route points — ring, clear and connect terminals; the CDR sink
 * stores call records. Drivers must not call back into the engine from inside these methods: they
 * report what their devices do later, through the engine's inputs.
 */

import type { FeatureName } from './config.js';

/** An opaque session description (SDP) that the engine passes between legs without reading it. */
export type SessionDescription = string;

/** One terminal's part in a call (a TerminalConnection); drivers use it to report what happens. */
export type LegId = string;

export interface PartyInfo {
  readonly number: string;
  readonly displayName?: string;
  readonly device?: string;
}

export type RedirectReason =
  | 'forward-all'
  | 'forward-busy'
  | 'forward-no-answer'
  | 'forward-unregistered'
  | 'forward-cti-failure'
  | 'forward-no-coverage'
  | 'redirect'
  | 'transfer';

/** One step of a call's diversion history, oldest first: who sent it on, why, and where (a transfer too). */
export interface Redirection {
  readonly from: string;
  readonly to: string;
  readonly reason: RedirectReason;
}

/** Why a leg ends, in both vocabularies a peer may need: Q.850 cause and SIP status. */
export interface ReleaseCause {
  readonly reason:
    | 'normal'
    | 'busy'
    | 'no-answer'
    | 'unallocated'
    | 'unavailable'
    | 'cancelled'
    | 'answered-elsewhere'
    | 'forwarded'
    | 'rejected'
    | 'congestion'
    | 'transferred'
    | 'conferenced';
  readonly q850: number;
  readonly sipStatus: number;
  /** Why, in a sentence a person can read, when the reason alone does not say (which limit was reached). */
  readonly text?: string;
}

export const releaseCauses = {
  normal: { reason: 'normal', q850: 16, sipStatus: 200 },
  busy: { reason: 'busy', q850: 17, sipStatus: 486 },
  noAnswer: { reason: 'no-answer', q850: 19, sipStatus: 480 },
  unallocated: { reason: 'unallocated', q850: 1, sipStatus: 404 },
  unavailable: { reason: 'unavailable', q850: 20, sipStatus: 480 },
  cancelled: { reason: 'cancelled', q850: 16, sipStatus: 487 },
  answeredElsewhere: { reason: 'answered-elsewhere', q850: 26, sipStatus: 200 },
  forwarded: { reason: 'forwarded', q850: 16, sipStatus: 181 },
  rejected: { reason: 'rejected', q850: 21, sipStatus: 603 },
  congestion: { reason: 'congestion', q850: 34, sipStatus: 503 },
  /** The leg left because its party transferred the call; the other parties go on. */
  transferred: { reason: 'transferred', q850: 16, sipStatus: 200 },
  /** The leg's call was merged into another as a conference; its parties go on there. */
  conferenced: { reason: 'conferenced', q850: 16, sipStatus: 200 },
} as const satisfies Record<string, ReleaseCause>;

export interface AlertRequest {
  readonly leg: LegId;
  readonly callId: string;
  readonly device: string;
  readonly line: string;
  readonly calling: PartyInfo;
  /** The number the caller dialled. */
  readonly dialled: string;
  /** The number the call is offered to now (after any forwarding). */
  readonly called: string;
  readonly redirections: readonly Redirection[];
  /**
   * The caller's offer, when it made one. Without one (a transferred call, whose other party is
   * already talking) the device makes the offer when it answers, and gets the answer by `answerOffer`.
   */
  readonly offer: SessionDescription | undefined;
  /**
   * The call is made on the device's behalf (JTAPI Call.connect, RFC 3725): the device is asked to
   * answer by itself where it can (RFC 5373 Answer-Mode: Auto, Call-Info answer-after=0); one that
   * cannot rings, and the call goes on when its user answers.
   */
  readonly autoAnswer?: boolean;
  /** With `autoAnswer`: which request the device takes (its configuration); both when absent. */
  readonly autoAnswerBy?: 'answer-mode' | 'call-info';
}

export interface DeviceDriver {
  /**
   * Whether the device can take a call now (a phone registered, a CTI port opened). When the answer
   * changes, the engine is told with `Switch.deviceServiceChanged(device)` (by the driver or the
   * composition root), and reports the device and its lines in or out of service.
   */
  isInService(device: string): boolean;
  /** Ring a terminal; the driver later reports ringing, answer or refusal for `request.leg`. */
  alert(request: AlertRequest): void;
  /**
   * Ask a ringing terminal to answer (JTAPI TerminalConnection.answer): resolves once the device took
   * the request; its answer then arrives as usual (`Switch.answered`). Rejects with an UNSUPPORTED
   * coded error when the device cannot be answered remotely. Drivers without it cannot answer.
   */
  answer?(leg: LegId): Promise<void>;
  /**
   * A line's message-waiting lamp changed (set by an application): the driver tells the device, for
   * a SIP phone with a message-summary NOTIFY (RFC 3842). Drivers without it have no lamp to light.
   */
  messageWaiting?(device: string, line: string, waiting: boolean): void;
  /** Stop ringing a terminal that has not answered. */
  cancel(leg: LegId, cause: ReleaseCause): void;
  /** Clear a leg that was answered (or the caller's leg at any time). */
  release(leg: LegId, cause: ReleaseCause): void;
  /** Tell the caller's leg that the far end is ringing, with early media when there is some. */
  progress(leg: LegId, info: { earlyMedia?: SessionDescription }): void;
  /** Tell the caller's leg that the call was answered. */
  connected(
    leg: LegId,
    info: {
      answer: SessionDescription | undefined;
      connectedParty: PartyInfo;
      /** The leg reached a conference bridge (a SIP phone is told with Contact ";isfocus", RFC 4579). */
      focus?: boolean;
    },
  ): void;
  /** Ask a leg's device to take a new session description (hold, resume, codec change). */
  updateMedia(leg: LegId, offer: SessionDescription): Promise<SessionDescription>;
  /**
   * Ask a connected leg's device for a fresh offer (a SIP re-INVITE without SDP), as a transfer
   * does to join two parties that never spoke (RFC 3725 flow III). The answer follows by `answerOffer`.
   */
  requestOffer(leg: LegId): Promise<SessionDescription>;
  /**
   * The answer to an offer the leg's device made: in `requestOffer`, or when it answered an alert
   * that carried none. `undefined` when no answer could be had; the leg is released next.
   */
  answerOffer(leg: LegId, answer: SessionDescription | undefined): void;
  /**
   * Passes mid-call information from the other party (SIP INFO: DTMF relay, for one) to this leg's
   * device; resolves with the device's status (200 when it took it). Drivers without it drop such
   * information.
   */
  sendInfo?(leg: LegId, info: MidCallInfo): Promise<number>;
  /**
   * This server's address as the leg's device reaches it (for a SIP phone, the address its requests
   * arrive on): media the server terminates for the device (music on hold, a conference bridge) is
   * described there. Undefined when the driver cannot tell; the media's own address is used then.
   */
  serverAddress?(leg: LegId): string | undefined;
}

/** Mid-call information a device sends its peer: a body and its type (application/dtmf-relay, …). */
export interface MidCallInfo {
  readonly contentType: string;
  readonly body: string;
}

/** One call detail record: a caller's leg and the leg it finally reached (or failed to). */
export interface CallRecord {
  readonly callId: string;
  readonly callingNumber: string;
  readonly callingDevice: string | undefined;
  readonly dialledNumber: string;
  readonly originalCalledNumber: string;
  readonly finalCalledNumber: string;
  readonly calledDevice: string | undefined;
  readonly startedAt: number;
  readonly answeredAt: number | undefined;
  readonly endedAt: number;
  readonly cause: ReleaseCause;
  /** Who ended this leg: its caller or callee hanging up (or transferring), or the system. */
  readonly releasedBy: 'caller' | 'callee' | 'system';
  readonly redirections: readonly Redirection[];
}

export interface CallRecordSink {
  write(record: CallRecord): void;
}

/**
 * A media endpoint on the server (an RTP port of its own) that one party's device is connected to:
 * music on hold plays into it, a conference bridge mixes through it. Session descriptions are the
 * endpoint's own; the engine only passes them between it and the device.
 */
export interface MediaEndpoint {
  /**
   * An offer to a device, in the given direction, with every codec the endpoint can use. `reachedAt`
   * is the server address the device reaches (`DeviceDriver.serverAddress`), for the description.
   */
  offer(direction: 'sendonly' | 'sendrecv', reachedAt?: string): SessionDescription;
  /** The device's answer to `offer`: the endpoint starts sending. Throws when no usable codec was chosen. */
  accept(answer: SessionDescription): void;
  /** Answers a device's own offer (a holding phone's), or undefined when no codec in it is usable. */
  answer(
    offer: SessionDescription,
    direction: 'recvonly' | 'sendrecv',
    reachedAt?: string,
  ): SessionDescription | undefined;
  close(): void;
}

/** A conference bridge: each party joins through an endpoint of its own and hears the others. */
export interface ConferenceBridge {
  join(): Promise<MediaEndpoint>;
  close(): void;
}

/** An endpoint that sends DTMF as RFC 4733 telephone-events to the device it is connected to. */
export interface DigitSender extends MediaEndpoint {
  /** Sends the digits; resolves once the last one's events are sent. Throws when not connected. */
  sendDigits(digits: string): Promise<void>;
}

/** The server's media resources, as the engine needs them. */
export interface MediaResources {
  /** An endpoint that plays the music-on-hold source to the device it is connected to. */
  musicOnHold(): Promise<MediaEndpoint>;
  conferenceBridge(): ConferenceBridge;
  /** An endpoint that sends DTMF in RTP (RFC 4733); without it, digits go as SIP INFO only. */
  digitSender?(): Promise<DigitSender>;
}

/**
 * A call to a feature code (config.ts `featureCodes`), which the server answers itself: which feature,
 * who dialled it, and how the feature ends the call when it is done.
 */
export interface FeatureCall {
  readonly callId: string;
  readonly feature: FeatureName;
  /** The device that dialled the code, and the line it dialled from. */
  readonly device: string;
  readonly line: string;
  readonly dialled: string;
  /** The caller's offer, which the session answers next (what it can send and receive). */
  readonly offer: SessionDescription;
  /** The feature is done: the server hangs up. Harmless once the call has ended. */
  hangUp(): void;
}

/** The server's side of a feature call: its media, and the digits the device sends out of band. */
export interface FeatureSession {
  /**
   * Answers the device's offer (its first, or a later one: a hold, a codec change); undefined when
   * no codec in it is usable.
   */
  answer(
    offer: SessionDescription,
    direction: 'recvonly' | 'sendrecv',
    reachedAt?: string,
  ): SessionDescription | undefined;
  /** Mid-call information from the device (DTMF as SIP INFO); returns the status to answer it with. */
  info(info: MidCallInfo): number;
  /** The call ended (the device hung up, or the feature did): media and timers stop. Twice is harmless. */
  close(): void;
}

/** The services the server answers feature codes with. */
export interface FeatureServices {
  /** Starts the feature for a call; rejects when it cannot be given now (the call then fails). */
  open(call: FeatureCall): Promise<FeatureSession>;
}
