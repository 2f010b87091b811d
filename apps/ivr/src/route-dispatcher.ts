import type { Clock, Logger, TimerHandle } from '@strowger/core';
import type { IvrCall, IvrPlatform, IvrPort, RedirectReason, RouteRequest } from './platform.js';
import { PortPool } from './port-pool.js';

/**
 * What the route request said about a call, kept for when the call reaches a port. On the port the
 * call's `called` is the port's own DN, so the pilot the caller dialled (which application serves
 * them) and the line they first called (whose mailbox a forwarded caller reaches) are known only
 * from here.
 */
export interface CallContext {
  /** The route point the call waited at; absent for a call that reached a port directly (a hunt pilot). */
  readonly routePoint?: string;
  readonly calling: string;
  /** The pilot the caller reached. */
  readonly called: string;
  readonly originalCalled?: string;
  readonly lastRedirected?: string;
  readonly reason?: RedirectReason;
}

export interface QueueStatus {
  /** Calls waiting at the route points for a port. */
  readonly waiting: number;
  /** How long the oldest of them has waited, in seconds (0 when none waits). */
  readonly oldestWaitSeconds: number;
  readonly portsInService: number;
  readonly portsFree: number;
  /** Ports held for a call routed to them that has not arrived yet. */
  readonly portsHeld: number;
  readonly portsBusy: number;
}

export type CallHandler = (call: IvrCall, context: CallContext, port: IvrPort) => Promise<void>;

interface Waiting {
  readonly request: RouteRequest;
  readonly since: number;
  /** Ports tried for it whose route select failed. */
  failures: number;
  /** The server ended the request (route timeout, hang-up, routed). */
  ended: boolean;
}

interface Held {
  readonly request: RouteRequest;
  readonly port: IvrPort;
  readonly timer: TimerHandle;
}

export interface RouteDispatcherOptions {
  readonly platform: IvrPlatform;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Seconds a port stays held for a routed call before it is given to the next one. */
  readonly arrivalSeconds: number;
  /** How often the queue is logged while calls wait. */
  readonly logSeconds: number;
  readonly onCall: CallHandler;
}

/**
 * Sends each call waiting at a route point to a free CTI port, and keeps the others waiting in the
 * order they came (they hear ringback at the route point) until a port frees. A waiting call the
 * server ends (its route timeout forwarded it, or the caller hung up) leaves the queue. The context
 * of each routed call is kept by call id until the call reaches its port (and by port, for an
 * adapter that gives the call on the port another id).
 */
export class RouteDispatcher {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #pool: PortPool;
  readonly #arrivalMs: number;
  readonly #logMs: number;
  readonly #onCall: CallHandler;
  readonly #queue: Waiting[] = [];
  readonly #held = new Map<string, Held>();
  readonly #contexts = new Map<string, CallContext>();
  #logTimer: TimerHandle | undefined;
  #stopped = false;

