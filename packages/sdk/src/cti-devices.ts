import type { Logger } from '@strowger/core';
import type { ControlOptions, ProviderHost } from './model/host.js';
import { routeSessionInternals, type RouteCallback, type RouteSession } from './model/route-session.js';
import type { MethodResult, RegistrationMediaInfo, WireEvent } from './wire.js';

/** Events about route sessions and CTI device media: they go to the registering application, not to observers. */
export const deviceEventTypes = new Set<WireEvent['type']>([
  'RouteEv',
  'ReRouteEv',
  'RouteUsedEv',
  'RouteEndEv',
  'RouteCallbackEndedEv',
  'RouteCallbackActivatedEv',
  'CiscoMediaOpenLogicalChannelEv',
  'CiscoRTPInputStartedEv',
  'CiscoRTPOutputStartedEv',
  'CiscoRTPInputStoppedEv',
  'CiscoRTPOutputStoppedEv',
]);

interface CallbackEntry {
  readonly callback: RouteCallback;
  readonly routeSelectTimeoutMs: number | undefined;
}

/**
 * The application's CTI route points and ports: what it registered (so that a reconnect registers
 * them again — the server gives a lost application's devices up at once), its route callbacks, and
 * the route sessions open at them.
 */
export class CtiDeviceRegistry {
  readonly #host: ProviderHost;
  readonly #logger: Logger;
  readonly #devices = new Map<string, RegistrationMediaInfo>();
  readonly #callbacks = new Map<string, CallbackEntry>();
  readonly #sessions = new Map<string, RouteSession>();

  constructor(host: ProviderHost, logger: Logger) {
    this.#host = host;
    this.#logger = logger;
  }

  async register(
    name: string,
    media: RegistrationMediaInfo,
    options: ControlOptions,
  ): Promise<MethodResult<'terminal.register'>> {
    const result = await this.#host.request('terminal.register', { name, media }, options);
    this.#devices.set(name, media);
    return result;
  }

  async unregister(name: string, options: ControlOptions): Promise<void> {
    this.#devices.delete(name);
    await this.#host.request('terminal.unregister', { name }, options);
  }

  async registerRouteCallback(
    address: string,
    callback: RouteCallback,
    options: ControlOptions & { routeSelectTimeoutMs?: number },
  ): Promise<MethodResult<'address.registerRouteCallback'>> {
    const { routeSelectTimeoutMs, signal } = options;
    const result = await this.#host.request(
      'address.registerRouteCallback',
      { address, ...(routeSelectTimeoutMs === undefined ? {} : { routeSelectTimeoutMs }) },
      { signal },
    );
    this.#callbacks.set(address, { callback, routeSelectTimeoutMs });
    return result;
  }

  async cancelRouteCallback(address: string, options: ControlOptions): Promise<void> {
    this.#callbacks.delete(address);
    await this.#host.request('address.cancelRouteCallback', { address }, options);
  }

  /** The route sessions open now at an address's route point. */
  sessionsAt(address: string): RouteSession[] {
    return [...this.#sessions.values()].filter((session) => session.routeAddress.name === address);
  }

  /** After a reconnect: every device and callback registered again, in the order they were. */
  async restore(isCurrent: () => boolean): Promise<void> {
    this.#sessions.clear();
    for (const [name, media] of this.#devices) {
      if (!isCurrent()) return;
      await this.#again(`terminal ${name}`, () => this.#host.request('terminal.register', { name, media }, {}));
    }
    for (const [address, entry] of this.#callbacks) {
      if (!isCurrent()) return;
      const timeout = entry.routeSelectTimeoutMs;
      await this.#again(`route callback on ${address}`, () =>
        this.#host.request(
          'address.registerRouteCallback',
          { address, ...(timeout === undefined ? {} : { routeSelectTimeoutMs: timeout }) },
          {},
        ),
      );
    }
  }

  /** Hands a route session event to the application's callback; returns the promise it returned. */
  dispatch(event: WireEvent): void | Promise<void> {
    switch (event.type) {
      case 'RouteEv': {
        const session = routeSessionInternals.create(this.#host, event);
        this.#sessions.set(session.id, session);
        return this.#callbacks.get(event.routeAddress)?.callback.routeEvent(session);
      }
      case 'ReRouteEv':
      case 'RouteUsedEv':
      case 'RouteEndEv': {
        const session = this.#sessions.get(event.sessionId);
        if (session === undefined) return undefined;
        const callback = this.#callbacks.get(event.routeAddress)?.callback;
        if (event.type === 'ReRouteEv') {
          routeSessionInternals.setState(session, 'RE_ROUTE', event.cause);
          return callback?.reRouteEvent?.(session, event);
        }
        if (event.type === 'RouteUsedEv') {
          routeSessionInternals.setState(session, 'ROUTE_USED', 100);
          return callback?.routeUsedEvent?.(session, event);
        }
        routeSessionInternals.setState(session, 'ROUTE_END', event.cause);
        this.#sessions.delete(session.id);
        return callback?.routeEndEvent?.(session, event);
      }
      case 'RouteCallbackEndedEv':
        return this.#callbacks.get(event.routeAddress)?.callback.routeCallbackEndedEvent?.(event);
      case 'RouteCallbackActivatedEv':
        return this.#callbacks.get(event.routeAddress)?.callback.routeCallbackActivatedEvent?.(event);
      default:
        return undefined;
    }
  }

  async #again(what: string, register: () => Promise<unknown>): Promise<void> {
    try {
      await register();
    } catch (err) {
      this.#logger.warn({ err }, `${what} could not be registered again after the reconnect`);
    }
  }
}
