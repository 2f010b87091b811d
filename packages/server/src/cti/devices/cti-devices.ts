import { randomInt, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import {
  RouteCause,
  type Codec,
  type EventType,
  type MethodParams,
  type MethodResult,
  type RegistrationMedia,
} from '@strowger/protocol';
import {
  ErrorCode,
  StrowgerError,
  isStrowgerError,
  type Clock,
  type Logger,
  type TimerHandle,
} from '../../core/index.js';
import {
  releaseCauses,
  type AlertRequest,
  type DeviceDriver,
  type LegId,
  type MidCallInfo,
  type ReleaseCause,
  type SessionDescription,
} from '../../switch/index.js';
import {
  assertAddress,
  assertControllable,
  assertMayModifyCallingNumber,
  assertTerminal,
} from '../provider/call-control.js';
import type { CtiProvider } from '../provider/provider.js';
import { DeviceRegistrations, type CtiDeviceType, type Registration } from './device-registrations.js';
import {
  answerOffer,
  codecsOf,
  flows,
  makeOffer,
  readAnswer,
  usableCodecs,
  type AgreedMedia,
  type RtpEndpoint,
} from './media-negotiation.js';

/** A connection as the engine's operations name it. */
interface ConnectionRef {
  readonly callId: string;
  readonly address: string;
}

/** What CTI devices need of the engine: its inputs for a device's part in a call, and routing. */
export interface CtiDeviceEngine {
  deviceServiceChanged(name: string): void;
  ringing(leg: LegId, info?: { earlyMedia?: SessionDescription }): void;
  answered(leg: LegId, info: { answer?: SessionDescription; offer?: SessionDescription }): boolean;
  released(leg: LegId, cause?: ReleaseCause): void;
  accept(ref: ConnectionRef, options: { noAnswerTimer: boolean }): void;
  offerTimedOut(ref: ConnectionRef): void;
  startNoAnswerTimer(ref: ConnectionRef): void;
  applicationFailed(device: string): void;
  redirect(callId: string, destination: string, options?: { callingNumber?: string }): void;
  snapshotCall(
    callId: string,
  ): { readonly call: { connections: readonly { address: string; state: string }[] } } | undefined;
}

/** Where the CTI devices' events go: to one provider, not through observers. */
export interface CtiDeviceEvents {
  emit(providerId: string, type: EventType, fields: object): void;
  /** The provider's domain and roles, for checking requests. */
  provider(providerId: string): CtiProvider | undefined;
}

export interface CtiDevicesOptions {
  clock: Clock;
  logger: Logger;
  /** CUCM's CTI New Call Accept Timer: how long a call may stay OFFERED at a route point (4 s). */
  newCallAcceptMs?: number;
  /** How long a dynamically registered device has to give a call's RTP address (CUCM's media exchange timeout). */
  mediaExchangeMs?: number;
  /**
   * How long the connected calls of an application whose connection was lost wait for it to resume
   * before they are released (10 s): its media stopped with it, and a caller must not sit in silence.
   */
  orphanGraceMs?: number;
}

const defaultRouteSelectMs = 5000;

/** A route session (JTAPI RouteSession): one call offered at a route point, while its application decides. */
interface RouteSession {
  readonly id: string;
  readonly leg: LegId;
  readonly routeAddress: string;
  providerId: string;
  timer: TimerHandle | undefined;
  /** Set while selectRoute redirects the call: the call leaving is then the route being used, not an end. */
  routing: boolean;
}

/** A CTI device's part in one call. */
interface DeviceCall {
  readonly leg: LegId;
  readonly callId: string;
  readonly device: string;
  readonly type: CtiDeviceType;
  readonly ref: ConnectionRef;
  readonly alert: AlertRequest;
  /** The provider whose application terminates this call's media, once it answered. */
  mediaProvider: string | undefined;
  local: RtpEndpoint | undefined;
  codecs: readonly Codec[];
  agreed: AgreedMedia | undefined;
  inputStarted: boolean;
  outputStarted: boolean;
  /** The SDP session this device presents in the call: one id, its version raised on each description (RFC 3264 §8). */
  readonly sdp: { readonly id: string; version: number };
  acceptTimer: TimerHandle | undefined;
  session: RouteSession | undefined;
  /** A dynamic registration's wait for terminal.setRtpParams. */
  pendingRtp:
    { resolve: (endpoint: RtpEndpoint) => void; reject: (error: Error) => void; timer: TimerHandle } | undefined;
  connected: boolean;
}

/**
 * The device driver of CTI route points and CTI ports (domain reference §1.2, §1.3, §2.9): a device
 * is in service while an application has registered it; a call offered at a route point raises a
 * route request at the application whose route callback is active (or waits OFFERED for it to
 * accept, reject, redirect or answer); a port rings, and the application answers with its RTP
 * address, the server negotiating SDP with the far end on its behalf and reporting the media it
 * agreed. When the application goes, calls not yet connected follow forward on CTI failure, and a
 * standby instance takes its route points over.
 */
export class CtiDevices implements DeviceDriver {
  readonly #options: CtiDevicesOptions;
  readonly #registrations = new DeviceRegistrations();
  readonly #calls = new Map<LegId, DeviceCall>();
  readonly #sessions = new Map<string, RouteSession>();
  /** Connected calls whose application went away: kept while it may resume, released when it cannot. */
  readonly #orphans = new Map<string, { legs: Set<LegId>; timer: TimerHandle }>();
  #engine: CtiDeviceEngine | undefined;
  #events: CtiDeviceEvents | undefined;
  readonly #sessionPrefix = randomUUID().slice(0, 8);
  #nextSession = 1;

  constructor(options: CtiDevicesOptions) {
    this.#options = options;
  }

  /** The engine whose driver this is (the composition root wires it once both exist). */
  attachEngine(engine: CtiDeviceEngine): void {
    this.#engine = engine;
  }

  /** Where route and media events go: the provider service, which attaches itself. */
  attachProviders(events: CtiDeviceEvents): void {
    this.#events = events;
  }

  // --- the engine's driver port ----------------------------------------------------------------

  isInService(device: string): boolean {
    return this.#registrations.inService(device);
  }

  alert(request: AlertRequest): void {
    const registration = this.#registrations.active(request.device);
    const call: DeviceCall = {
      leg: request.leg,
      callId: request.callId,
      device: request.device,
      type: registration?.type ?? 'cti-port',
      ref: { callId: request.callId, address: request.line },
      alert: request,
      mediaProvider: undefined,
      local: undefined,
      codecs: [],
      agreed: undefined,
      inputStarted: false,
      outputStarted: false,
      sdp: { id: String(randomInt(1, 2 ** 31)), version: 0 },
      acceptTimer: undefined,
      session: undefined,
      pendingRtp: undefined,
      connected: false,
    };
    this.#calls.set(request.leg, call);
    // The engine is not called back from inside its own command (ports.ts).
    queueMicrotask(() => this.#offered(call));
  }

  async answer(leg: LegId): Promise<void> {
    // The engine asked; it hears the answer in a later turn, never from inside its own request.
    await Promise.resolve();
    const call = this.#calls.get(leg);
    if (call === undefined) throw new StrowgerError(ErrorCode.NotFound, `leg ${leg} is not a call at a CTI device`);
    const registration = this.#registrations.active(call.device);
    if (registration === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `${call.device} is not registered; register it before answering its calls`,
      );
    }
    if (registration.media.kind === 'none') {
      throw new StrowgerError(
        ErrorCode.Unsupported,
        `${call.device} is registered without media, so it cannot answer; register it with static or dynamic media to answer calls on it`,
      );
    }
    const codecs = codecsOf(registration.media.codecs);
    const offer = call.alert.offer;
    if (offer !== undefined && usableCodecs(offer, codecs).length === 0) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `the caller offers no codec ${call.device} takes (${codecs.join(', ')}); the call cannot be answered there`,
        { details: { cisco: 'MEDIA_CAPABILITY_MISMATCH' } },
      );
    }
    call.codecs = codecs;
    call.mediaProvider = registration.providerId;
    call.local =
      registration.media.kind === 'static'
        ? { address: registration.media.address, port: registration.media.port }
        : await this.#askForRtpAddress(call, registration, offer === undefined ? codecs : usableCodecs(offer, codecs));
    if (!this.#calls.has(leg))
      throw new StrowgerError(ErrorCode.InvalidState, `the call left ${call.device} before it was answered`);
    const engine = this.#requireEngine();
    if (offer === undefined) {
      // The call came without an offer (a transfer): this side offers, the answer follows by answerOffer.
      call.connected = engine.answered(leg, { offer: makeOffer(call.local, codecs, this.#sessionOf(call)) });
      return;
    }
    const answered = answerOffer(offer, call.local, codecs, this.#sessionOf(call));
    call.connected = engine.answered(leg, { answer: answered.sdp });
    if (call.connected) this.#mediaChanged(call, answered.agreed);
  }

  cancel(leg: LegId): void {
    const call = this.#calls.get(leg);
    if (call === undefined) return;
    this.#calls.delete(leg);
    this.#endCall(call, RouteCause.NO_ERROR);
  }

  release(leg: LegId): void {
    this.cancel(leg);
  }

  progress(): void {
    // A CTI device never places the calls the engine would report progress of.
  }

  connected(): void {
    // As progress: a CTI device is only ever called.
  }

  updateMedia(leg: LegId, offer: SessionDescription): Promise<SessionDescription> {
    const call = this.#calls.get(leg);
    if (call?.local === undefined) return Promise.reject(new Error(`leg ${leg} has no media at a CTI device`));
    const answered = answerOffer(offer, call.local, call.codecs, this.#sessionOf(call));
    this.#mediaChanged(call, answered.agreed);
    return Promise.resolve(answered.sdp);
  }

  requestOffer(leg: LegId): Promise<SessionDescription> {
    const call = this.#calls.get(leg);
    if (call?.local === undefined) return Promise.reject(new Error(`leg ${leg} has no media at a CTI device`));
    return Promise.resolve(makeOffer(call.local, call.codecs, this.#sessionOf(call)));
  }

  answerOffer(leg: LegId, answer: SessionDescription | undefined): void {
    const call = this.#calls.get(leg);
    if (call === undefined || answer === undefined) return;
    try {
      this.#mediaChanged(call, readAnswer(answer, call.codecs));
    } catch (error) {
      this.#options.logger.warn(
        { err: error, leg, device: call.device },
        'the far end answered a CTI device with no usable codec',
      );
    }
  }

  sendInfo(_leg: LegId, _info: MidCallInfo): Promise<number> {
    // DTMF sent as SIP INFO already reaches the application as MediaTermConnDtmfEv on the sender's side.
    return Promise.resolve(200);
  }

  // --- requests from applications --------------------------------------------------------------

  /** terminal.register: the device comes into service while this provider (or a standby) holds it. */
  register(provider: CtiProvider, params: MethodParams<'terminal.register'>): MethodResult<'terminal.register'> {
    const type = this.#ctiTypeOf(provider, params.name);
    if (params.media.kind === 'static') assertRtpAddress(params.media.address);
    validateMedia(type, params.name, params.media);
    const registration = this.#registrations.register(provider.id, params.name, type, params.media, false);
    this.#serviceMayHaveChanged(params.name);
    return { active: this.#registrations.active(params.name) === registration };
  }

  /** terminal.unregister: the device goes out of service unless a standby takes it over. */
  unregister(provider: CtiProvider, params: MethodParams<'terminal.unregister'>): void {
    assertTerminal(provider.view, params.name);
    const registration = this.#registrations.of(params.name, provider.id);
    if (registration === undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `${params.name} is not registered by this provider`);
    }
    this.#drop(registration, 'unregistered');
  }

  /** terminal.setRtpParams: the RTP address for one call of a dynamically registered device. */
  setRtpParams(provider: CtiProvider, params: MethodParams<'terminal.setRtpParams'>): void {
    assertTerminal(provider.view, params.name);
    assertRtpAddress(params.address);
    const call = [...this.#calls.values()].find((c) => c.callId === params.callId && c.device === params.name);
    if (call?.pendingRtp === undefined || call.mediaProvider !== provider.id) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `no call ${params.callId} at ${params.name} waits for an RTP address from this provider; answer with setRtpParams only after CiscoMediaOpenLogicalChannelEv`,
      );
    }
    const pending = call.pendingRtp;
    call.pendingRtp = undefined;
    pending.timer.cancel();
    pending.resolve({ address: params.address, port: params.port });
  }

  /** address.registerRouteCallback: route requests for the address; a second instance stands by. */
  registerRouteCallback(
    provider: CtiProvider,
    params: MethodParams<'address.registerRouteCallback'>,
  ): MethodResult<'address.registerRouteCallback'> {
    const device = this.#routePointOf(provider, params.address);
    const registration =
      this.#registrations.of(device, provider.id) ??
      this.#registrations.register(provider.id, device, 'cti-route-point', { kind: 'none' }, true);
    registration.callbacks.set(params.address, params.routeSelectTimeoutMs ?? defaultRouteSelectMs);
    this.#serviceMayHaveChanged(device);
    return { active: this.#registrations.active(device) === registration };
  }

  /** address.cancelRouteCallback: no more route requests; a route point registered by it alone goes too. */
  cancelRouteCallback(provider: CtiProvider, params: MethodParams<'address.cancelRouteCallback'>): void {
    const device = this.#routePointOf(provider, params.address);
    const registration = this.#registrations.of(device, provider.id);
    if (registration?.callbacks.delete(params.address) !== true) {
      throw new StrowgerError(ErrorCode.InvalidState, `this provider has no route callback on ${params.address}`);
    }
    this.#emit(provider.id, 'RouteCallbackEndedEv', { routeAddress: params.address, reason: 'cancelled' });
    if (registration.implicit && registration.callbacks.size === 0) this.#drop(registration, 'unregistered');
  }

  /** routeSession.selectRoute: the first destination that takes the call; each failure a ReRouteEv. */
  selectRoute(
    provider: CtiProvider,
    params: MethodParams<'routeSession.selectRoute'>,
  ): MethodResult<'routeSession.selectRoute'> {
    const session = this.#ownSession(provider, params.sessionId);
    if (params.callingNumber !== undefined) assertMayModifyCallingNumber(provider);
    const call = this.#calls.get(session.leg);
    if (call === undefined) throw new StrowgerError(ErrorCode.InvalidState, `route session ${session.id} is over`);
    const engine = this.#requireEngine();
    const failures: string[] = [];
    for (const [index, route] of params.routes.entries()) {
      session.routing = true;
      try {
        engine.redirect(
          call.callId,
          route,
          params.callingNumber === undefined ? {} : { callingNumber: params.callingNumber },
        );
      } catch (error) {
        session.routing = false;
        if (!isStrowgerError(error)) throw error;
        const cause =
          error.code === ErrorCode.InvalidArgument ? RouteCause.INVALID_DESTINATION : RouteCause.UNSPECIFIED_ERROR;
        failures.push(`${route}: ${error.message}`);
        this.#emit(provider.id, 'ReRouteEv', {
          ...this.#sessionFields(session, call),
          route,
          cause,
          reason: error.message,
        });
        continue;
      }
      this.#closeSession(session);
      this.#emit(provider.id, 'RouteUsedEv', { ...this.#sessionFields(session, call), routeUsed: route, index });
      this.#emit(provider.id, 'RouteEndEv', { ...this.#sessionFields(session, call), cause: RouteCause.NO_ERROR });
      return { routeUsed: route, index };
    }
    // CUCM does not re-route by itself: the session stays, its timer restarted, for another try or endRoute.
    this.#startRouteTimer(
      session,
      this.#registrations.callbackOn(call.device, session.routeAddress)?.timeoutMs ?? defaultRouteSelectMs,
    );
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `no route took the call — ${failures.join('; ')}; select other routes, or end the route session`,
      { details: { cisco: 'CTIERR_REDIRECT_CALL_DESTINATION_BUSY' } },
    );
  }

  /** routeSession.endRoute: the call keeps ringing at the route point; forward no answer applies after its time. */
  endRoute(provider: CtiProvider, params: MethodParams<'routeSession.endRoute'>): void {
    const session = this.#ownSession(provider, params.sessionId);
    const call = this.#calls.get(session.leg);
    this.#closeSession(session);
    if (call === undefined) return;
    this.#emit(provider.id, 'RouteEndEv', { ...this.#sessionFields(session, call), cause: RouteCause.NO_ERROR });
    call.session = undefined;
    this.#requireEngine().startNoAnswerTimer(call.ref);
  }

  /** The route sessions open at a provider's route points: what a queue application waits on. */
  openSessions(providerId: string): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.providerId === providerId) count++;
    return count;
  }

  // --- providers coming and going -----------------------------------------------------------------

  /**
   * The provider's application went away (its session closed): its devices are given up at once —
   * a standby takes its route points over, calls not yet connected follow forward on CTI failure —
   * while its connected calls wait for it to resume (`providerClosed` ends them when it cannot).
   */
  providerLost(providerId: string): void {
    for (const registration of this.#registrations.heldBy(providerId)) this.#drop(registration, 'application lost');
    const connected = [...this.#calls.values()].filter((call) => call.connected && call.mediaProvider === providerId);
    if (connected.length === 0 || this.#orphans.has(providerId)) return;
    const timer = this.#options.clock.setTimer(this.#options.orphanGraceMs ?? 10_000, () =>
      this.#releaseOrphans(providerId),
    );
    this.#orphans.set(providerId, { legs: new Set(connected.map((call) => call.leg)), timer });
  }

  /** The application resumed its provider: its connected calls are its own again. */
  providerResumed(providerId: string): void {
    this.#orphans.get(providerId)?.timer.cancel();
    this.#orphans.delete(providerId);
  }

  /**
   * The provider is gone for good (shut down, or not resumed in time): its registrations go, and its
   * connected calls are released — nobody terminates their media any more (nothing half-connected).
   */
  providerClosed(providerId: string): void {
    this.providerLost(providerId);
    this.#releaseOrphans(providerId);
  }

  #releaseOrphans(providerId: string): void {
    const orphans = this.#orphans.get(providerId);
    this.#orphans.delete(providerId);
    orphans?.timer.cancel();
    const engine = this.#engine;
    if (orphans === undefined || engine === undefined) return;
    for (const leg of orphans.legs)
      if (this.#calls.has(leg))
        engine.released(leg, { ...releaseCauses.unavailable, text: 'the application terminating the media went away' });
  }

  close(): void {
    for (const orphans of this.#orphans.values()) orphans.timer.cancel();
    this.#orphans.clear();
    for (const call of this.#calls.values()) this.#clearTimers(call);
    for (const session of this.#sessions.values()) session.timer?.cancel();
    this.#calls.clear();
    this.#sessions.clear();
    this.#registrations.clear();
  }

  // --- internals ---------------------------------------------------------------------------------

  #offered(call: DeviceCall): void {
    if (!this.#calls.has(call.leg)) return;
    const engine = this.#requireEngine();
    if (call.type === 'cti-port') {
      engine.ringing(call.leg); // a port rings as a phone does; the caller hears ringback
      return;
    }
    const callback = this.#registrations.callbackOn(call.device, call.alert.line);
    if (callback === undefined) {
      // Call-control mode: the application must accept, reject, redirect or answer in time.
      call.acceptTimer = this.#options.clock.setTimer(this.#options.newCallAcceptMs ?? 4000, () => {
        call.acceptTimer = undefined;
        if (this.#stillOffered(call)) engine.offerTimedOut(call.ref);
      });
      return;
    }
    // A route request: the call is taken (ringback) while the application decides.
    engine.accept(call.ref, { noAnswerTimer: false });
    const session: RouteSession = {
      id: `rs-${this.#sessionPrefix}-${this.#nextSession++}`,
      leg: call.leg,
      routeAddress: call.alert.line,
      providerId: callback.registration.providerId,
      timer: undefined,
      routing: false,
    };
    call.session = session;
    this.#sessions.set(session.id, session);
    this.#raiseRouteEvent(session, call, callback.timeoutMs);
  }

  #raiseRouteEvent(session: RouteSession, call: DeviceCall, timeoutMs: number): void {
    const { alert } = call;
    const redirections = alert.redirections;
    const last = redirections.at(-1);
    this.#emit(session.providerId, 'RouteEv', {
      ...this.#sessionFields(session, call),
      callingAddress: alert.calling.number,
      callingName: alert.calling.displayName ?? null,
      callingTerminal: alert.calling.device ?? null,
      calledAddress: alert.dialled,
      originalCalledAddress: redirections[0]?.from ?? alert.dialled,
      lastRedirectedAddress: last?.from ?? null,
      redirectReason: last?.reason ?? null,
      routeSelectTimeoutMs: timeoutMs,
    });
    this.#startRouteTimer(session, timeoutMs);
  }

  #startRouteTimer(session: RouteSession, timeoutMs: number): void {
    session.timer?.cancel();
    session.timer = this.#options.clock.setTimer(timeoutMs, () => {
      session.timer = undefined;
      const call = this.#calls.get(session.leg);
      this.#closeSession(session);
      if (call === undefined) return;
      call.session = undefined;
      this.#emit(session.providerId, 'RouteEndEv', {
        ...this.#sessionFields(session, call),
        cause: RouteCause.ROUTING_TIMER_EXPIRED,
      });
      this.#requireEngine().offerTimedOut(call.ref);
    });
  }

  #closeSession(session: RouteSession): void {
    session.timer?.cancel();
    session.timer = undefined;
    this.#sessions.delete(session.id);
  }

  #sessionFields(session: RouteSession, call: DeviceCall): object {
    return { sessionId: session.id, routeAddress: session.routeAddress, callId: call.callId };
  }

  #ownSession(provider: CtiProvider, sessionId: string): RouteSession {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) {
      throw new StrowgerError(ErrorCode.NotFound, `route session ${sessionId} is over or never existed`);
    }
    if (session.providerId !== provider.id) {
      throw new StrowgerError(
        ErrorCode.PrivilegeViolation,
        `route session ${sessionId} belongs to another application`,
      );
    }
    return session;
  }

  /** The call left the device (answered elsewhere, routed, forwarded, the caller hung up). */
  #endCall(call: DeviceCall, cause: number): void {
    this.#clearTimers(call);
    const session = call.session;
    if (session !== undefined) {
      this.#closeSession(session);
      if (!session.routing)
        this.#emit(session.providerId, 'RouteEndEv', { ...this.#sessionFields(session, call), cause });
    }
    if (call.pendingRtp !== undefined) {
      call.pendingRtp.timer.cancel();
      call.pendingRtp.reject(new StrowgerError(ErrorCode.InvalidState, `the call left ${call.device}`));
      call.pendingRtp = undefined;
    }
    this.#mediaChanged(call, undefined);
    for (const orphans of this.#orphans.values()) orphans.legs.delete(call.leg);
  }

  #clearTimers(call: DeviceCall): void {
    call.acceptTimer?.cancel();
    call.acceptTimer = undefined;
  }

  #stillOffered(call: DeviceCall): boolean {
    const connection = this.#engine
      ?.snapshotCall(call.callId)
      ?.call.connections.find(
        (c) => c.address === call.ref.address && c.state !== 'DISCONNECTED' && c.state !== 'FAILED',
      );
    return connection?.state === 'OFFERED';
  }

  /** A dynamic registration: the application is asked for this call's RTP address, and has a while to give it. */
  #askForRtpAddress(call: DeviceCall, registration: Registration, codecs: readonly Codec[]): Promise<RtpEndpoint> {
    const timeoutMs = this.#options.mediaExchangeMs ?? 5000;
    return new Promise<RtpEndpoint>((resolve, reject) => {
      const timer = this.#options.clock.setTimer(timeoutMs, () => {
        call.pendingRtp = undefined;
        reject(
          new StrowgerError(
            ErrorCode.ResourceUnavailable,
            `the application gave no RTP address for call ${call.callId} at ${call.device} within ${timeoutMs} ms; answer CiscoMediaOpenLogicalChannelEv with terminal.setRtpParams`,
          ),
        );
      });
      call.pendingRtp = { resolve, reject, timer };
      this.#emit(registration.providerId, 'CiscoMediaOpenLogicalChannelEv', {
        terminal: call.device,
        callId: call.callId,
        codecs,
        timeoutMs,
      });
    });
  }

  #sessionOf(call: DeviceCall): { id: string; version: number } {
    call.sdp.version += 1;
    return { id: call.sdp.id, version: call.sdp.version };
  }

  /**
   * What the application should do with its RTP now (CiscoRTPInput/OutputStarted/StoppedEv): receive
   * while the far end sends, send while the far end receives, to the far end's address and codec.
   */
  #mediaChanged(call: DeviceCall, agreed: AgreedMedia | undefined): void {
    const providerId = call.mediaProvider;
    const before = call.agreed;
    call.agreed = agreed;
    if (providerId === undefined || call.local === undefined) return;
    const now = agreed === undefined ? { input: false, output: false } : flows(agreed.direction);
    const fields = { terminal: call.device, callId: call.callId };
    const format = (media: AgreedMedia): object => ({
      codec: media.codec,
      payloadType: media.payloadType,
      packetMs: 20,
      telephoneEventPayloadType: media.telephoneEventPayloadType,
    });
    const moved =
      before !== undefined &&
      agreed !== undefined &&
      (before.remote.address !== agreed.remote.address ||
        before.remote.port !== agreed.remote.port ||
        before.payloadType !== agreed.payloadType);
    if (call.outputStarted && (!now.output || moved)) {
      call.outputStarted = false;
      this.#emit(providerId, 'CiscoRTPOutputStoppedEv', fields);
    }
    if (call.inputStarted && (!now.input || moved)) {
      call.inputStarted = false;
      this.#emit(providerId, 'CiscoRTPInputStoppedEv', fields);
    }
    if (agreed === undefined) return;
    if (now.input && !call.inputStarted) {
      call.inputStarted = true;
      this.#emit(providerId, 'CiscoRTPInputStartedEv', {
        ...fields,
        ...format(agreed),
        address: call.local.address,
        port: call.local.port,
      });
    }
    if (now.output && !call.outputStarted) {
      call.outputStarted = true;
      this.#emit(providerId, 'CiscoRTPOutputStartedEv', {
        ...fields,
        ...format(agreed),
        remoteAddress: agreed.remote.address,
        remotePort: agreed.remote.port,
      });
    }
  }

  /**
   * A registration ends (unregistered, or the application went): a standby takes a route point over
   * and is handed the route sessions waiting there; with none left the device goes out of service
   * and its calls not yet connected follow forward on CTI failure.
   */
  #drop(registration: Registration, reason: string): void {
    const { wasActive } = this.#registrations.unregister(registration);
    for (const dn of registration.callbacks.keys()) {
      if (this.#events?.provider(registration.providerId) !== undefined)
        this.#emit(registration.providerId, 'RouteCallbackEndedEv', { routeAddress: dn, reason });
    }
    if (!wasActive) return;
    const next = this.#registrations.active(registration.device);
    if (next !== undefined) {
      this.#options.logger.info(
        { device: registration.device, from: registration.providerId, to: next.providerId },
        'a standby application took the route point over',
      );
      for (const dn of next.callbacks.keys())
        this.#emit(next.providerId, 'RouteCallbackActivatedEv', { routeAddress: dn, terminal: registration.device });
      for (const session of [...this.#sessions.values()]) {
        const call = this.#calls.get(session.leg);
        if (call?.device !== registration.device) continue;
        const timeoutMs = next.callbacks.get(session.routeAddress);
        if (timeoutMs === undefined) continue;
        session.providerId = next.providerId;
        this.#raiseRouteEvent(session, call, timeoutMs);
      }
      return;
    }
    for (const session of [...this.#sessions.values()]) {
      if (this.#calls.get(session.leg)?.device === registration.device) this.#closeSession(session);
    }
    const engine = this.#requireEngine();
    engine.deviceServiceChanged(registration.device);
    engine.applicationFailed(registration.device);
  }

  #serviceMayHaveChanged(device: string): void {
    this.#engine?.deviceServiceChanged(device);
  }

  /** The CTI device a provider names: in its domain, not restricted, and a route point or port. */
  #ctiTypeOf(provider: CtiProvider, name: string): CtiDeviceType {
    assertTerminal(provider.view, name);
    const type = provider.view.terminals.get(name)?.type;
    if (type !== 'cti-port' && type !== 'cti-route-point') {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `${name} is a ${type ?? 'device'}; only CTI ports and CTI route points are registered by applications`,
      );
    }
    return type;
  }

  /** The route point whose line `dn` is, checked against the provider's domain. */
  #routePointOf(provider: CtiProvider, dn: string): string {
    assertAddress(provider.view, dn);
    const terminals = provider.view.addresses.get(dn)?.terminals ?? [];
    const routePoint = terminals.find((t) => provider.view.terminals.get(t.terminal)?.type === 'cti-route-point');
    if (routePoint === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `${dn} is not a line of a CTI route point in this provider's domain; route callbacks are for route points`,
      );
    }
    assertControllable(provider.view, routePoint.terminal, dn);
    return routePoint.terminal;
  }

  #emit(providerId: string, type: EventType, fields: object): void {
    this.#events?.emit(providerId, type, fields);
  }

  #requireEngine(): CtiDeviceEngine {
    if (this.#engine === undefined) throw new Error('CTI devices used before the engine was attached');
    return this.#engine;
  }
}

/** What each device takes: a port terminates media (static or dynamic); a route point routes, with or without it. */
function validateMedia(type: CtiDeviceType, name: string, media: RegistrationMedia): void {
  if (type === 'cti-port' && media.kind === 'none') {
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `CTI port ${name} terminates media: register it with static media (address and port) or dynamic media`,
    );
  }
  if (type === 'cti-route-point' && media.kind === 'static') {
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `route point ${name} holds many calls at once, so it cannot have one fixed RTP address: register it with media "none" or "dynamic"`,
    );
  }
}

/** An RTP address an application gives goes into the SDP callers see: it must be an IP address. */
function assertRtpAddress(address: string): void {
  if (isIP(address) === 0) {
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `${JSON.stringify(address)} is not an IP address; give the IPv4 or IPv6 address where the application receives RTP`,
    );
  }
}
