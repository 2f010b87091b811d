import { ErrorCode, StrowgerError, TypedEmitter, silentLogger, type Clock, type Logger } from '../core/index.js';
import { Call, type Connection, type TerminalConnection } from './call-model.js';
import { progressCauses, releaseEventCauses, type EventCauses } from './causes.js';
import type { SwitchConfig, SwitchDevice, SwitchDeviceType } from './config.js';
import type { CallEvent, SwitchEvents } from './events.js';
import { memberFailureOf } from './hunting.js';
import { MediaControl } from './media-control.js';
import { FeatureCalls } from './feature-calls.js';
import {
  holdIntent,
  newCallContext,
  stopNoAnswerTimer,
  type CallContext,
  type Conference,
  type LegEntry,
} from './call-context.js';
import { viewOfCall, type CallView } from './call-view.js';
import { newCallId } from './call-id.js';
import { CallMerging, roleOf } from './call-merging.js';
import { callRecordOf } from './call-record.js';
import { snapshotOfCall, type AddressSnapshot, type CallSnapshot, type TerminalSnapshot } from './call-snapshot.js';
import { configChangeEvents, serviceEvents, type DeviceEventBody } from './device-events.js';
import { directoryOf, type Directory } from './directory.js';
import { DriverOutbox } from './driver-outbox.js';
import { LineOccupancy } from './line-occupancy.js';
import { Routing, maxApplicationRedirects } from './routing.js';
import { CallMaking, type MakeCallRequest } from './operations/call-making.js';
import { PartyControl } from './operations/party-control.js';
import { RuntimeForwarding, type LineForwarding } from './operations/forwarding.js';
import { DtmfGeneration, reportDtmf } from './operations/dtmf.js';
import { MessageWaiting } from './operations/message-waiting.js';
import { groupPickupTarget, pickupTarget } from './operations/pickup.js';
import { CallPark } from './operations/call-park.js';
import { addParty } from './operations/add-party.js';
import {
  connectionOf,
  controllerLegs,
  invalidState,
  terminalConnectionOf,
  type ConnectionRef,
  type TerminalConnectionRef,
} from './operations/call-refs.js';
import {
  releaseCauses,
  type CallRecordSink,
  type DeviceDriver,
  type FeatureServices,
  type LegId,
  type MediaEndpoint,
  type MediaResources,
  type MidCallInfo,
  type PartyInfo,
  type ReleaseCause,
  type SessionDescription,
} from './ports.js';

export interface SwitchOptions {
  clock: Clock;
  /** The driver for each device type; a type without one is never in service. */
  drivers: Partial<Record<SwitchDeviceType, DeviceDriver>>;
  records?: CallRecordSink;
  /** Music on hold and conference bridges; without them a held party hears silence and conferences are refused. */
  media?: MediaResources;
  /** What answers feature codes (Extension Mobility login and logout); without it they fail. */
  features?: FeatureServices;
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
 * TerminalConnection model, whose every change is an event (events.ts). It talks to devices only
 * through drivers, and to time only through the clock. Commands to drivers run after the engine's
 * own state change completes (driver-outbox.ts). Transfer and conference live in call-merging.ts,
 * hunting in hunting.ts, music on hold and bridges in media-control.ts.
 */
export class Switch {
  readonly events: TypedEmitter<SwitchEvents>;
  readonly #clock: Clock;
  readonly #drivers: Partial<Record<SwitchDeviceType, DeviceDriver>>;
  readonly #records: CallRecordSink | undefined;
  readonly #media: MediaResources | undefined;
  readonly #routing: Routing;
  readonly #mediaControl: MediaControl;
  readonly #features: FeatureCalls;
  readonly #merging: CallMerging;
  readonly #outbox: DriverOutbox;
  readonly #occupancy: LineOccupancy;
  readonly #parties: PartyControl;
  readonly #making: CallMaking;
  readonly #forwarding = new RuntimeForwarding();
  readonly #dtmf: DtmfGeneration;
  readonly #park: CallPark;
  readonly #messageWaiting = new MessageWaiting();
  /** Devices whose do not disturb an application switched on (CallControlTerminal.setDoNotDisturb). */
  readonly #doNotDisturb = new Set<string>();
  readonly #logger: Logger;
  #directory: Directory;
  readonly #calls = new Map<string, CallContext>();
  readonly #legs = new Map<LegId, LegEntry>();
  readonly #lookup = { calls: this.#calls, legs: this.#legs };
  /** Whether each device was in service when last looked at: what a service change is measured against. */
  readonly #inServiceKnown = new Map<string, boolean>();
  /** Connections whose ringing the caller has been told of (a 180 reaches the caller once). */
  readonly #progressSent = new WeakSet<Connection>();
  /** The engine-wide event sequence (events.ts): one counter for call, device and line events. */
  #engineSeq = 0;

