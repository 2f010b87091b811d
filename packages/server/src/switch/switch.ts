import { ErrorCode, StrowgerError, TypedEmitter, silentLogger, type Clock, type Logger } from '../core/index.js';
import { Call, type Connection, type TerminalConnection } from './call-model.js';
import type {
  ForwardTarget,
  SwitchConfig,
  SwitchDevice,
  SwitchDeviceType,
  SwitchHuntList,
  SwitchHuntPilot,
  SwitchLine,
  SwitchLineGroup,
} from './config.js';
import { DigitAnalyzer } from './digit-analysis.js';
import type { SwitchEvents } from './events.js';
import { Hunting, memberFailureOf, type HuntHost } from './hunting.js';
import { MediaControl } from './media-control.js';
import {
  holdIntent,
  targetNumber,
  type CallContext,
  type Conference,
  type LegEntry,
  type RouteTarget,
} from './call-context.js';
import { viewOfCall, type CallView } from './call-view.js';
import {
  releaseCauses,
  type CallRecordSink,
  type DeviceDriver,
  type LegId,
  type MediaEndpoint,
  type MediaResources,
  type MidCallInfo,
  type PartyInfo,
  type RedirectReason,
  type ReleaseCause,
  type SessionDescription,
} from './ports.js';
import type { EventCause } from './states.js';

/** Forwarding stops after this many hops even without a loop, as CUCM's forward hop limit does. */
const maxRedirections = 10;

export interface SwitchOptions {
  clock: Clock;
  /** The driver for each device type; a type without one is never in service. */
  drivers: Partial<Record<SwitchDeviceType, DeviceDriver>>;
  records?: CallRecordSink;
  /** Music on hold and conference bridges; without them a held party hears silence and conferences are refused. */
  media?: MediaResources;
  logger?: Logger;
  config: SwitchConfig;
}

export interface OriginateRequest {
  device: string;
  /** The line the call is made from; the device's first line when absent. */
  line?: string;
  dialled: string;
  displayName?: string;
  offer?: SessionDescription;
}

/**
 * The call-control engine: routes calls between devices by directory number, with forwarding, busy
 * handling, shared lines and no-answer timers, and keeps each call as JTAPI's Call → Connection →
 * TerminalConnection model. It talks to devices only through drivers, and to time only through the
 * clock. Commands to drivers run after the engine's own state change completes (a microtask later),
 * so a driver may report back at once without re-entering a half-made change.
 */
export class Switch {
  readonly events: TypedEmitter<SwitchEvents>;
  readonly #clock: Clock;
  readonly #drivers: Partial<Record<SwitchDeviceType, DeviceDriver>>;
  readonly #records: CallRecordSink | undefined;
  readonly #media: MediaResources | undefined;
  readonly #hunting: Hunting<CallContext>;
  readonly #mediaControl: MediaControl;
  readonly #logger: Logger;
  #devices = new Map<string, SwitchDevice>();
  #lines = new Map<string, SwitchLine>();
  #lineDevices = new Map<string, SwitchDevice[]>();
  #analyzer = new DigitAnalyzer<RouteTarget>();
  #voicemailPilot: string | undefined;
  #lineGroups = new Map<string, SwitchLineGroup>();
  #huntLists = new Map<string, SwitchHuntList>();
  /** When each line's last call ended: what longest-idle distribution orders by. */
  readonly #idleSince = new Map<string, number>();
  readonly #calls = new Map<string, CallContext>();
  readonly #legs = new Map<LegId, LegEntry>();
  /** Live connections per directory number: what busy trigger and maximum calls count. */
  readonly #lineConnections = new Map<string, Set<Connection>>();
  #outbox: Array<() => void> = [];
  #nextCall = 1;

