import type { TimerHandle } from '../core/index.js';
import type { Call, Connection, TerminalConnection } from './call-model.js';
import type { FeatureName, SwitchDevice, SwitchHuntPilot, SwitchLine } from './config.js';
import type { HuntState } from './hunting.js';
import type { ConferenceBridge, FeatureSession, MediaEndpoint, PartyInfo, SessionDescription } from './ports.js';
import { isHoldOffer } from '../sdp/index.js';
import type { ConnectionReason } from './states.js';

/**
 * The engine's bookkeeping around a JTAPI call: who the call is routed from and to, its timers,
 * hunting, music on hold and conference state. Internal to the switch.
 */

/** What a number reaches: a line, a hunt pilot whose line groups are hunted, the conference number, or a feature code. */
export type RouteTarget =
  | { readonly kind: 'line'; readonly line: SwitchLine }
  | { readonly kind: 'pilot'; readonly pilot: SwitchHuntPilot }
  | { readonly kind: 'conference'; readonly number: string }
  | { readonly kind: 'feature'; readonly feature: FeatureName; readonly number: string };

export function targetNumber(target: RouteTarget): string {
  switch (target.kind) {
    case 'line':
      return target.line.dn;
    case 'pilot':
      return target.pilot.pattern;
    case 'conference':
    case 'feature':
      return target.number;
  }
}

/** A call whose parties talk through a server conference bridge, each through its own endpoint. */
export interface Conference {
  readonly bridge: ConferenceBridge;
  readonly endpoints: Map<LegEntry, MediaEndpoint>;
}

export interface CallContext {
  readonly call: Call;
  /**
   * The party the call is routed from: the caller's terminal, or after a transfer the party that
   * stayed. Its device learns of progress and answer (until it is connected once).
   */
  origin: TerminalConnection;
  /** Who the routed-to terminals are told is calling. */
  calling: PartyInfo;
  /**
   * The origin's session description, offered to every terminal the call is routed to. Undefined
   * once the origin is connected (after a transfer): the new party then offers, and the origin answers.
   */
  offer: SessionDescription | undefined;
  /** Whether the origin's device has been told of an answer; later answers re-join the media instead. */
  originConnected: boolean;
  /**
   * The leg whose device answered with an offer because the caller made none (a delayed offer):
   * the caller's answer, in its ACK, goes back to it.
   */
  awaitingAnswer: LegEntry | undefined;
  /** When this leg of the call began (the call's start, or the transfer that made it). */
  legStartedAt: number;
  legAnsweredAt: number | undefined;
  /** Connections offered the call and not yet answered: one, or a broadcast line group's several. */
  offered: Connection[];
  /** The line offered outside hunting, whose forwarding applies while it rings. */
  offeredLine: SwitchLine | undefined;
  /** The connection that answered. */
  destination: Connection | undefined;
  hunt: HuntState | undefined;
  /**
   * The hunt pilot's own connection while the call hunts: JTAPI shows a call to a pilot as a
   * connection at the pilot's address beside those of the members offered.
   */
  pilotConnection: Connection | undefined;
  /** The number offered to now (after forwarding). */
  called: string;
  /** Why the connections offered now are in the call (CiscoConnection.getReason()): direct, forwarded, redirected, transferred. */
  routeReason: ConnectionReason;
  noAnswerTimer: TimerHandle | undefined;
  /** The device that answered, once one has. */
  answeredBy: SwitchDevice | undefined;
  /** The party that put the call on hold, and the music its peer hears meanwhile. */
  musicOnHold: { readonly holder: LegEntry; readonly endpoint: MediaEndpoint } | undefined;
  conference: Conference | undefined;
  /** The server's own answer to a feature code (feature-calls.ts), once it has answered. */
  feature: FeatureSession | undefined;
  /**
   * Whether applications may transfer or conference this call (JTAPI CallControlCall.setTransferEnable
   * and setConferenceEnable, set before the call is made); phones' own transfers are not affected.
   */
  readonly allowed: { readonly transfer: boolean; readonly conference: boolean };
  ended: boolean;
}

/** A device's part in a call. A transfer may move it to another call and terminal connection. */
export interface LegEntry {
  context: CallContext;
  terminalConnection: TerminalConnection;
  readonly device: SwitchDevice;
}

/** What an offer means for hold; an offer that cannot be read changes nothing. */
export function holdIntent(offer: SessionDescription): 'hold' | 'resume' | 'unknown' {
  try {
    return isHoldOffer(offer) ? 'hold' : 'resume';
  } catch {
    return 'unknown';
  }
}

/** The no-answer timer of the line offered stops (answered, forwarded, ended). */
export function stopNoAnswerTimer(context: CallContext): void {
  context.noAnswerTimer?.cancel();
  context.noAnswerTimer = undefined;
}

/** The bookkeeping of a call just started from `origin`, before it is routed anywhere. */
export function newCallContext(
  call: Call,
  origin: TerminalConnection,
  calling: PartyInfo,
  offer: SessionDescription | undefined,
): CallContext {
  return {
    call,
    origin,
    calling,
    offer,
    originConnected: false,
    awaitingAnswer: undefined,
    legStartedAt: call.startedAt,
    legAnsweredAt: undefined,
    offered: [],
    offeredLine: undefined,
    destination: undefined,
    hunt: undefined,
    pilotConnection: undefined,
    called: call.dialled,
    routeReason: 'DIRECTCALL',
    noAnswerTimer: undefined,
    answeredBy: undefined,
    musicOnHold: undefined,
    conference: undefined,
    feature: undefined,
    allowed: { transfer: true, conference: true },
    ended: false,
  };
}
