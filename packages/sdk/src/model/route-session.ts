import type { WireEvent } from '../wire.js';
import type { Address } from './address.js';
import type { Call } from './call.js';
import type { ControlOptions, ProviderHost } from './host.js';

export type RouteEvent = Extract<WireEvent, { type: 'RouteEv' }>;
export type ReRouteEvent = Extract<WireEvent, { type: 'ReRouteEv' }>;
export type RouteUsedEvent = Extract<WireEvent, { type: 'RouteUsedEv' }>;
export type RouteEndEvent = Extract<WireEvent, { type: 'RouteEndEv' }>;
export type RouteCallbackEndedEvent = Extract<WireEvent, { type: 'RouteCallbackEndedEv' }>;
export type RouteCallbackActivatedEvent = Extract<WireEvent, { type: 'RouteCallbackActivatedEv' }>;

/** JTAPI RouteSession's states. */
export type RouteSessionState = 'ROUTE' | 'RE_ROUTE' | 'ROUTE_USED' | 'ROUTE_END';

/**
 * JTAPI's RouteCallback: what an application that routes the calls of a route point's address is
 * told. Only `routeEvent` is required; it must select a route or end the session within the
 * route-select timeout, or the line's forward no answer applies.
 */
export interface RouteCallback {
  routeEvent(session: RouteSession): void | Promise<void>;
  reRouteEvent?(session: RouteSession, event: ReRouteEvent): void | Promise<void>;
  routeUsedEvent?(session: RouteSession, event: RouteUsedEvent): void | Promise<void>;
  routeEndEvent?(session: RouteSession, event: RouteEndEvent): void | Promise<void>;
  /** The callback ended: cancelled, the route point unregistered, or the application's connection lost. */
  routeCallbackEndedEvent?(event: RouteCallbackEndedEvent): void | Promise<void>;
  /** This instance, standing by, now routes the address: the active one went away. */
  routeCallbackActivatedEvent?(event: RouteCallbackActivatedEvent): void | Promise<void>;
}

export interface RouteSessionInternals {
  create(host: ProviderHost, event: RouteEvent): RouteSession;
  setState(session: RouteSession, state: RouteSessionState, cause: number): void;
}
export let routeSessionInternals: RouteSessionInternals;

/**
 * JTAPI's RouteSession: one call offered at a route point's address, while the application decides
 * where it goes. The caller hears ringback meanwhile.
 */
export class RouteSession {
  readonly id: string;
  readonly callId: string;
  /** The number the caller reached here from (RouteEvent.getCallingAddress()). */
  readonly callingAddress: string;
  readonly callingName: string | undefined;
  /** The calling device, when it is one of this server's phones. */
  readonly callingTerminal: string | undefined;
  /** The number the caller dialled. */
  readonly calledAddress: string;
  /** The number first called, before forwarding: the mailbox owner when a line forwarded to voicemail. */
  readonly originalCalledAddress: string;
  readonly lastRedirectedAddress: string | undefined;
  /** Why the call was last sent on (forward-busy, forward-no-answer, redirect, …). */
  readonly redirectReason: string | undefined;
  readonly #routeAddress: string;
  readonly #host: ProviderHost;
  #state: RouteSessionState = 'ROUTE';
  #cause = 100;

  private constructor(host: ProviderHost, event: RouteEvent) {
    this.#host = host;
    this.id = event.sessionId;
    this.callId = event.callId;
    this.#routeAddress = event.routeAddress;
    this.callingAddress = event.callingAddress;
    this.callingName = event.callingName ?? undefined;
    this.callingTerminal = event.callingTerminal ?? undefined;
    this.calledAddress = event.calledAddress;
    this.originalCalledAddress = event.originalCalledAddress;
    this.lastRedirectedAddress = event.lastRedirectedAddress ?? undefined;
    this.redirectReason = event.redirectReason ?? undefined;
  }

  static {
    routeSessionInternals = {
      create: (host, event) => new RouteSession(host, event),
      setState(session, state, cause) {
        session.#state = state;
        session.#cause = cause;
      },
    };
  }

  /** The route point's address the call is at (RouteSession.getRouteAddress()). */
  get routeAddress(): Address {
    return this.#host.address(this.#routeAddress);
  }

  /** The call, when an observer of this provider reports it. */
  get call(): Call | undefined {
    for (const call of this.#host.liveCalls) if (call.callId === this.callId) return call;
    return undefined;
  }

  get state(): RouteSessionState {
    return this.#state;
  }

  /** RouteSession.getCause(): 100 no error, 101 routing timer expired, 103 invalid destination, … */
  get cause(): number {
    return this.#cause;
  }

  /**
   * RouteSession.selectRoute: the call goes to the first destination that takes it; each one that
   * cannot is reported as a reRouteEvent. Resolves with the route used; rejects when none took the
   * call (the session stays open: select again, or end it).
   */
  async selectRoute(
    routes: readonly string[],
    options: ControlOptions & { callingNumber?: string } = {},
  ): Promise<{ routeUsed: string; index: number }> {
    const { signal, callingNumber } = options;
    return this.#host.request(
      'routeSession.selectRoute',
      { sessionId: this.id, routes: [...routes], ...(callingNumber === undefined ? {} : { callingNumber }) },
      { signal },
    );
  }

  /**
   * RouteSession.endRoute: no route; the call keeps ringing at the route point until the application
   * redirects it (connection.redirect) or the line's forward no answer applies.
   */
  async endRoute(error?: number, options: ControlOptions = {}): Promise<void> {
    await this.#host.request(
      'routeSession.endRoute',
      { sessionId: this.id, ...(error === undefined ? {} : { error }) },
      options,
    );
  }
}