  constructor(options: SwitchOptions) {
    this.#clock = options.clock;
    this.#drivers = options.drivers;
    this.#records = options.records;
    this.#media = options.media;
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'switch' });
    this.events = new TypedEmitter(this.#logger);
    this.#hunting = new Hunting(this.#huntHost());
    this.#mediaControl = new MediaControl({
      media: this.#media,
      logger: this.#logger,
      driverFor: (device) => this.#driverFor(device),
      holds: (entry) => !entry.context.ended && this.#legs.get(entry.terminalConnection.leg) === entry,
      release: (leg, cause) => this.released(leg, cause),
    });
    this.updateConfig(options.config);
  }

  /** Follows a configuration change; calls in progress keep the settings they started with. */
  updateConfig(config: SwitchConfig): void {
    const lines = new Map(config.lines.map((line) => [line.dn, line]));
    const analyzer = new DigitAnalyzer<RouteTarget>();
    const route = (number: string, target: RouteTarget) => {
      try {
        analyzer.add(number, target);
      } catch (error) {
        // The store validates numbers; one that still cannot be routed must not stop the rest.
        this.#logger.warn({ err: error, number }, 'a number in the configuration cannot be routed; it is skipped');
      }
    };
    for (const line of config.lines) route(line.dn, { kind: 'line', line });
    for (const pilot of config.huntPilots ?? []) route(pilot.pattern, { kind: 'pilot', pilot });
    if (config.conferenceNumber !== undefined) {
      route(config.conferenceNumber, { kind: 'conference', number: config.conferenceNumber });
    }
    const lineDevices = new Map<string, SwitchDevice[]>();
    for (const device of config.devices) {
      for (const dn of device.lines) {
        const list = lineDevices.get(dn) ?? [];
        list.push(device);
        lineDevices.set(dn, list);
      }
    }
    this.#devices = new Map(config.devices.map((device) => [device.name, device]));
    this.#lines = lines;
    this.#analyzer = analyzer;
    this.#lineDevices = lineDevices;
    this.#voicemailPilot = config.voicemailPilot;
    this.#lineGroups = new Map((config.lineGroups ?? []).map((group) => [group.name, group]));
    this.#huntLists = new Map((config.huntLists ?? []).map((list) => [list.name, list]));
  }

  // --- inputs from drivers ---------------------------------------------------------------------

  /**
   * A device places a call. Returns the caller's leg at once; how the call fares is reported to the
   * device's driver (progress, connected, or release with a cause).
   */
  originate(request: OriginateRequest): LegId {
    const device = this.#devices.get(request.device);
    if (device === undefined) throw new StrowgerError(ErrorCode.NotFound, `device ${request.device} is not configured`);
    const dn = request.line ?? device.lines[0];
    if (dn === undefined || !device.lines.includes(dn)) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `device ${device.name} has no line ${request.line ?? '(none)'}`,
      );
    }
    const line = this.#lines.get(dn);
    if (line === undefined) throw new StrowgerError(ErrorCode.NotFound, `line ${dn} is not configured`);

    const calling: PartyInfo = {
      number: dn,
      device: device.name,
      ...(request.displayName === undefined ? {} : { displayName: request.displayName }),
    };
    const call = new Call({
      id: `c${this.#nextCall++}`,
      dialled: request.dialled,
      calling,
      now: () => this.#clock.now(),
      emit: (event) => this.events.emit('call', event),
    });
    call.setState('ACTIVE', 'NEW_CALL');
    const originConnection = call.addConnection(dn, 'originating');
    const atLimit = this.#liveCallsOn(dn) >= line.maxCalls;
    this.#track(originConnection);
    const origin = originConnection.addTerminalConnection(device.name);
    originConnection.setState('INITIATED');
    origin.setState('TALKING');
    originConnection.setState('DIALING');

    const context: CallContext = {
      call,
      origin,
      calling,
      offer: request.offer,
      originConnected: false,
      awaitingAnswer: undefined,
      legStartedAt: call.startedAt,
      legAnsweredAt: undefined,
      offered: [],
      offeredLine: undefined,
      destination: undefined,
      hunt: undefined,
      pilotConnection: undefined,
      called: request.dialled,
      noAnswerTimer: undefined,
      answeredBy: undefined,
      musicOnHold: undefined,
      conference: undefined,
      ended: false,
    };
    this.#calls.set(call.id, context);
    this.#legs.set(origin.leg, { context, terminalConnection: origin, device });

    if (atLimit) {
      const text = `line ${dn} is already in ${line.maxCalls} call${line.maxCalls === 1 ? '' : 's'}, its maximum`;
      this.#fail(context, { ...releaseCauses.congestion, text }, 'RESOURCES_NOT_AVAILABLE');
    } else {
      this.#route(context, request.dialled);
    }
    this.#flush();
    return origin.leg;
  }

  /** A terminal that was alerted is ringing (a 180), perhaps with early media (a 183 with SDP). */
  ringing(leg: LegId, info: { earlyMedia?: SessionDescription } = {}): void {
    const entry = this.#legs.get(leg);
    if (entry === undefined || entry.context.ended) return;
    const { context, terminalConnection } = entry;
    if (!context.offered.includes(terminalConnection.connection)) return;
    const first = terminalConnection.connection.state !== 'ALERTING';
    if (terminalConnection.state === 'IDLE') terminalConnection.setState('RINGING');
    if (first && terminalConnection.connection.state === 'IDLE') terminalConnection.connection.setState('ALERTING');
    if (!context.originConnected && (first || info.earlyMedia !== undefined)) {
      this.#command(context.origin, (driver) =>
        driver.progress(context.origin.leg, info.earlyMedia === undefined ? {} : { earlyMedia: info.earlyMedia }),
      );
    }
    this.#flush();
  }

  /**
   * A terminal answered, with the answer to the offer it was alerted with, or with its own `offer`
   * when it was alerted without one. Returns false when the answer is not wanted — the call ended,
   * moved on, or another appearance of a shared line answered first — and the driver must then clear
   * that leg itself (for SIP: ACK and BYE, RFC 3261 §9.1's 200 crossing a CANCEL).
   */
  answered(leg: LegId, info: { answer?: SessionDescription; offer?: SessionDescription } = {}): boolean {
    const entry = this.#legs.get(leg);
    if (entry === undefined) return false;
    const { context, terminalConnection } = entry;
    const connection = terminalConnection.connection;
    if (context.ended || !context.offered.includes(connection)) {
      this.#legs.delete(leg);
      if (terminalConnection.state !== 'DROPPED') terminalConnection.setState('DROPPED');
      this.#flush();
      return false;
    }
    this.#stopNoAnswerTimer(context);
    this.#hunting.stop(context);
    this.#pilotDone(context, 'NORMAL');
    terminalConnection.setState('TALKING');
    for (const other of connection.terminalConnections) {
      if (other === terminalConnection || other.state === 'DROPPED') continue;
      // The other appearances of a shared line stop ringing and show the call as in use elsewhere.
      this.#command(other, (driver) => driver.cancel(other.leg, releaseCauses.answeredElsewhere));
      this.#legs.delete(other.leg);
      other.setState('BRIDGED');
    }
    // The other members of a broadcast line group stop ringing.
    for (const other of context.offered) {
      if (other !== connection) this.#withdraw(context, other, releaseCauses.answeredElsewhere, 'NORMAL');
    }
    context.offered = [];
    context.offeredLine = undefined;
    context.destination = connection;
    connection.setState('ESTABLISHED');
    const now = this.#clock.now();
    context.call.answeredAt ??= now;
    context.legAnsweredAt = now;
    context.answeredBy = entry.device;
    context.origin.connection.setState('ESTABLISHED');
    const origin = this.#legs.get(context.origin.leg);
    if (context.originConnected && origin !== undefined) {
      // The origin already talks (to the party that transferred it): it takes the new party's offer.
      this.#outbox.push(() => this.#joinInBackground(context, origin, entry, info.offer));
    } else {
      const device = entry.device;
      context.originConnected = true;
      if (info.offer !== undefined) context.awaitingAnswer = entry;
      this.#command(context.origin, (driver) =>
        driver.connected(context.origin.leg, {
          answer: info.answer ?? info.offer,
          connectedParty: { number: connection.address, device: device.name },
        }),
      );
    }
    this.#flush();
    return true;
  }

  /**
   * The caller answered the offer it was given on connection (it had made none itself): the answer
   * goes to the device that made the offer. Without an answer the parties cannot hear each other,
   * and the call ends.
   */
  offerAnswered(leg: LegId, answer: SessionDescription | undefined): void {
    const entry = this.#legs.get(leg);
    const context = entry?.context;
    const offerer = context?.awaitingAnswer;
    if (
      context === undefined ||
      offerer === undefined ||
      context.ended ||
      entry?.terminalConnection !== context.origin
    ) {
      return;
    }
    context.awaitingAnswer = undefined;
    this.#command(offerer.terminalConnection, (driver) => driver.answerOffer(offerer.terminalConnection.leg, answer));
    if (answer === undefined) this.#end(context, releaseCauses.rejected, 'system', 'NORMAL');
    this.#flush();
  }

  /** A terminal declined before answering (busy, rejected, unreachable). */
  refused(leg: LegId, cause: ReleaseCause): void {
    const entry = this.#legs.get(leg);
    if (entry === undefined) return;
    this.#legs.delete(leg);
    const { context, terminalConnection } = entry;
    if (terminalConnection.state !== 'DROPPED') terminalConnection.setState('DROPPED');
    const connection = terminalConnection.connection;
    if (context.ended || !context.offered.includes(connection) || connection.liveTerminalConnections.length > 0) {
      this.#flush(); // not offered any more, or another appearance of the line still rings
      return;
    }
    if (context.hunt !== undefined) {
      // A hunt member failed: the group's hunt option says where the call goes next.
      this.#withdraw(context, connection, cause, cause.reason === 'busy' ? 'BUSY' : 'NORMAL');
      if (context.offered.length === 0) this.#hunting.memberFailed(context, memberFailureOf(cause));
      this.#flush();
      return;
    }
    this.#stopNoAnswerTimer(context);
    const line = context.offeredLine;
    if (cause.reason === 'busy' && line?.forward.busy !== undefined) {
      if (this.#redirect(context, line.dn, line.forward.busy, 'forward-busy')) {
        this.#flush();
        return;
      }
    }
    this.#fail(context, cause, cause.reason === 'busy' ? 'BUSY' : 'DEST_NOT_OBTAINABLE');
    this.#flush();
  }

  /** A leg's device left the call: the caller hung up or cancelled, or the callee hung up. */
  released(leg: LegId, cause: ReleaseCause = releaseCauses.normal): void {
    const entry = this.#legs.get(leg);
    if (entry === undefined) return;
    const { context, terminalConnection } = entry;
    if (context.ended) return;
    if (context.conference !== undefined) {
      this.#leaveConference(context, context.conference, entry);
      this.#flush();
      return;
    }
    if (terminalConnection === context.origin) {
      this.#legs.delete(leg);
      const answered = context.destination?.state === 'ESTABLISHED';
      this.#end(
        context,
        answered ? releaseCauses.normal : releaseCauses.cancelled,
        'caller',
        answered ? 'NORMAL' : 'CALL_CANCELLED',
      );
    } else if (terminalConnection.state === 'TALKING' || terminalConnection.state === 'HELD') {
      this.#legs.delete(leg);
      this.#end(context, cause.reason === 'normal' ? releaseCauses.normal : cause, 'callee', 'NORMAL');
    } else {
      // A ringing terminal went away without answering: the same as a refusal.
      this.refused(leg, cause.reason === 'normal' ? releaseCauses.unavailable : cause);
      return;
    }
    this.#flush();
  }

  /**
   * A leg offers a new session description (hold, resume, codec change). An offer that stops
   * receiving audio puts the call on hold: the other party is connected to music on hold (when the
   * server has it) and the holding terminal goes HELD (JTAPI CallCtlTermConnHeldEv); a later offer
   * that resumes reconnects the two and brings it back to TALKING. Any other offer is passed to the
   * other party's device, whose answer comes back. The call keeps going, unchanged, if the other
   * side refuses (RFC 3261 §14.2).
   */
  async updateMedia(leg: LegId, offer: SessionDescription): Promise<SessionDescription> {
    const entry = this.#legs.get(leg);
    if (entry === undefined || entry.context.ended) {
      throw new StrowgerError(ErrorCode.NotFound, `leg ${leg} is not in a call`);
    }
    const { context } = entry;
    const peer = context.conference === undefined ? this.#peerOf(entry) : entry;
    if (peer === undefined) throw new StrowgerError(ErrorCode.InvalidState, `leg ${leg} has no connected party yet`);
    const hold = holdIntent(offer);
    if (context.conference !== undefined)
      return this.#mediaControl.answerInConference(context.conference, entry, offer, hold);
    if (hold === 'hold' && context.musicOnHold === undefined) {
      const answer = await this.#mediaControl.holdWithMusic(context, entry, peer, offer);
      if (answer !== undefined) return answer;
    }
    const answer = await this.#driverFor(peer.device).updateMedia(peer.terminalConnection.leg, offer);
    const holder = entry.terminalConnection;
    if (!context.ended && this.#legs.has(leg)) {
      if (hold === 'hold' && holder.state === 'TALKING') holder.setState('HELD');
      else if (hold === 'resume' && holder.state === 'HELD') holder.setState('TALKING', 'UNHOLD');
      // Resumed, or the media changed otherwise: the two parties hear each other again, not the music.
      if (hold !== 'hold' && context.musicOnHold?.holder === entry) this.#mediaControl.stopMusic(context);
    }
    return answer;
  }

  /** A party hangs up in a conference: it leaves the bridge; the call ends when one party is left. */
  #leaveConference(context: CallContext, conference: Conference, entry: LegEntry): void {
    const tc = entry.terminalConnection;
    this.#legs.delete(tc.leg);
    conference.endpoints.get(entry)?.close();
    conference.endpoints.delete(entry);
    tc.setState('DROPPED', 'NORMAL');
    tc.connection.setState('DISCONNECTED', 'NORMAL');
    this.#untrack(tc.connection);
    // The parties left: live connections with a terminal (a conference number's own connection has none).
    const remaining = context.call.connections.filter(
      (connection) => connection.isLive && connection.liveTerminalConnections.length > 0,
    );
    if (remaining.length <= 1) this.#end(context, releaseCauses.normal, this.#roleOf(entry), 'NORMAL');
  }

  /** Hunting is over: the pilot's connection leaves the call. */
  #pilotDone(context: CallContext, cause: EventCause): void {
    const connection = context.pilotConnection;
    context.pilotConnection = undefined;
    if (connection?.isLive === true) connection.setState('DISCONNECTED', cause);
  }

  /**
   * A leg's device sends mid-call information (DTMF as SIP INFO, for one): it goes to the party it
   * talks to, whose status comes back (200 when taken). With nobody to take it — no connected party,
   * a conference, a device that cannot — it is accepted and dropped, as a SIP INFO nobody reads.
   */
  async relayInfo(leg: LegId, info: MidCallInfo): Promise<number> {
    const entry = this.#legs.get(leg);
    if (entry === undefined || entry.context.ended || entry.context.conference !== undefined) return 200;
    const peer = this.#peerOf(entry);
    const driver = peer === undefined ? undefined : this.#driverFor(peer.device);
    if (peer === undefined || driver?.sendInfo === undefined) return 200;
    return driver.sendInfo(peer.terminalConnection.leg, info);
  }

  // --- call control (what the CTI layer will call) ---------------------------------------------

  /**
   * JTAPI CallControlConnection.redirect: sends a call that is offered or ringing at a number on to
   * another number, as a forward would (the history records it with reason "redirect"). Refused
   * once the call is answered, when the destination is not routable, or when it would loop.
   */
  redirect(callId: string, destination: string): void {
    const context = this.#calls.get(callId);
    if (context === undefined) throw new StrowgerError(ErrorCode.NotFound, `call ${callId} is not in progress`);
    const offered = context.offered[0];
    if (offered === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `call ${callId} is ${context.destination?.state ?? 'not offered anywhere'}; only an offered or ringing call can be redirected`,
      );
    }
    if (this.#analyzer.analyse(destination) === undefined) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `${destination} is not a routable number`);
    }
    if (!this.#redirect(context, context.offeredLine?.dn ?? context.called, { destination }, 'redirect')) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `redirecting call ${callId} to ${destination} would loop`);
    }
    this.#flush();
  }

  /** JTAPI CallControlCall.drop: ends the call for every party. */
  drop(callId: string): void {
    const context = this.#calls.get(callId);
    if (context === undefined) throw new StrowgerError(ErrorCode.NotFound, `call ${callId} is not in progress`);
    this.#end(context, releaseCauses.normal, 'system', 'NORMAL');
    this.#flush();
  }

  /**
   * Blind (single-step) transfer, JTAPI CallControlCall.transfer(String): the party on `leg` leaves
   * the call (its connection DISCONNECTED with cause TRANSFER) and the party it was talking to is
   * routed to `destination` as a new call leg, with forwarding and busy handling as for any call.
   * When the destination answers, the two are joined with a fresh offer from the new party
   * (RFC 3725 flow III). Refused, leaving the call as it was, when the leg is not connected to
   * anyone or the destination is not routable.
   */
  transfer(leg: LegId, destination: string): void {
    const entry = this.#connectedLeg(leg);
    if (entry.context.conference !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `leg ${leg} is in a conference; leave it to transfer`);
    }
    const peer = this.#peerOf(entry);
    if (peer === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `leg ${leg} is not connected to anyone; only a connected call can be transferred (redirect a ringing one)`,
      );
    }
    const reached = this.#analyzer.analyse(destination);
    if (reached === undefined) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `${destination} is not a routable number`);
    }
    if (targetNumber(reached.target) === peer.terminalConnection.connection.address) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `transferring ${peer.terminalConnection.connection.address} to ${destination} would connect it to itself`,
      );
    }
    const { context } = entry;
    const from = entry.terminalConnection.connection.address;
    context.call.redirections.push({ from, to: destination, reason: 'transfer' });
    this.#writeRecord(context, releaseCauses.transferred, this.#roleOf(entry));
    this.#leave(entry);
    this.#routeFrom(context, peer);
    this.#route(context, destination);
    this.#flush();
  }

  /**
   * Consult (attended) transfer, JTAPI CallControlCall.transfer(Call): the transferring party, on
   * `heldLeg` in one call and `consultLeg` in another, leaves both, and the party it consulted joins
   * the first call, talking to the party there (its connection in the second call goes DISCONNECTED
   * with cause TRANSFER, a new one appears ESTABLISHED in the first). The second call ends. SIP's
   * REFER with Replaces (RFC 3891) arrives here.
   */
  transferCalls(heldLeg: LegId, consultLeg: LegId): void {
    const { held, consult, stayer, joiner, target } = this.#mergeable(heldLeg, consultLeg, 'transferred');
    target.call.redirections.push({
      from: held.terminalConnection.connection.address,
      to: joiner.terminalConnection.connection.address,
      reason: 'transfer',
    });
    this.#writeRecord(target, releaseCauses.transferred, this.#roleOf(held));
    this.#writeRecord(consult.context, releaseCauses.transferred, this.#roleOf(consult));
    this.#leave(consult);
    this.#moveIntoCall(joiner, target, 'TRANSFER');

    // The first call: the transferring party leaves, the consulted party arrives already talking.
    this.#leave(held);
    const connection = joiner.terminalConnection.connection;
    this.#routeFrom(target, stayer);
    target.destination = connection;
    target.called = connection.address;
    target.answeredBy = joiner.device;
    target.legAnsweredAt = target.legStartedAt;
    this.#outbox.push(() => this.#joinInBackground(target, stayer, joiner, undefined));
    this.#flush();
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
    const media = this.#media;
    if (media === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        'conferences need the media resources this server was started without',
      );
    }
    const { held, consult, stayer, joiner, target } = this.#mergeable(heldLeg, consultLeg, 'conferenced');
    this.#writeRecord(consult.context, releaseCauses.conferenced, this.#roleOf(consult));
    this.#leave(consult, releaseCauses.conferenced, 'CONFERENCE');
    this.#moveIntoCall(joiner, target, 'CONFERENCE');
    this.#mediaControl.stopMusic(target);
    const conference: Conference = { bridge: media.conferenceBridge(), endpoints: new Map() };
    target.conference = conference;
    this.#flush();
    await Promise.all([stayer, held, joiner].map((party) => this.#mediaControl.bridgeParty(target, conference, party)));
  }

  /**
   * Brings the party on `replacedLeg` into the conference `focusLeg` is in: the controlling phone's
   * call with that party ends, the party moves into the conference call (cause CONFERENCE) and is
   * re-INVITEd to a bridge port of its own. This is how a phone that called the conference number
   * adds its other calls (RFC 4579's REFER with Replaces to the focus).
   */
  async joinConference(focusLeg: LegId, replacedLeg: LegId): Promise<void> {
    const focus = this.#connectedLeg(focusLeg);
    const conference = focus.context.conference;
    if (conference === undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `leg ${focusLeg} is not in a conference`);
    }
    const replaced = this.#connectedLeg(replacedLeg);
    if (replaced.context === focus.context || replaced.context.conference !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `leg ${replacedLeg} is not a separate two-party call`);
    }
    const joiner = this.#peerOf(replaced);
    if (joiner === undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `leg ${replacedLeg} is not connected to anyone`);
    }
    this.#writeRecord(replaced.context, releaseCauses.conferenced, this.#roleOf(replaced));
    this.#leave(replaced, releaseCauses.conferenced, 'CONFERENCE');
    this.#moveIntoCall(joiner, focus.context, 'CONFERENCE');
    this.#flush();
    await this.#mediaControl.bridgeParty(focus.context, conference, joiner);
  }

  /** Whether a leg is in a call on the conference bridge. */
  inConference(leg: LegId): boolean {
    return this.#legs.get(leg)?.context.conference !== undefined;
  }

  /**
   * A phone called the conference number: the call is answered by a port of a new conference bridge,
   * and the phone is told it reached a focus, to which it can then bring its other calls.
   */
  #openConference(context: CallContext, number: string): void {
    const media = this.#media;
    const offer = context.offer;
    const origin = this.#legs.get(context.origin.leg);
    // A bridge answers an offer; a call arriving without one (or by transfer) cannot start a conference.
    if (media === undefined || offer === undefined || context.originConnected || origin === undefined) {
      this.#fail(context, releaseCauses.unavailable, 'DEST_NOT_OBTAINABLE');
      return;
    }
    const conference: Conference = { bridge: media.conferenceBridge(), endpoints: new Map() };
    context.conference = conference;
    // The conference itself is the connection the call reached: an address with no terminal.
    const connection = context.call.addConnection(number, 'terminating');
    connection.setState('ESTABLISHED');
    context.destination = connection;
    this.#outbox.push(() => {
      this.#answerFromBridge(context, conference, origin, offer).catch((error: unknown) => {
        this.#logger.error({ err: error, call: context.call.id }, 'answering from the conference bridge failed');
      });
    });
  }

  async #answerFromBridge(
    context: CallContext,
    conference: Conference,
    origin: LegEntry,
    offer: SessionDescription,
  ): Promise<void> {
    let endpoint: MediaEndpoint | undefined;
    try {
      endpoint = await conference.bridge.join();
    } catch (error) {
      this.#logger.warn({ err: error, callId: context.call.id }, 'no conference bridge port');
    }
    if (context.ended || context.conference !== conference) {
      endpoint?.close();
      return;
    }
    const answer = endpoint?.answer(offer, 'sendrecv');
    if (endpoint === undefined || answer === undefined) {
      endpoint?.close();
      this.#fail(context, endpoint === undefined ? releaseCauses.congestion : releaseCauses.rejected, 'NORMAL');
      this.#flush();
      return;
    }
    conference.endpoints.set(origin, endpoint);
    const now = this.#clock.now();
    context.call.answeredAt = now;
    context.legAnsweredAt = now;
    context.originConnected = true;
    context.origin.connection.setState('ESTABLISHED');
    this.#command(context.origin, (driver) =>
      driver.connected(context.origin.leg, {
        answer,
        connectedParty: { number: context.called },
        focus: true,
      }),
    );
    this.#flush();
  }

  /** Two connected legs of one terminal in two calls, and the parties they talk to: checked, ready to merge. */
  #mergeable(
    heldLeg: LegId,
    consultLeg: LegId,
    why: 'transferred' | 'conferenced',
  ): { held: LegEntry; consult: LegEntry; stayer: LegEntry; joiner: LegEntry; target: CallContext } {
    const held = this.#connectedLeg(heldLeg);
    const consult = this.#connectedLeg(consultLeg);
    if (held.context === consult.context) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `legs ${heldLeg} and ${consultLeg} are in the same call`);
    }
    if (held.context.conference !== undefined || consult.context.conference !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, 'a call that is already a conference cannot be merged again');
    }
    const stayer = this.#peerOf(held);
    const joiner = this.#peerOf(consult);
    if (stayer === undefined || joiner === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `both calls must be connected to another party before they can be ${why === 'transferred' ? 'transferred' : 'conferenced'} together`,
      );
    }
    return { held, consult, stayer, joiner, target: held.context };
  }

  /**
   * Moves a party out of its call (which then ends: its connections disconnect, it goes INVALID) into
   * `target`, where it appears as a new connection, already talking, keeping its leg.
   */
  #moveIntoCall(party: LegEntry, target: CallContext, cause: 'TRANSFER' | 'CONFERENCE'): void {
    const source = party.context;
    const from = party.terminalConnection;
    from.setState('DROPPED', cause);
    from.connection.setState('DISCONNECTED', cause);
    this.#untrack(from.connection);
    this.#stopNoAnswerTimer(source);
    this.#mediaControl.stopMusic(source);
    source.ended = true;
    for (const connection of source.call.connections) {
      if (connection.isLive) connection.setState('DISCONNECTED', cause);
    }
    source.call.setState('INVALID', cause);
    this.#calls.delete(source.call.id);

    const connection = target.call.addConnection(from.connection.address, 'terminating');
    this.#track(connection);
    const moved = connection.addTerminalConnection(from.terminal, from.leg);
    connection.setState('ESTABLISHED', cause);
    moved.setState('TALKING', cause);
    party.context = target;
    party.terminalConnection = moved;
  }

  // --- queries ---------------------------------------------------------------------------------

  get callCount(): number {
    return this.#calls.size;
  }

  get legCount(): number {
    return this.#legs.size;
  }

  listCalls(): CallView[] {
    return [...this.#calls.values()].map(({ call }) => viewOfCall(call));
  }

  /** Ends every call (shutdown): each leg is released and each call recorded. */
  close(): void {
    for (const context of [...this.#calls.values()]) this.#end(context, releaseCauses.congestion, 'system', 'NORMAL');
    this.#flush();
  }

  // --- routing ---------------------------------------------------------------------------------

  #route(context: CallContext, number: string): void {
    context.called = number;
    const match = this.#analyzer.analyse(number);
    if (match === undefined) {
      this.#fail(context, releaseCauses.unallocated, 'DEST_NOT_OBTAINABLE');
      return;
    }
    if (match.target.kind === 'pilot') {
      const pilotConnection = context.call.addConnection(number, 'terminating');
      pilotConnection.setState('OFFERED');
      context.pilotConnection = pilotConnection;
      this.#hunting.start(context, match.target.pilot);
      return;
    }
    if (match.target.kind === 'conference') {
      this.#openConference(context, match.target.number);
      return;
    }
    const line = match.target.line;
    if (line.forward.all !== undefined && this.#redirect(context, line.dn, line.forward.all, 'forward-all')) return;
    if (this.#liveCallsOn(line.dn) >= line.busyTrigger) {
      if (line.forward.busy !== undefined && this.#redirect(context, line.dn, line.forward.busy, 'forward-busy'))
        return;
      this.#fail(context, releaseCauses.busy, 'BUSY');
      return;
    }
    const devices = this.#reachableDevices(context, line.dn);
    if (devices.length === 0) {
      const target = line.forward.unregistered;
      if (target !== undefined && this.#redirect(context, line.dn, target, 'forward-unregistered')) return;
      this.#fail(context, releaseCauses.unavailable, 'DEST_NOT_OBTAINABLE');
      return;
    }
    const connection = this.#offer(context, line, devices);
    context.offeredLine = line;
    context.noAnswerTimer = this.#clock.setTimer(line.noAnswerSeconds * 1000, () => {
      context.noAnswerTimer = undefined;
      this.#noAnswer(context, connection);
      this.#flush();
    });
  }

  /** The devices a call to a line rings: those in service, never the caller's own phone. */
  #reachableDevices(context: CallContext, dn: string): SwitchDevice[] {
    return (this.#lineDevices.get(dn) ?? []).filter(
      (device) => device.name !== context.origin.terminal && this.#inService(device),
    );
  }

  /** Offers the call to a line: a new connection whose terminals are alerted. */
  #offer(context: CallContext, line: SwitchLine, devices: readonly SwitchDevice[]): Connection {
    const connection = context.call.addConnection(line.dn, 'terminating');
    this.#track(connection);
    context.offered.push(connection);
    for (const device of devices) {
      const terminalConnection = connection.addTerminalConnection(device.name);
      this.#legs.set(terminalConnection.leg, { context, terminalConnection, device });
      this.#command(terminalConnection, (driver) =>
        driver.alert({
          leg: terminalConnection.leg,
          callId: context.call.id,
          device: device.name,
          line: line.dn,
          calling: context.calling,
          dialled: context.call.dialled,
          called: context.called,
          redirections: [...context.call.redirections],
          offer: context.offer,
        }),
      );
    }
    return connection;
  }

  /** Takes an offered connection back: its terminals stop ringing and it is disconnected. */
  #withdraw(context: CallContext, connection: Connection, cause: ReleaseCause, eventCause: EventCause): void {
    for (const tc of connection.liveTerminalConnections) {
      if (this.#legs.get(tc.leg)?.terminalConnection === tc) {
        this.#command(tc, (driver) => driver.cancel(tc.leg, cause));
        this.#legs.delete(tc.leg);
      }
      tc.setState('DROPPED', eventCause);
    }
    if (connection.isLive) connection.setState('DISCONNECTED', eventCause);
    this.#untrack(connection);
    context.offered = context.offered.filter((other) => other !== connection);
  }

  #noAnswer(context: CallContext, connection: Connection): void {
    if (context.ended || !context.offered.includes(connection)) return;
    const line = context.offeredLine;
    if (line?.forward.noAnswer === undefined) return; // no forward: it keeps ringing until the caller gives up
    this.#redirect(context, line.dn, line.forward.noAnswer, 'forward-no-answer');
  }

  // --- hunting ---------------------------------------------------------------------------------

  /** Hunting's view of the engine (see hunting.ts). */
  #huntHost(): HuntHost<CallContext> {
    return {
      clock: this.#clock,
      huntList: (name) => this.#huntLists.get(name),
      lineGroup: (name) => this.#lineGroups.get(name),
      line: (dn) => this.#lines.get(dn),
      memberState: (dn) => ({ liveCalls: this.#liveCallsOn(dn), idleSince: this.#idleSince.get(dn) ?? 0 }),
      memberFailure: (context, line) => {
        if (this.#liveCallsOn(line.dn) >= line.busyTrigger) return 'busy';
        if (this.#reachableDevices(context, line.dn).length === 0) return 'notAvailable';
        return undefined;
      },
      offer: (context, line) => {
        this.#offer(context, line, this.#reachableDevices(context, line.dn));
      },
      withdrawAll: (context) => {
        for (const connection of [...context.offered]) {
          this.#withdraw(context, connection, releaseCauses.noAnswer, 'NORMAL');
        }
      },
      exhausted: (context, outcome) => this.#huntExhausted(context, outcome),
      flush: () => this.#flush(),
    };
  }

  /**
   * Hunting ended with no member answering: the pilot's final treatment — forward hunt busy when
   * every member tried was busy, forward hunt no answer otherwise — or the call fails.
   */
  #huntExhausted(context: CallContext, outcome: { pilot: SwitchHuntPilot; rang: boolean; allBusy: boolean }): void {
    const forward = outcome.allBusy ? outcome.pilot.forwardBusy : outcome.pilot.forwardNoAnswer;
    const reason = outcome.allBusy ? 'forward-busy' : 'forward-no-answer';
    if (forward !== undefined && this.#redirect(context, context.called, forward, reason)) return;
    this.#pilotDone(context, outcome.allBusy ? 'BUSY' : 'NORMAL');
    if (outcome.allBusy) this.#fail(context, releaseCauses.busy, 'BUSY');
    else if (outcome.rang) this.#fail(context, releaseCauses.noAnswer, 'NORMAL');
    else this.#fail(context, releaseCauses.unavailable, 'DEST_NOT_OBTAINABLE');
  }

  /**
   * Sends the call on from number `from` to a forward target. Returns false, leaving the call where
   * it is, when the target is unusable: voicemail without a pilot, a loop back to a number already
   * passed, or too many hops.
   */
  #redirect(context: CallContext, from: string, target: ForwardTarget, reason: RedirectReason): boolean {
    // A line's voicemail profile names its own pilot; everything else uses the default one.
    const number =
      'voicemail' in target ? (this.#lines.get(from)?.voicemailPilot ?? this.#voicemailPilot) : target.destination;
    if (number === undefined) {
      this.#logger.warn({ from, reason }, 'forward to voicemail, but no voicemail pilot is configured');
      return false;
    }
    const redirections = context.call.redirections;
    const visited = new Set([context.origin.connection.address, ...redirections.map((r) => r.from), from]);
    const match = this.#analyzer.analyse(number);
    const reached = match === undefined ? undefined : targetNumber(match.target);
    if (redirections.length >= maxRedirections || (reached !== undefined && visited.has(reached))) {
      this.#logger.info({ callId: context.call.id, from, to: number, reason }, 'forward loop stopped');
      return false;
    }
    redirections.push({ from, to: number, reason });
    this.#stopNoAnswerTimer(context);
    this.#hunting.stop(context);
    this.#pilotDone(context, 'REDIRECTED');
    for (const connection of [...context.offered]) {
      this.#withdraw(context, connection, releaseCauses.forwarded, 'REDIRECTED');
    }
    context.offeredLine = undefined;
    this.#route(context, number);
    return true;
  }

  /** The call cannot be completed: the caller's leg is released with the cause. */
  #fail(context: CallContext, cause: ReleaseCause, eventCause: EventCause): void {
    // The leg that could not be completed fails: the one offered when there is one, else the caller's.
    const offered = context.offered[0];
    const failing = offered?.isLive === true ? offered : context.origin.connection;
    if (failing.isLive) failing.setState('FAILED', eventCause);
    this.#end(context, cause, 'system', eventCause);
  }

  #end(context: CallContext, cause: ReleaseCause, by: 'caller' | 'callee' | 'system', eventCause: EventCause): void {
    if (context.ended) return;
    context.ended = true;
    this.#stopNoAnswerTimer(context);
    this.#hunting.stop(context);
    this.#mediaControl.stopMusic(context);
    this.#mediaControl.closeConference(context);
    const { call } = context;
    for (const connection of call.connections) {
      for (const tc of connection.terminalConnections) {
        if (tc.state === 'DROPPED') continue;
        if (this.#legs.get(tc.leg)?.terminalConnection === tc) {
          if (tc.state === 'IDLE' || tc.state === 'RINGING') {
            this.#command(tc, (driver) => driver.cancel(tc.leg, by === 'caller' ? releaseCauses.cancelled : cause));
          } else {
            this.#command(tc, (driver) => driver.release(tc.leg, cause));
          }
          this.#legs.delete(tc.leg);
        }
        tc.setState('DROPPED', eventCause);
      }
      if (connection.state !== 'DISCONNECTED') connection.setState('DISCONNECTED', eventCause);
      this.#untrack(connection);
    }
    call.setState('INVALID', eventCause);
    this.#calls.delete(call.id);
    this.#writeRecord(context, cause, by);
  }

  /** The call record of the context's current leg: from its origin to the number it reached. */
  #writeRecord(context: CallContext, cause: ReleaseCause, by: 'caller' | 'callee' | 'system'): void {
    const { call } = context;
    this.#records?.write({
      callId: call.id,
      callingNumber: context.calling.number,
      callingDevice: context.calling.device,
      dialledNumber: call.dialled,
      originalCalledNumber: call.redirections[0]?.from ?? context.called,
      finalCalledNumber: context.called,
      calledDevice: context.answeredBy?.name,
      startedAt: context.legStartedAt,
      answeredAt: context.legAnsweredAt,
      endedAt: this.#clock.now(),
      cause,
      releasedBy: by,
      redirections: [...call.redirections],
    });
  }

  // --- helpers ---------------------------------------------------------------------------------

  #peerOf(entry: LegEntry): LegEntry | undefined {
    const { context, terminalConnection } = entry;
    if (terminalConnection === context.origin) {
      const talking = context.destination?.terminalConnections.find(
        (tc) => tc.state === 'TALKING' || tc.state === 'HELD',
      );
      return talking === undefined ? undefined : this.#legs.get(talking.leg);
    }
    return context.destination?.state === 'ESTABLISHED' ? this.#legs.get(context.origin.leg) : undefined;
  }

  /** A leg that is in a call and connected (talking or held), or a clear error saying why not. */
  #connectedLeg(leg: LegId): LegEntry {
    const entry = this.#legs.get(leg);
    if (entry === undefined || entry.context.ended) {
      throw new StrowgerError(ErrorCode.NotFound, `leg ${leg} is not in a call`);
    }
    const state = entry.terminalConnection.state;
    if (state !== 'TALKING' && state !== 'HELD') {
      throw new StrowgerError(ErrorCode.InvalidState, `leg ${leg} is ${state}, not connected`);
    }
    return entry;
  }

  /** Whether a leg is its call's caller side or callee side, for the call record. */
  #roleOf(entry: LegEntry): 'caller' | 'callee' {
    return entry.terminalConnection === entry.context.origin ? 'caller' : 'callee';
  }

  /** A transferring (or conferencing) party leaves a call: its device is released, its connection disconnected. */
  #leave(
    entry: LegEntry,
    cause: ReleaseCause = releaseCauses.transferred,
    eventCause: 'TRANSFER' | 'CONFERENCE' = 'TRANSFER',
  ): void {
    const tc = entry.terminalConnection;
    this.#command(tc, (driver) => driver.release(tc.leg, cause));
    this.#legs.delete(tc.leg);
    tc.setState('DROPPED', eventCause);
    tc.connection.setState('DISCONNECTED', eventCause);
    this.#untrack(tc.connection);
  }

  /** After a transfer the party that stayed is where the call is routed from, and it starts a new leg. */
  #routeFrom(context: CallContext, stayer: LegEntry): void {
    context.origin = stayer.terminalConnection;
    context.calling = { number: stayer.terminalConnection.connection.address, device: stayer.device.name };
    context.offer = undefined;
    context.originConnected = true;
    context.offered = [];
    context.offeredLine = undefined;
    context.destination = undefined;
    context.answeredBy = undefined;
    context.legStartedAt = this.#clock.now();
    context.legAnsweredAt = undefined;
  }

  /**
   * Joins the media of two parties that never spoke, as RFC 3725 flow III does: the newcomer's offer
   * (made when it answered, or asked for now) goes to the party already in the call, whose answer
   * goes back to the newcomer. If either refuses, they cannot hear each other, and the call ends.
   */
  /** #join from the driver queue, where nobody awaits it: whatever escapes it is logged. */
  #joinInBackground(context: CallContext, stayer: LegEntry, newcomer: LegEntry, offer: SessionDescription | undefined) {
    this.#join(context, stayer, newcomer, offer).catch((error: unknown) => {
      this.#logger.error({ err: error, call: context.call.id }, 'joining the parties failed');
    });
  }

  async #join(context: CallContext, stayer: LegEntry, newcomer: LegEntry, offer: SessionDescription | undefined) {
    const newcomerDriver = this.#driverFor(newcomer.device);
    const live = () => !context.ended && newcomer.context === context && stayer.context === context;
    let answer: SessionDescription | undefined;
    try {
      const made = offer ?? (await newcomerDriver.requestOffer(newcomer.terminalConnection.leg));
      if (!live()) return;
      answer = await this.#driverFor(stayer.device).updateMedia(stayer.terminalConnection.leg, made);
    } catch (error) {
      this.#logger.warn({ err: error, callId: context.call.id }, 'the transferred parties could not agree on media');
    }
    if (!live()) return;
    newcomerDriver.answerOffer(newcomer.terminalConnection.leg, answer);
    // The party that stayed now hears the newcomer, not the music it was held with.
    if (answer !== undefined) this.#mediaControl.stopMusic(context);
    if (answer === undefined) {
      this.#end(context, releaseCauses.rejected, 'system', 'NORMAL');
      this.#flush();
    }
  }

  #stopNoAnswerTimer(context: CallContext): void {
    context.noAnswerTimer?.cancel();
    context.noAnswerTimer = undefined;
  }

  #liveCallsOn(dn: string): number {
    return this.#lineConnections.get(dn)?.size ?? 0;
  }

  #track(connection: Connection): void {
    let set = this.#lineConnections.get(connection.address);
    if (set === undefined) {
      set = new Set();
      this.#lineConnections.set(connection.address, set);
    }
    set.add(connection);
  }

  #untrack(connection: Connection): void {
    const set = this.#lineConnections.get(connection.address);
    if (set === undefined) return;
    if (!set.delete(connection)) return;
    if (set.size === 0) {
      this.#lineConnections.delete(connection.address);
      this.#idleSince.set(connection.address, this.#clock.now());
    }
  }

  #inService(device: SwitchDevice): boolean {
    const driver = this.#drivers[device.type];
    return driver !== undefined && driver.isInService(device.name);
  }

  #driverFor(device: SwitchDevice): DeviceDriver {
    const driver = this.#drivers[device.type];
    if (driver === undefined) throw new StrowgerError(ErrorCode.Internal, `no driver for ${device.type} devices`);
    return driver;
  }

  /**
   * Queues a driver command for a live leg's device, run by #flush in order. The device is the one
   * the leg was made with, so a configuration change mid-call cannot strand a leg in its driver.
   */
  #command(terminalConnection: TerminalConnection, run: (driver: DeviceDriver) => void): void {
    const device = this.#legs.get(terminalConnection.leg)?.device;
    const driver = device === undefined ? undefined : this.#drivers[device.type];
    if (driver === undefined) return;
    this.#outbox.push(() => run(driver));
  }

  #flush(): void {
    if (this.#outbox.length === 0) return;
    const commands = this.#outbox;
    this.#outbox = [];
    queueMicrotask(() => {
      for (const command of commands) {
        try {
          command();
        } catch (error) {
          this.#logger.error({ err: error }, 'a device driver failed a command');
        }
      }
    });
  }
}
