import { ErrorCode, StrowgerError, type Clock, type Logger } from '../core/index.js';
import { featureCauses, progressCauses, type EventCauses } from './causes.js';
import type { CallContext, Conference, LegEntry, RouteTarget } from './call-context.js';
import { targetNumber } from './call-context.js';
import type { Call, TerminalConnection } from './call-model.js';
import type { DriverOutbox } from './driver-outbox.js';
import type { LineOccupancy } from './line-occupancy.js';
import type { MediaControl } from './media-control.js';
import {
  releaseCauses,
  type DeviceDriver,
  type LegId,
  type MediaResources,
  type ReleaseCause,
  type SessionDescription,
} from './ports.js';
import type { ConnectionReason, FeatureReason } from './states.js';

/** What transfer and conference need of the engine. */
export interface MergeHost {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly media: MediaResources | undefined;
  readonly mediaControl: MediaControl;
  readonly outbox: DriverOutbox;
  readonly occupancy: LineOccupancy;
  driverFor(entry: LegEntry): DeviceDriver;
  /** A leg that is in a call and connected (talking or held), or a clear error saying why not. */
  connectedLeg(leg: LegId): LegEntry;
  /** The party a leg talks to, when it talks to one. */
  peerOf(entry: LegEntry): LegEntry | undefined;
  analyse(number: string): RouteTarget | undefined;
  /** Writes the call record of the context's current leg. */
  writeRecord(context: CallContext, cause: ReleaseCause, by: 'caller' | 'callee' | 'system'): void;
  /** A party leaves its call: its device is released, its connection disconnected with `causes`. */
  leave(entry: LegEntry, cause: ReleaseCause, causes: EventCauses): void;
  /** Routes the call on to a number, its new connections in the call for `reason`. */
  route(context: CallContext, number: string, reason: ConnectionReason): void;
  /** A call whose last party moved out is over: its timers stop and it is forgotten. */
  retire(context: CallContext): void;
  /** Ends a call for everyone (the parties could not agree on media, say). */
  end(context: CallContext, cause: ReleaseCause): void;
  flush(): void;
}

/**
 * Transfer and conference (JTAPI CallControlCall.transfer and conference, domain reference §2.8):
 * a party leaves a call and sends the other party on, or two calls of one controller merge. Each is
 * bracketed by Cisco's CiscoTransferStartEv/EndEv or CiscoConferenceStartEv/EndEv in the streams of
 * both calls, and parties moved between calls carry cause TRANSFER or CONFERENCE.
 */
export class CallMerging {
  readonly #host: MergeHost;

  constructor(host: MergeHost) {
    this.#host = host;
  }