  constructor(options: SwitchOptions) {
    this.#clock = options.clock;
    this.#drivers = options.drivers;
    this.#records = options.records;
    this.#media = options.media;
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'switch' });
    this.events = new TypedEmitter(this.#logger);
    this.#outbox = new DriverOutbox(this.#logger);
    this.#occupancy = new LineOccupancy(() => this.#clock.now());
    this.#directory = directoryOf(options.config, this.#logger);
    this.#routing = new Routing({
      clock: this.#clock,
      logger: this.#logger,
      occupancy: this.#occupancy,
      legs: this.#legs,
      directory: () => this.#directory,
      inService: (device) => this.#inService(device),
      forwardAll: (line) => this.#forwarding.allOf(line),
      doNotDisturb: (device) => this.#doNotDisturb.has(device.name),
      command: (tc, run) => this.#command(tc, run),
      end: (context, cause, by, first) => this.#end(context, cause, by, first),
      openConference: (context, number) => this.#openConference(context, number),
      openFeature: (context, feature, number) => this.#features.open(context, feature, number),
      flush: () => this.#flush(),
    });
    this.#mediaControl = new MediaControl({
      media: this.#media,
      logger: this.#logger,
      driverFor: (device) => this.#driverFor(device),
      holds: (entry) => !entry.context.ended && this.#legs.get(entry.terminalConnection.leg) === entry,
      release: (leg, cause) => this.released(leg, cause),
    });
    this.#features = new FeatureCalls({
      features: options.features,
      logger: this.#logger,
      legs: this.#legs,
      now: () => this.#clock.now(),
      serverAddressFor: (entry) => this.#mediaControl.serverAddressFor(entry),
      originReached: (context) => this.#routing.originReached(context),
      fail: (context, cause) => this.#routing.fail(context, cause),
      end: (context, cause, by) => this.#end(context, cause, by),
      command: (tc, run) => this.#command(tc, run),
      later: (run) => this.#outbox.push(run),
      flush: () => this.#flush(),
    });
    this.#merging = new CallMerging({
      clock: this.#clock,
      logger: this.#logger,
      media: this.#media,
      mediaControl: this.#mediaControl,
      outbox: this.#outbox,
      occupancy: this.#occupancy,
      driverFor: (entry) => this.#driverFor(entry.device),
      connectedLeg: (leg) => this.#connectedLeg(leg),
      peerOf: (entry) => this.#peerOf(entry),
      analyse: (number) => this.#directory.analyzer.analyse(number)?.target,
      writeRecord: (context, cause, by) => this.#writeRecord(context, cause, by),
      leave: (entry, cause, causes) => this.#leave(entry, cause, causes),
      route: (context, number, reason) => this.#routing.route(context, number, reason),
      retire: (context) => {
        stopNoAnswerTimer(context);
        this.#mediaControl.stopMusic(context);
        context.ended = true;
        this.#calls.delete(context.call.id);
      },
      end: (context, cause) => this.#end(context, cause, 'system'),
      flush: () => this.#flush(),
    });
    const lookup = this.#lookup;
    this.#parties = new PartyControl({
      ...lookup,
      events: this.events,
      logger: this.#logger,
      driverFor: (device) => this.#driverFor(device),
      peerOf: (entry) => this.#peerOf(entry),
      updateMedia: (leg, offer) => this.updateMedia(leg, offer),
      released: (leg, cause) => this.released(leg, cause),
      command: (tc, run) => this.#command(tc, run),
    });
    this.#dtmf = new DtmfGeneration({
      ...lookup,
      driverFor: (device) => this.#driverFor(device),
      peerOf: (entry) => this.#peerOf(entry),
      sendByRtp: this.#media?.digitSender === undefined ? undefined : (c, p, d) => this.#digitsByRtp(c, p, d),
    });
    this.#making = new CallMaking({
      ...lookup,
      clock: this.#clock,
      events: this.events,
      occupancy: this.#occupancy,
      directory: () => this.#directory,
      inService: (device) => this.#inService(device),
      newCall: (call) => this.#newCall(call),
      command: (tc, run) => this.#command(tc, run),
      route: (context, number, reason) => this.#routing.route(context, number, reason),
      fail: (context, cause) => this.#routing.fail(context, cause),
      hold: (ref) => this.hold(ref),
      flush: () => this.#flush(),
    });
    this.#park = new CallPark({
      ...lookup,
      clock: this.#clock,
      directory: () => this.#directory,
      inService: (device) => this.#inService(device),
      hold: (ref) => this.hold(ref),
      peerOf: (entry) => this.#peerOf(entry),
      leave: (entry, cause, causes) => this.#leave(entry, cause, causes),
      routeFrom: (context, stayer) => this.#merging.routeFrom(context, stayer),
      offerTo: (context, line, device, feature) => this.#routing.pickUp(context, line, device, feature),
      route: (context, number) => this.#routing.route(context, number, 'DIRECTCALL'),
      flush: () => this.#flush(),
    });
    for (const device of options.config.devices) this.#inServiceKnown.set(device.name, this.#inService(device));
  }

  /**
   * Follows a configuration change; calls in progress keep the settings they started with. Devices
   * and lines added, removed, restricted or activated are reported as device events.
   */
  updateConfig(config: SwitchConfig): void {
    const before = this.#directory.config;
    this.#directory = directoryOf(config, this.#logger);
    for (const body of configChangeEvents(before, config)) this.#emitDevice(body);
    for (const name of [...this.#inServiceKnown.keys()])
      if (!this.#directory.devices.has(name)) this.#inServiceKnown.delete(name);
    // A device new to the configuration may already be registered: it comes into service now.
    for (const device of config.devices) this.deviceServiceChanged(device.name);
  }

  // --- inputs from drivers ---------------------------------------------------------------------

  /**
   * A device's availability may have changed (a phone registered or lost its last registration, a
   * CTI port opened or closed): the engine asks its driver, and when the answer differs from before
   * emits the device's in-service or out-of-service event and one for each of its lines.
   */
  deviceServiceChanged(name: string): void {
    const device = this.#directory.devices.get(name);
    if (device === undefined) return;
    const inService = this.#inService(device);
    const before = this.#inServiceKnown.get(name) ?? false;
    this.#inServiceKnown.set(name, inService);
    if (inService === before) return;
    for (const body of serviceEvents(device, inService)) this.#emitDevice(body);
  }

  /**
   * A device places a call. Returns the caller's leg at once; how the call fares is reported to the
   * device's driver (progress, connected, or release with a cause).
   */
  originate(request: OriginateRequest): LegId {
    const device = this.#directory.devices.get(request.device);
    if (device === undefined) throw new StrowgerError(ErrorCode.NotFound, `device ${request.device} is not configured`);
    const dn = request.line ?? device.lines[0];
    if (dn === undefined || !device.lines.includes(dn)) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `device ${device.name} has no line ${request.line ?? '(none)'}`,
      );
    }
    const line = this.#directory.lines.get(dn);
    if (line === undefined) throw new StrowgerError(ErrorCode.NotFound, `line ${dn} is not configured`);

    const calling: PartyInfo = {
      number: dn,
      device: device.name,
      ...(request.displayName === undefined ? {} : { displayName: request.displayName }),
    };
    const call = this.#newCall({ dialled: request.dialled, calling });
    // §2.7: the originating connection is connected at once (INITIATED), its terminal talking (off
    // hook), then DIALING; a SIP phone dials en bloc, so all of it happens together.
    const origin = call.during('CALL_STARTING', () => {
      call.setState('ACTIVE', progressCauses.newCall);
      const originConnection = call.addConnection(dn, 'originating', 'DIRECTCALL');
      originConnection.setState('INITIATED');
      const tc = originConnection.addTerminalConnection(device.name);
      tc.setState('TALKING');
      originConnection.setState('DIALING');
      return tc;
    });
    const atLimit = this.#occupancy.liveCallsOn(dn) >= line.maxCalls;
    this.#occupancy.track(origin.connection);

    const context = newCallContext(call, origin, calling, request.offer);
    this.#calls.set(call.id, context);
    this.#legs.set(origin.leg, { context, terminalConnection: origin, device });

    if (atLimit) {
      const text = `line ${dn} is already in ${line.maxCalls} call${line.maxCalls === 1 ? '' : 's'}, its maximum`;
      this.#routing.fail(context, { ...releaseCauses.congestion, text });
    } else {
      this.#routing.route(context, request.dialled, 'DIRECTCALL');
    }
    this.#flush();
    return origin.leg;
  }

  /**
   * A terminal that was alerted is ringing (a 180), perhaps with early media (a 183 with SDP). Its
   * connection is ALERTING already (since it was offered); the caller is told once, and again for
   * early media.
   */
  ringing(leg: LegId, info: { earlyMedia?: SessionDescription } = {}): void {
    const entry = this.#legs.get(leg);
    if (entry === undefined || entry.context.ended) return;
    const { context, terminalConnection } = entry;
    const connection = terminalConnection.connection;
    if (!context.offered.includes(connection)) return;
    const first = !this.#progressSent.has(connection);
    this.#progressSent.add(connection);
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
    if (!context.ended && this.#making.isCallingOrigin(entry)) return this.#making.originAnswered(entry, info.offer);
    if (context.ended || !context.offered.includes(connection)) {
      this.#legs.delete(leg);
      if (terminalConnection.state !== 'DROPPED')
        terminalConnection.setState('DROPPED', releaseEventCauses(releaseCauses.answeredElsewhere));
      this.#flush();
      return false;
    }
    stopNoAnswerTimer(context);
    this.#routing.hunting.stop(context);
    this.#routing.pilotDone(context, releaseEventCauses(releaseCauses.normal));
    // §2.7 step 3: the Connection goes ESTABLISHED, then its TerminalConnection TALKING.
    this.#routing.originReached(context);
    connection.setState('ESTABLISHED');
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
      if (other !== connection) this.#routing.withdraw(context, other, releaseCauses.answeredElsewhere);
    }
    context.offered = [];
    context.offeredLine = undefined;
    context.destination = connection;
    const now = this.#clock.now();
    context.call.answeredAt ??= now;
    context.legAnsweredAt = now;
    context.answeredBy = entry.device;
    const origin = this.#legs.get(context.origin.leg);
    if (context.originConnected && origin !== undefined) {
      // The origin already talks (to the party that transferred it): it takes the new party's offer.
      this.#outbox.push(() => this.#merging.joinInBackground(context, origin, entry, info.offer));
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
    if (answer === undefined) this.#end(context, releaseCauses.rejected, 'system');
    this.#flush();
  }

  /**
   * A terminal declined before answering (busy, rejected, unreachable). When it was the last
   * terminal of its connection, the connection is taken back (hunting moves on, forward busy
   * applies) or fails with the refusal's causes (§2.7: the called connection FAILED, with
   * call-control cause BUSY and Cisco cause 17 for a busy phone), and the caller is released.
   */
  refused(leg: LegId, cause: ReleaseCause): void {
    const entry = this.#legs.get(leg);
    if (entry === undefined) return;
    this.#legs.delete(leg);
    const { context, terminalConnection } = entry;
    const causes = releaseEventCauses(cause);
    if (terminalConnection.state !== 'DROPPED') terminalConnection.setState('DROPPED', causes);
    const connection = terminalConnection.connection;
    if (!context.ended && terminalConnection === context.origin) {
      // A device called on its own behalf (Call.connect) did not take the call: there is no call.
      stopNoAnswerTimer(context);
      this.#routing.fail(context, cause);
      this.#flush();
      return;
    }
    if (context.ended || !context.offered.includes(connection) || connection.liveTerminalConnections.length > 0) {
      this.#flush(); // not offered any more, or another appearance of the line still rings
      return;
    }
    if (context.hunt !== undefined) {
      // A hunt member failed: the group's hunt option says where the call goes next.
      this.#routing.withdraw(context, connection, cause, causes);
      if (context.offered.length === 0) this.#routing.hunting.memberFailed(context, memberFailureOf(cause));
      this.#flush();
      return;
    }
    stopNoAnswerTimer(context);
    const line = context.offeredLine;
    if (cause.reason === 'busy' && line?.forward.busy !== undefined) {
      if (this.#routing.redirect(context, line.dn, line.forward.busy, 'forward-busy')) {
        this.#flush();
        return;
      }
    }
    this.#routing.fail(context, cause);
    this.#flush();
  }

  /**
   * A leg's device left the call: the caller hung up or cancelled, or the callee hung up. The party
   * that hung up disconnects first, with cause NORMAL; the others follow with the release's causes
   * (CALL_CANCELLED for a caller who gave up before answer), and the call goes INVALID last.
   */
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
      this.#end(context, answered ? releaseCauses.normal : releaseCauses.cancelled, 'caller', terminalConnection);
    } else if (terminalConnection.state === 'TALKING' || terminalConnection.state === 'HELD') {
      this.#legs.delete(leg);
      this.#end(context, cause.reason === 'normal' ? releaseCauses.normal : cause, 'callee', terminalConnection);
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
    if (context.feature !== undefined) return this.#features.updateMedia(context, entry, offer);
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
      else if (hold === 'resume' && holder.state === 'HELD') holder.setState('TALKING', progressCauses.unhold);
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
    const causes = releaseEventCauses(releaseCauses.normal);
    context.call.during('CALL_REMOVING_PARTY', () => {
      tc.setState('DROPPED', causes);
      tc.connection.setState('DISCONNECTED', causes);
    });
    this.#occupancy.untrack(tc.connection);
    // The parties left: live connections with a terminal (a conference number's own connection has none).
    const remaining = context.call.connections.filter(
      (connection) => connection.isLive && connection.liveTerminalConnections.length > 0,
    );
    if (remaining.length <= 1) this.#end(context, releaseCauses.normal, roleOf(entry));
  }

  /**
   * A leg's device sends mid-call information (DTMF as SIP INFO, for one): it goes to the party it
   * talks to, whose status comes back (200 when taken). With nobody to take it — no connected party,
   * a conference, a device that cannot — it is accepted and dropped, as a SIP INFO nobody reads.
   */
  async relayInfo(leg: LegId, info: MidCallInfo): Promise<number> {
    const entry = this.#legs.get(leg);
    if (entry !== undefined) reportDtmf(entry, info);
    if (entry === undefined || entry.context.ended || entry.context.conference !== undefined) return 200;
    if (entry.context.feature !== undefined) return this.#features.info(entry.context, info);
    const peer = this.#peerOf(entry);
    const driver = peer === undefined ? undefined : this.#driverFor(peer.device);
    if (peer === undefined || driver?.sendInfo === undefined) return 200;
    return driver.sendInfo(peer.terminalConnection.leg, info);
  }

  // --- call control (what the CTI layer will call) ---------------------------------------------

  /**
   * JTAPI CallControlConnection.redirect with CiscoConnection's REDIRECT_NORMAL: sends a call that is
   * offered or ringing at a number on to another number, as a forward would (the history records
   * it with reason "redirect", the new connection's reason is REDIRECT). When the destination cannot
   * take the call — unknown, busy, with nothing in service, or a loop — the request fails with a
   * coded error and the call stays where it was. A destination that forwards on is followed as
   * any call is.
   */
  redirect(callId: string, destination: string, options: { callingNumber?: string } = {}): void {
    const context = this.#calls.get(callId);
    if (context === undefined) throw new StrowgerError(ErrorCode.NotFound, `call ${callId} is not in progress`);
    const offered = context.offered[0];
    if (offered === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `call ${callId} is ${context.destination?.state ?? 'not offered anywhere'}; only an offered or ringing call can be redirected`,
        { details: { ciscoError: 'REDIRECT_CALL_INCOMPATIBLE_STATE' } },
      );
    }
    this.#routing.checkRedirectDestination(context, destination);
    const calling = context.calling;
    if (options.callingNumber !== undefined) {
      // The application changes who the destination is told is calling (Cisco's modified calling party).
      context.calling = { ...calling, number: options.callingNumber };
      context.call.currentCalling = context.calling;
    }
    if (!this.#routing.redirect(context, context.offeredLine?.dn ?? context.called, { destination }, 'redirect')) {
      context.calling = calling;
      context.call.currentCalling = calling;
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `call ${callId} was redirected ${maxApplicationRedirects} times already, the most one call may be; answer it or drop it`,
        { details: { ciscoError: 'REDIRECT_CALL_INCOMPATIBLE_STATE' } },
      );
    }
    this.#flush();
  }

  // --- calls offered to applications (CTI route points and ports, domain reference §1.2–1.3) --------

  /**
   * CallControlConnection.accept: the application takes a call OFFERED at its route point; the
   * connection goes ALERTING and the caller hears ringback. With `noAnswerTimer` (the default, as
   * CUCM does after accept) the line's forward no answer applies after its no-answer time; a route
   * session that keeps the call waiting passes false, its own timer deciding instead.
   */
  accept(ref: ConnectionRef, options: { noAnswerTimer: boolean } = { noAnswerTimer: true }): void {
    const { context, connection } = this.#offeredConnection(ref, 'accepted');
    this.#routing.accept(context, connection, options);
    const leg = connection.liveTerminalConnections[0]?.leg;
    if (leg === undefined) this.#flush();
    else this.ringing(leg);
  }

  /**
   * CallControlConnection.reject: the application refuses a call OFFERED at its route point; the
   * caller is treated as reaching a busy line (forward busy applies, else busy).
   */
  reject(ref: ConnectionRef): void {
    const { connection } = this.#offeredConnection(ref, 'rejected');
    const live = connection.liveTerminalConnections;
    for (const tc of live) this.refused(tc.leg, releaseCauses.busy);
  }

  /**
   * A call ringing at a route point (accepted, its route session ended without a route) now waits
   * as a ringing phone does: the line's forward no answer applies after its no-answer time.
   */
  startNoAnswerTimer(ref: ConnectionRef): void {
    const { context, connection } = connectionOf(this.#lookup, ref);
    if (context.ended || !context.offered.includes(connection) || connection.state !== 'ALERTING') return;
    this.#routing.startNoAnswerTimer(context, connection);
  }

  /**
   * The application did not decide in time about a call offered at its device (the route-select
   * timer, CUCM's new call accept timer): forward no answer at once, else the call fails.
   */
  offerTimedOut(ref: ConnectionRef): void {
    const { context, connection } = connectionOf(this.#lookup, ref);
    if (context.ended || !context.offered.includes(connection)) return;
    this.#routing.applicationTimedOut(context);
    this.#flush();
  }

  /**
   * The application controlling a CTI device failed (its connection was lost): every call offered
   * there and not yet connected follows forward on CTI failure, else forward no answer, else fails
   * (CUCM's CTI failure). Connected calls go on: the application owns their media.
   */
  applicationFailed(device: string): void {
    const contexts = new Set<CallContext>();
    for (const entry of this.#legs.values()) {
      if (entry.device.name !== device || entry.context.ended) continue;
      if (entry.context.offered.includes(entry.terminalConnection.connection)) contexts.add(entry.context);
    }
    for (const context of contexts) if (!context.ended) this.#routing.applicationFailed(context);
    this.#flush();
  }

  /**
   * DTMF in RTP to a party that does not take SIP INFO: it is connected to a server endpoint that sends
   * the digits as RFC 4733 events, then joined to its peer again (RFC 3725 flow III, as after a transfer).
   */
  async #digitsByRtp(controller: LegEntry, peer: LegEntry, digits: string): Promise<void> {
    const create = this.#media?.digitSender?.bind(this.#media);
    if (create === undefined) throw new StrowgerError(ErrorCode.Unsupported, 'this server cannot send DTMF in RTP');
    const sender = await create();
    try {
      const offer = sender.offer('sendonly', this.#mediaControl.serverAddressFor(peer));
      sender.accept(await this.#driverFor(peer.device).updateMedia(peer.terminalConnection.leg, offer));
      await sender.sendDigits(digits);
    } catch (error) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `${peer.device.name} takes DTMF neither as SIP INFO nor as RFC 4733 telephone-events (${(error as Error).message})`,
        { details: { ciscoError: 'DIGIT_GENERATION_CALLSTATE_CHANGED' } },
      );
    } finally {
      sender.close();
      if (!controller.context.ended) await this.#merging.join(controller.context, peer, controller, undefined);
    }
  }

  /** A call made with setTransferEnable(false) or setConferenceEnable(false) refuses that request. */
  #assertAllowed(feature: 'transfer' | 'conference', ...callIds: string[]): void {
    for (const callId of callIds) {
      const context = this.#calls.get(callId);
      if (context === undefined || context.allowed[feature]) continue;
      const setter = feature === 'transfer' ? 'setTransferEnable' : 'setConferenceEnable';
      throw invalidState(
        `call ${callId} was made with ${feature} disabled (CallControlCall.${setter}(false)); it cannot be ${feature === 'transfer' ? 'transferred' : 'conferenced'}`,
        feature === 'transfer' ? 'TRANSFERFAILED' : 'CONFERENCEFAILED',
      );
    }
  }

  #offeredConnection(ref: ConnectionRef, verb: string): { context: CallContext; connection: Connection } {
    const found = connectionOf(this.#lookup, ref);
    if (found.connection.state !== 'OFFERED' || !found.context.offered.includes(found.connection)) {
      throw invalidState(
        `the connection of ${ref.address} in call ${ref.callId} is ${found.connection.state}; only an OFFERED connection can be ${verb}`,
        'INVALID_STATE',
      );
    }
    return found;
  }

  /** TerminalConnection.answer: see PartyControl.answer. */
  answer(ref: TerminalConnectionRef): Promise<void> {
    return this.#parties.answer(ref);
  }

  /** CallControlTerminalConnection.hold, done by the server for every phone: see PartyControl.hold. */
  hold(ref: TerminalConnectionRef): Promise<void> {
    return this.#parties.hold(ref);
  }

  /** CallControlTerminalConnection.unhold: see PartyControl.unhold. */
  unhold(ref: TerminalConnectionRef): Promise<void> {
    return this.#parties.unhold(ref);
  }

  /** Connection.disconnect: one address leaves the call; see PartyControl.disconnect. */
  disconnect(ref: ConnectionRef): void {
    this.#parties.disconnect(ref);
    this.#flush();
  }

  /** Call.connect, third-party call control: see CallMaking.makeCall. Resolves with the call id. */
  makeCall(request: MakeCallRequest): Promise<string> {
    return this.#making.makeCall(request);
  }

  /** MediaTerminalConnection.generateDtmf: digits to the party the terminal talks to (SIP INFO). */
  generateDtmf(ref: TerminalConnectionRef, digits: string): Promise<void> {
    return this.#dtmf.generate(ref, digits);
  }

  /** CallControlCall.consult: see CallMaking.consult. Resolves with the consult call's id. */
  consult(ref: TerminalConnectionRef, dialled: string, callId?: string): Promise<string> {
    return this.#making.consult(ref, dialled, callId);
  }

  /**
   * CallControlCall.addParty: the terminal connection's party consults `dialled` and, once it
   * answers, conferences it in (see add-party.ts). Resolves when the conference is made.
   */
  addParty(ref: TerminalConnectionRef, dialled: string): Promise<void> {
    this.#assertAllowed('conference', ref.callId);
    return addParty(
      {
        events: this.events,
        consult: (r, d) => this.consult(r, d),
        conferenceCalls: (a, b, controller) => this.conferenceCalls(a, b, controller),
        unhold: (r) => this.unhold(r),
        drop: (callId) => {
          if (this.#calls.has(callId)) this.drop(callId);
        },
      },
      ref,
      dialled,
    );
  }

  /** CallControlCall.transfer(String) by request: the terminal connection's party transfers blind. */
  transferTo(ref: TerminalConnectionRef, destination: string): void {
    this.#assertAllowed('transfer', ref.callId);
    const { terminalConnection } = terminalConnectionOf({ calls: this.#calls, legs: this.#legs }, ref);
    this.#merging.transfer(terminalConnection.leg, destination);
  }

  /**
   * CallControlCall.transfer(Call) by request: the controller — the terminal in both calls — leaves,
   * and the other call's party joins this call (see CallMerging.transferCalls).
   */
  transferCall(callId: string, otherCallId: string, controller?: string): void {
    this.#assertAllowed('transfer', callId, otherCallId);
    const { held, consult } = controllerLegs(
      { calls: this.#calls, legs: this.#legs },
      callId,
      otherCallId,
      controller,
      'transferred',
    );
    this.#merging.transferCalls(held, consult);
  }

  /** CallControlCall.conference(Call) by request: the two calls of one controller become one conference. */
  conferenceCalls(callId: string, otherCallId: string, controller?: string): Promise<void> {
    this.#assertAllowed('conference', callId, otherCallId);
    const { held, consult } = controllerLegs(
      { calls: this.#calls, legs: this.#legs },
      callId,
      otherCallId,
      controller,
      'conferenced',
    );
    return this.#merging.conference(held, consult);
  }

  /**
   * CallControlAddress.setForwarding (forward all, as Cisco lets JTAPI set it): calls to the line go to
   * `destination` from the next call on; `undefined` cancels it (cancelForwarding). Reported as an
   * `address.forwarding` device event when it changed.
   */
  setForwardAll(dn: string, destination: string | undefined): void {
    const before = this.#forwarding.of(this.#directory, dn);
    if (destination === undefined) this.#forwarding.cancel(this.#directory, dn);
    else this.#forwarding.set(this.#directory, dn, destination);
    const after = this.#forwarding.of(this.#directory, dn);
    if (JSON.stringify(before.all) !== JSON.stringify(after.all)) {
      this.#emitDevice({ type: 'address.forwarding', address: dn, forwardAll: after.all });
    }
  }

  /**
   * CallControlAddress.setMessageWaiting: switches the line's message-waiting lamp on every device
   * the line is on (their drivers tell the phones), reported as an `address.messageWaiting` event.
   */
  setMessageWaiting(dn: string, waiting: boolean): void {
    if (!this.#messageWaiting.set(this.#directory, dn, waiting)) return;
    for (const device of this.#directory.lineDevices.get(dn) ?? []) {
      this.#outbox.command(this.#drivers[device.type], (driver) => driver.messageWaiting?.(device.name, dn, waiting));
    }
    this.#emitDevice({ type: 'address.messageWaiting', address: dn, waiting });
    this.#flush();
  }

  /**
   * CallControlTerminal.setDoNotDisturb (Cisco's DND with call reject): the device is offered no new
   * call — a line whose every device in service is in do not disturb is busy to callers (forward busy
   * applies) — until switched off. Calls in progress go on. Reported as a `terminal.doNotDisturb` event.
   */
  setDoNotDisturb(device: string, on: boolean): void {
    if (!this.#directory.devices.has(device)) {
      throw new StrowgerError(ErrorCode.NotFound, `device ${device} is not configured`);
    }
    if (this.#doNotDisturb.has(device) === on) return;
    if (on) this.#doNotDisturb.add(device);
    else this.#doNotDisturb.delete(device);
    this.#emitDevice({ type: 'terminal.doNotDisturb', terminal: device, on });
  }

  /** CallControlTerminal.getDoNotDisturb. */
  doNotDisturbOf(device: string): boolean {
    return this.#doNotDisturb.has(device);
  }

  /**
   * Directed call pickup (JTAPI CallControlTerminal.pickup(pickupAddress, terminalAddress)): the call
   * ringing at `pickupAddress` is taken by `device` on its `line` — the ringing phones stop (call-control
   * cause CALL_PICKUP), and the device is called, asked to answer by itself. Returns the call's id.
   */
  pickup(request: { device: string; line: string; pickupAddress: string }): string {
    const { context, device, line } = pickupTarget(
      { calls: this.#calls, legs: this.#legs, directory: this.#directory, inService: (d) => this.#inService(d) },
      request,
    );
    this.#routing.pickUp(context, line, device);
    this.#flush();
    return context.call.id;
  }

  /**
   * CiscoConnection.park: the terminal connection's party leaves and the other waits on music on hold
   * at a free call park number; resolves with that number (see CallPark).
   */
  park(ref: TerminalConnectionRef): Promise<string> {
    return this.#park.park(ref);
  }

  /** CiscoTerminal.unPark: the call parked at `parkNumber` is offered to the device's line; returns its call id. */
  unpark(request: { device: string; line: string; parkNumber: string }): string {
    return this.#park.unpark(request);
  }

  /** The calls parked now, by park number. */
  parkedCalls(): Array<{ number: string; callId: string }> {
    return this.#park.parkedCalls();
  }

  /**
   * CallControlTerminal.pickupFromGroup (CUCM's group pickup): the call that has rung longest at
   * another line of this line's call pickup group goes to this device, asked to answer by itself.
   */
  pickupFromGroup(request: { device: string; line: string }): string {
    const { context, device, line } = groupPickupTarget(
      { calls: this.#calls, legs: this.#legs, directory: this.#directory, inService: (d) => this.#inService(d) },
      request,
    );
    this.#routing.pickUp(context, line, device);
    this.#flush();
    return context.call.id;
  }

  /** CallControlAddress.getMessageWaiting. */
  messageWaitingOf(dn: string): boolean {
    return this.#messageWaiting.of(dn);
  }

  /** CallControlAddress.getForwarding: the line's forwarding as it applies now. */
  forwardingOf(dn: string): LineForwarding {
    return this.#forwarding.of(this.#directory, dn);
  }

  /** JTAPI CallControlCall.drop: ends the call for every party. */
  drop(callId: string): void {
    const context = this.#calls.get(callId);
    if (context === undefined) throw new StrowgerError(ErrorCode.NotFound, `call ${callId} is not in progress`);
    this.#end(context, releaseCauses.normal, 'system');
    this.#flush();
  }

  /** Blind transfer, JTAPI CallControlCall.transfer(String): see CallMerging.transfer. */
  transfer(leg: LegId, destination: string): void {
    this.#merging.transfer(leg, destination);
  }

  /** Consult transfer, JTAPI CallControlCall.transfer(Call): see CallMerging.transferCalls. */
  transferCalls(heldLeg: LegId, consultLeg: LegId): void {
    this.#merging.transferCalls(heldLeg, consultLeg);
  }

  /** Ad-hoc conference, JTAPI CallControlCall.conference(Call): see CallMerging.conference. */
  conference(heldLeg: LegId, consultLeg: LegId): Promise<void> {
    return this.#merging.conference(heldLeg, consultLeg);
  }

  /** Brings another call's party into a conference (RFC 4579): see CallMerging.joinConference. */
  joinConference(focusLeg: LegId, replacedLeg: LegId): Promise<void> {
    return this.#merging.joinConference(focusLeg, replacedLeg);
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
      this.#routing.fail(context, releaseCauses.unavailable);
      return;
    }
    const conference: Conference = { bridge: media.conferenceBridge(), endpoints: new Map() };
    context.conference = conference;
    // The conference itself is the connection the call reached: an address with no terminal.
    this.#routing.originReached(context);
    const connection = context.call.addConnection(number, 'terminating', context.routeReason);
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
    const answer = endpoint?.answer(offer, 'sendrecv', this.#mediaControl.serverAddressFor(origin));
    if (endpoint === undefined || answer === undefined) {
      endpoint?.close();
      this.#routing.fail(context, endpoint === undefined ? releaseCauses.congestion : releaseCauses.rejected);
      this.#flush();
      return;
    }
    conference.endpoints.set(origin, endpoint);
    const now = this.#clock.now();
    context.call.answeredAt = now;
    context.legAnsweredAt = now;
    context.originConnected = true;
    this.#command(context.origin, (driver) =>
      driver.connected(context.origin.leg, {
        answer,
        connectedParty: { number: context.called },
        focus: true,
      }),
    );
    this.#flush();
  }

  // --- queries and snapshots ---------------------------------------------------------------------

  get callCount(): number {
    return this.#calls.size;
  }

  get legCount(): number {
    return this.#legs.size;
  }

  /** The engine sequence number of the last event emitted (0 before any). */
  get engineSeq(): number {
    return this.#engineSeq;
  }

  listCalls(): CallView[] {
    return [...this.#calls.values()].map(({ call }) => viewOfCall(call));
  }

  /**
   * A call as it is now (call-snapshot.ts), with the engine sequence number it is consistent with;
   * undefined once the call is over.
   */
  snapshotCall(callId: string): { readonly engineSeq: number; readonly call: CallSnapshot } | undefined {
    const context = this.#calls.get(callId);
    return context === undefined ? undefined : { engineSeq: this.#engineSeq, call: snapshotOfCall(context.call) };
  }

  /** A device (JTAPI Terminal) as it is now, with its calls; undefined when it is not configured. */
  snapshotDevice(name: string): TerminalSnapshot | undefined {
    const device = this.#directory.devices.get(name);
    if (device === undefined) return undefined;
    const calls = [...this.#calls.values()].filter(({ call }) =>
      call.connections.some((connection) => connection.liveTerminalConnections.some((tc) => tc.terminal === name)),
    );
    return {
      engineSeq: this.#engineSeq,
      name,
      type: device.type,
      inService: this.#inService(device),
      restricted: device.allowCtiControl === false,
      lines: [...device.lines],
      calls: calls.map(({ call }) => snapshotOfCall(call)),
    };
  }

  /** A line (JTAPI Address) as it is now, with its devices and calls; undefined when it is not configured. */
  snapshotLine(dn: string): AddressSnapshot | undefined {
    const line = this.#directory.lines.get(dn);
    if (line === undefined) return undefined;
    const calls = [...this.#calls.values()].filter(({ call }) =>
      call.connections.some((connection) => connection.isLive && connection.address === dn),
    );
    return {
      engineSeq: this.#engineSeq,
      dn,
      restricted: line.allowCtiControl === false,
      terminals: (this.#directory.lineDevices.get(dn) ?? []).map((device) => ({
        name: device.name,
        inService: this.#inService(device),
      })),
      calls: calls.map(({ call }) => snapshotOfCall(call)),
    };
  }

  /** Ends every call (shutdown): each leg is released and each call recorded. */
  close(): void {
    for (const context of [...this.#calls.values()]) this.#end(context, releaseCauses.congestion, 'system');
    this.#flush();
  }
  /**
   * Ends the call for every party. The party that ended it (`first`) is released first — its
   * terminal connection DROPPED, then its connection DISCONNECTED, with cause NORMAL when it hung up
   * itself — then the others in the order they joined, with the release's causes; CALL_INVALID last.
   */
  #end(
    context: CallContext,
    cause: ReleaseCause,
    by: 'caller' | 'callee' | 'system',
    first?: TerminalConnection,
  ): void {
    if (context.ended) return;
    context.ended = true;
    stopNoAnswerTimer(context);
    this.#routing.hunting.stop(context);
    this.#mediaControl.stopMusic(context);
    this.#mediaControl.closeConference(context);
    this.#features.close(context);
    const { call } = context;
    const causes = releaseEventCauses(cause);
    const ownCauses = by === 'system' ? causes : releaseEventCauses(releaseCauses.normal);
    const ordered =
      first === undefined
        ? call.connections
        : [first.connection, ...call.connections.filter((connection) => connection !== first.connection)];
    call.during('CALL_ENDING', () => {
      for (const connection of ordered) {
        const connectionCauses = connection === first?.connection ? ownCauses : causes;
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
          tc.setState('DROPPED', connectionCauses);
        }
        if (connection.state !== 'DISCONNECTED') connection.setState('DISCONNECTED', connectionCauses);
        this.#occupancy.untrack(connection);
      }
      call.setState('INVALID', causes);
    });
    this.#calls.delete(call.id);
    this.#writeRecord(context, cause, by);
  }

  /** A new call, IDLE, whose events go into the engine's stream; `id` is a fresh one when absent. */
  #newCall(options: { id?: string; dialled: string; calling: PartyInfo }): Call {
    return new Call({
      id: options.id ?? newCallId(this.#clock.now()),
      dialled: options.dialled,
      calling: options.calling,
      sink: {
        now: () => this.#clock.now(),
        nextEngineSeq: () => ++this.#engineSeq,
        emit: (event: CallEvent) => this.events.emit('call', event),
      },
    });
  }

  #writeRecord(context: CallContext, cause: ReleaseCause, by: 'caller' | 'callee' | 'system'): void {
    this.#records?.write(callRecordOf(context, cause, by, this.#clock.now()));
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

  /** A transferring (or conferencing) party leaves a call: its device is released, its connection disconnected. */
  #leave(entry: LegEntry, cause: ReleaseCause, causes: EventCauses): void {
    const tc = entry.terminalConnection;
    this.#command(tc, (driver) => driver.release(tc.leg, cause));
    this.#legs.delete(tc.leg);
    tc.setState('DROPPED', causes);
    tc.connection.setState('DISCONNECTED', causes);
    this.#occupancy.untrack(tc.connection);
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

  #emitDevice(body: DeviceEventBody): void {
    this.events.emit('device', { ...body, engineSeq: ++this.#engineSeq, at: this.#clock.now() });
  }

  /**
   * Queues a driver command for a live leg's device, run by #flush in order. The device is the one
   * the leg was made with, so a configuration change mid-call cannot strand a leg in its driver.
   */
  #command(terminalConnection: TerminalConnection, run: (driver: DeviceDriver) => void): void {
    const device = this.#legs.get(terminalConnection.leg)?.device;
    this.#outbox.command(device === undefined ? undefined : this.#drivers[device.type], run);
  }

  #flush(): void {
    this.#outbox.flush();
  }
}