  constructor(options: RouteDispatcherOptions) {
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#arrivalMs = options.arrivalSeconds * 1000;
    this.#logMs = options.logSeconds * 1000;
    this.#onCall = options.onCall;
    this.#pool = new PortPool(options.platform.ports, this.#clock.now());
    options.platform.onRouteRequest((request) => this.#routeRequest(request));
    for (const port of options.platform.ports) {
      port.onCall((call) => this.#portCall(port, call));
      port.onServiceChange((inService) => {
        this.#logger.info({ port: port.name, inService }, `port ${port.name} ${inService ? 'in' : 'out of'} service`);
        if (inService) this.#drain();
      });
    }
  }

  status(): QueueStatus {
    const counts = this.#pool.counts();
    const oldest = this.#queue[0];
    return {
      waiting: this.#queue.length,
      oldestWaitSeconds: oldest === undefined ? 0 : (this.#clock.now() - oldest.since) / 1000,
      portsInService: counts.inService,
      portsFree: counts.free,
      portsHeld: counts.held,
      portsBusy: counts.busy,
    };
  }

  /** Stops taking calls: every waiting request is ended (the route points' forwarding takes them). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#logTimer?.cancel();
    for (const held of this.#held.values()) held.timer.cancel();
    const waiting = this.#queue.splice(0);
    await Promise.allSettled(waiting.map(({ request }) => request.endRoute()));
  }

  #routeRequest(request: RouteRequest): void {
    if (this.#stopped) {
      this.#endRoute(request);
      return;
    }
    const waiting: Waiting = { request, since: this.#clock.now(), failures: 0, ended: false };
    this.#queue.push(waiting);
    request.ended.then(
      () => this.#requestEnded(waiting),
      () => this.#requestEnded(waiting),
    );
    this.#drain();
    if (this.#queue.includes(waiting)) {
      this.#logger.info({ callId: request.callId, ...this.status() }, 'call waits at the route point for a free port');
      this.#scheduleLog();
    }
  }

  /** A waiting request the server ended (route timeout, hang-up) is dropped; a routed one is done. */
  #requestEnded(waiting: Waiting): void {
    waiting.ended = true;
    const at = this.#queue.indexOf(waiting);
    if (at < 0) return;
    this.#queue.splice(at, 1);
    this.#logger.info(
      { callId: waiting.request.callId, waitedSeconds: (this.#clock.now() - waiting.since) / 1000, ...this.status() },
      'a waiting call left the queue before a port freed (route timeout or hang-up)',
    );
  }

  /** Gives free ports to waiting calls, oldest first. */
  #drain(): void {
    while (!this.#stopped && this.#queue.length > 0) {
      const port = this.#pool.nextFree();
      if (port === undefined) return;
      const waiting = this.#queue.shift() as Waiting;
      this.#send(waiting, port);
    }
  }

  #send(waiting: Waiting, port: IvrPort): void {
    const { request } = waiting;
    this.#pool.hold(port, request.callId);
    this.#contexts.set(request.callId, {
      routePoint: request.routePoint,
      calling: request.calling,
      called: request.called,
      ...(request.originalCalled === undefined ? {} : { originalCalled: request.originalCalled }),
      ...(request.lastRedirected === undefined ? {} : { lastRedirected: request.lastRedirected }),
      ...(request.reason === undefined ? {} : { reason: request.reason }),
    });
    // A call routed to the port that never arrives (the caller hung up on the way) frees the port.
    const timer = this.#clock.setTimer(this.#arrivalMs, () => {
      if (this.#held.get(port.name)?.request !== request) return;
      this.#logger.warn(
        { callId: request.callId, port: port.name },
        'a routed call never reached its port; port freed',
      );
      this.#unhold(port);
      this.#contexts.delete(request.callId);
      this.#drain();
    });
    this.#held.set(port.name, { request, port, timer });
    this.#logger.info({ callId: request.callId, port: port.name, dn: port.dn }, 'call routed to a port');
    request.selectRoute([port.dn]).catch((error: unknown) => {
      if (this.#held.get(port.name)?.request !== request) return;
      this.#logger.warn({ err: error, callId: request.callId, port: port.name }, 'route select to a port failed');
      this.#unhold(port);
      this.#contexts.delete(request.callId);
      waiting.failures += 1;
      // Another port may take it; after every port failed once, the request is given up to forwarding.
      // A request the server ended meanwhile (the caller hung up) is simply dropped.
      if (waiting.ended) return this.#drain();
      if (waiting.failures < this.#pool.ports.length) this.#queue.unshift(waiting);
      else this.#endRoute(request);
      this.#drain();
    });
  }

  #unhold(port: IvrPort): void {
    this.#held.get(port.name)?.timer.cancel();
    this.#held.delete(port.name);
    this.#pool.release(port, this.#clock.now());
  }

  #portCall(port: IvrPort, call: IvrCall): void {
    const held = this.#held.get(port.name);
    held?.timer.cancel();
    this.#held.delete(port.name);
    this.#pool.occupy(port, call.id);
    const contextId = this.#contexts.has(call.id) ? call.id : held?.request.callId;
    const context: CallContext = (contextId === undefined ? undefined : this.#contexts.get(contextId)) ?? {
      calling: call.calling,
      called: call.called,
      ...(call.originalCalled === undefined ? {} : { originalCalled: call.originalCalled }),
      ...(call.redirectReason === undefined ? {} : { reason: call.redirectReason }),
    };
    if (contextId !== undefined) this.#contexts.delete(contextId);
    this.#logger.info({ callId: call.id, port: port.name, called: context.called }, 'call arrived on a port');
    const served = this.#onCall(call, context, port).catch((error: unknown) => {
      this.#logger.error({ err: error, callId: call.id, port: port.name }, 'the call flow failed');
    });
    Promise.all([served, call.ended.catch(() => undefined)]).then(
      () => {
        this.#pool.release(port, this.#clock.now());
        this.#logger.info({ callId: call.id, port: port.name, ...this.status() }, 'port free');
        this.#drain();
      },
      () => undefined,
    );
  }

  #endRoute(request: RouteRequest): void {
    request.endRoute().catch((error: unknown) => {
      this.#logger.warn({ err: error, callId: request.callId }, 'end route failed');
    });
  }

  /** Logs the queue every `logSeconds` while anyone waits. */
  #scheduleLog(): void {
    if (this.#logTimer !== undefined) return;
    this.#logTimer = this.#clock.setTimer(this.#logMs, () => {
      this.#logTimer = undefined;
      if (this.#queue.length === 0 || this.#stopped) return;
      this.#logger.info(this.status(), 'calls waiting for a port');
      this.#scheduleLog();
    });
  }
}