  /**
   * Blind (single-step) transfer, JTAPI CallControlCall.transfer(String): the party on `leg` leaves
   * the call (its connection DISCONNECTED with cause TRANSFER) and the party it was talking to is
   * routed to `destination` as a new call leg, with forwarding and busy handling as for any call;
   * the new connection's reason is TRANSFERREDCALL. When the destination answers, the two are joined
   * with a fresh offer from the new party (RFC 3725 flow III). Refused, leaving the call as it was,
   * when the leg is not connected to anyone or the destination is not routable.
   */
  transfer(leg: LegId, destination: string): void {
    const host = this.#host;
    const entry = host.connectedLeg(leg);
    if (entry.context.conference !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `leg ${leg} is in a conference; leave it to transfer`);
    }
    const peer = host.peerOf(entry);
    if (peer === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `leg ${leg} is not connected to anyone; only a connected call can be transferred (redirect a ringing one)`,
      );
    }
    const reached = host.analyse(destination);
    if (reached === undefined) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `${destination} is not a routable number`);
    }
    if (targetNumber(reached) === peer.terminalConnection.connection.address) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `transferring ${peer.terminalConnection.connection.address} to ${destination} would connect it to itself`,
      );
    }
    const { context } = entry;
    const { call } = context;
    const controller = entry.terminalConnection;
    call.during(
      'CALL_TRANSFERRING',
      () => {
        recordFeature(call, 'call.transferStart', call, call, controller);
        call.redirections.push({ from: controller.connection.address, to: destination, reason: 'transfer' });
        host.writeRecord(context, releaseCauses.transferred, roleOf(entry));
        host.leave(entry, releaseCauses.transferred, featureCauses.transferred);
        this.routeFrom(context, peer);
        host.route(context, destination, 'TRANSFERREDCALL');
        recordFeature(call, 'call.transferEnd', call, call, controller);
      },
      'BLINDTRANSFER',
    );
    host.flush();
  }

  /**
   * Consult (attended) transfer, JTAPI CallControlCall.transfer(Call): the transferring party, on
   * `heldLeg` in one call and `consultLeg` in another, leaves both, and the party it consulted joins
   * the first call, talking to the party there (its connection in the second call goes DISCONNECTED
   * with cause TRANSFER, a new one appears ESTABLISHED in the first, reason TRANSFERREDCALL). The
   * second call ends INVALID. SIP's REFER with Replaces (RFC 3891) arrives here.
   */
  transferCalls(heldLeg: LegId, consultLeg: LegId): void {
    const host = this.#host;
    const { held, consult, stayer, joiner, target } = this.#mergeable(heldLeg, consultLeg, 'transferred');
    const controller = held.terminalConnection;
    const source = consult.context;
    this.#bracket('transfer', target.call, source.call, controller, () => {
      target.call.redirections.push({
        from: held.terminalConnection.connection.address,
        to: joiner.terminalConnection.connection.address,
        reason: 'transfer',
      });
      host.writeRecord(target, releaseCauses.transferred, roleOf(held));
      host.writeRecord(source, releaseCauses.transferred, roleOf(consult));
      host.leave(consult, releaseCauses.transferred, featureCauses.transferred);
      this.#moveIntoCall(joiner, target, 'TRANSFERREDCALL', featureCauses.transferredOut, progressCauses.transferredIn);
      // The first call: the transferring party leaves, the consulted party is already there, talking.
      host.leave(held, releaseCauses.transferred, featureCauses.transferred);
    });
    const connection = joiner.terminalConnection.connection;
    this.routeFrom(target, stayer);
    target.destination = connection;
    target.called = connection.address;
    target.call.currentCalled = connection.address;
    target.answeredBy = joiner.device;
    target.legAnsweredAt = target.legStartedAt;
    host.outbox.push(() => this.joinInBackground(target, stayer, joiner, undefined));
    host.flush();
  }

  /**
   * Ad-hoc conference, JTAPI CallControlCall.conference(Call): the controlling party, on `heldLeg` in
   * one call and `consultLeg` in another, brings the other call's party into the first call, and the
   * three talk through a server conference bridge — each party's device is re-INVITEd to a port of
   * the G.711 mixer. The second call ends; its party's connection moves to the first with cause
   * CONFERENCE. Resolves once every party is connected to the bridge; a party whose device refuses
   * the bridge is released.
   */
  async conference(heldLeg: LegId, consultLeg: LegId): Promise<void> {
    const host = this.#host;
    const media = host.media;
    if (media === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        'conferences need the media resources this server was started without',
      );
    }
    const { held, consult, stayer, joiner, target } = this.#mergeable(heldLeg, consultLeg, 'conferenced');
    const source = consult.context;
    this.#bracket('conference', target.call, source.call, held.terminalConnection, () => {
      host.writeRecord(source, releaseCauses.conferenced, roleOf(consult));
      host.leave(consult, releaseCauses.conferenced, featureCauses.conferenced);
      this.#moveIntoCall(joiner, target, 'DIRECTCALL', featureCauses.conferencedOut, progressCauses.conferencedIn);
    });
    host.mediaControl.stopMusic(target);
    const conference: Conference = { bridge: media.conferenceBridge(), endpoints: new Map() };
    target.conference = conference;
    host.flush();
    await Promise.all([stayer, held, joiner].map((party) => host.mediaControl.bridgeParty(target, conference, party)));
  }

  /**
   * Brings the party on `replacedLeg` into the conference `focusLeg` is in: the controlling phone's
   * call with that party ends, the party moves into the conference call (cause CONFERENCE) and is
   * re-INVITEd to a bridge port of its own. This is how a phone that called the conference number
   * adds its other calls (RFC 4579's REFER with Replaces to the focus).
   */
  async joinConference(focusLeg: LegId, replacedLeg: LegId): Promise<void> {
    const host = this.#host;
    const focus = host.connectedLeg(focusLeg);
    const conference = focus.context.conference;
    if (conference === undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `leg ${focusLeg} is not in a conference`);
    }
    const replaced = host.connectedLeg(replacedLeg);
    if (replaced.context === focus.context || replaced.context.conference !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `leg ${replacedLeg} is not a separate two-party call`);
    }
    const joiner = host.peerOf(replaced);
    if (joiner === undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `leg ${replacedLeg} is not connected to anyone`);
    }
    const source = replaced.context;
    this.#bracket('conference', focus.context.call, source.call, focus.terminalConnection, () => {
      host.writeRecord(source, releaseCauses.conferenced, roleOf(replaced));
      host.leave(replaced, releaseCauses.conferenced, featureCauses.conferenced);
      this.#moveIntoCall(
        joiner,
        focus.context,
        'DIRECTCALL',
        featureCauses.conferencedOut,
        progressCauses.conferencedIn,
      );
    });
    host.flush();
    await host.mediaControl.bridgeParty(focus.context, conference, joiner);
  }

  /** `join` from the driver queue, where nobody awaits it: whatever escapes it is logged. */
  joinInBackground(
    context: CallContext,
    stayer: LegEntry,
    newcomer: LegEntry,
    offer: SessionDescription | undefined,
  ): void {
    this.join(context, stayer, newcomer, offer).catch((error: unknown) => {
      this.#host.logger.error({ err: error, call: context.call.id }, 'joining the parties failed');
    });
  }

  /**
   * Joins the media of two parties that never spoke, as RFC 3725 flow III does: the newcomer's offer
   * (made when it answered, or asked for now) goes to the party already in the call, whose answer
   * goes back to the newcomer. If either refuses, they cannot hear each other, and the call ends.
   */
  async join(
    context: CallContext,
    stayer: LegEntry,
    newcomer: LegEntry,
    offer: SessionDescription | undefined,
  ): Promise<void> {
    const host = this.#host;
    const newcomerDriver = host.driverFor(newcomer);
    const live = () => !context.ended && newcomer.context === context && stayer.context === context;
    let answer: SessionDescription | undefined;
    try {
      const made = offer ?? (await newcomerDriver.requestOffer(newcomer.terminalConnection.leg));
      if (!live()) return;
      answer = await host.driverFor(stayer).updateMedia(stayer.terminalConnection.leg, made);
    } catch (error) {
      host.logger.warn({ err: error, callId: context.call.id }, 'the transferred parties could not agree on media');
    }
    if (!live()) return;
    newcomerDriver.answerOffer(newcomer.terminalConnection.leg, answer);
    // The party that stayed now hears the newcomer, not the music it was held with.
    if (answer !== undefined) host.mediaControl.stopMusic(context);
    if (answer === undefined) {
      host.end(context, releaseCauses.rejected);
      host.flush();
    }
  }

  /**
   * Runs a merge between Cisco's start and end events, sent to both calls: the final call's stream
   * and the consult call's, whose INVALID comes between them.
   */
  #bracket(
    feature: 'transfer' | 'conference',
    final: Call,
    consult: Call,
    controller: TerminalConnection,
    run: () => void,
  ): void {
    const meta = feature === 'transfer' ? 'CALL_TRANSFERRING' : 'CALL_MERGING';
    const reason: FeatureReason = feature === 'transfer' ? 'TRANSFER' : 'CONFERENCE';
    const start = feature === 'transfer' ? 'call.transferStart' : 'call.conferenceStart';
    const end = feature === 'transfer' ? 'call.transferEnd' : 'call.conferenceEnd';
    final.during(
      meta,
      () =>
        consult.during(
          meta,
          () => {
            for (const call of [final, consult]) recordFeature(call, start, consult, final, controller);
            run();
            for (const call of [final, consult]) recordFeature(call, end, consult, final, controller);
          },
          reason,
        ),
      reason,
    );
  }

  /** Two connected legs of one terminal in two calls, and the parties they talk to: checked, ready to merge. */
  #mergeable(
    heldLeg: LegId,
    consultLeg: LegId,
    why: 'transferred' | 'conferenced',
  ): { held: LegEntry; consult: LegEntry; stayer: LegEntry; joiner: LegEntry; target: CallContext } {
    const host = this.#host;
    const held = host.connectedLeg(heldLeg);
    const consult = host.connectedLeg(consultLeg);
    if (held.context === consult.context) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `legs ${heldLeg} and ${consultLeg} are in the same call`);
    }
    if (held.context.conference !== undefined || consult.context.conference !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, 'a call that is already a conference cannot be merged again');
    }
    const stayer = host.peerOf(held);
    const joiner = host.peerOf(consult);
    if (stayer === undefined || joiner === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `both calls must be connected to another party before they can be ${why} together`,
      );
    }
    return { held, consult, stayer, joiner, target: held.context };
  }

  /**
   * Moves a party out of its call (which then ends: its connections disconnect, it goes INVALID) into
   * `target`, where it appears as a new connection, already talking, keeping its leg.
   */
  #moveIntoCall(
    party: LegEntry,
    target: CallContext,
    reason: ConnectionReason,
    outCauses: EventCauses,
    inCauses: EventCauses,
  ): void {
    const host = this.#host;
    const source = party.context;
    const from = party.terminalConnection;
    from.setState('DROPPED', outCauses);
    from.connection.setState('DISCONNECTED', outCauses);
    host.occupancy.untrack(from.connection);
    for (const connection of source.call.connections) {
      if (connection.isLive) connection.setState('DISCONNECTED', outCauses);
    }
    source.call.setState('INVALID', outCauses);
    host.retire(source);

    const connection = target.call.addConnection(from.connection.address, 'terminating', reason);
    host.occupancy.track(connection);
    connection.setState('ESTABLISHED', inCauses);
    const moved = connection.addTerminalConnection(from.terminal, from.leg);
    moved.setState('TALKING', inCauses);
    party.context = target;
    party.terminalConnection = moved;
  }

  /** After a transfer the party that stayed is where the call is routed from, and it starts a new leg. */
  /** The call is routed from `stayer` from now on, which stays connected (after a transfer, a park). */
  routeFrom(context: CallContext, stayer: LegEntry): void {
    context.origin = stayer.terminalConnection;
    context.calling = { number: stayer.terminalConnection.connection.address, device: stayer.device.name };
    context.call.currentCalling = context.calling;
    context.offer = undefined;
    context.originConnected = true;
    context.offered = [];
    context.offeredLine = undefined;
    context.destination = undefined;
    context.answeredBy = undefined;
    context.legStartedAt = this.#host.clock.now();
    context.legAnsweredAt = undefined;
  }
}

/** Whether a leg is its call's caller side or callee side, for the call record. */
export function roleOf(entry: LegEntry): 'caller' | 'callee' {
  return entry.terminalConnection === entry.context.origin ? 'caller' : 'callee';
}

function recordFeature(
  call: Call,
  type: 'call.transferStart' | 'call.transferEnd' | 'call.conferenceStart' | 'call.conferenceEnd',
  consult: Call,
  final: Call,
  controller: TerminalConnection,
): void {
  const controllerFields = {
    controllerTerminalConnectionId: controller.id,
    controllerAddress: controller.connection.address,
    controllerTerminal: controller.terminal,
  };
  if (type === 'call.transferStart' || type === 'call.transferEnd') {
    call.record({ type, transferredCallId: consult.id, finalCallId: final.id, ...controllerFields });
  } else {
    call.record({ type, consultCallId: consult.id, finalCallId: final.id, ...controllerFields });
  }
}
