import { CtiDeviceRegistry, deviceEventTypes } from './cti-devices.js';
import { TypedEmitter, type Logger } from '@strowger/core';
import type { Clock } from '@strowger/core';
import { DispatchQueue } from './dispatch-queue.js';
import {
  AccountLockedError,
  AuthenticationFailedError,
  ConnectionLostError,
  CtiError,
  InternalError,
  InvalidArgumentError,
  InvalidStateError,
  LoginNotAllowedError,
  ProviderNotOpenError,
  RequestTimeoutError,
} from './errors.js';
import { EventStream } from './event-stream.js';
import type { CallEvent, CtiEvent, ProviderEvent, ResyncEvent } from './events.js';
import { firstServerThatAnswers, type Backoff } from './fail-over.js';
import type { Address } from './model/address.js';
import type { Call } from './model/call.js';
import { Domain } from './model/domain.js';
import type { CallListener, ObjectListener, ObserveOptions, ProviderHost } from './model/host.js';
import type { Terminal } from './model/terminal.js';
import { ObserverRegistry, type Registration } from './observer-registry.js';
import { CtiSession, type RequestOptions } from './session.js';
import type { WebSocketConstructor } from './transport.js';
import type {
  Capabilities,
  Excluded,
  MethodName,
  MethodParams,
  MethodResult,
  ObserverTarget,
  ProviderOpened,
  ProviderSnapshot,
  ProviderState,
  PushFrame,
  WireEvent,
} from './wire.js';
import { applySnapshotCalls } from './snapshot.js';

/** What a provider tells the application besides observer events (`provider.on(name, listener)`). */
export type ProviderEvents = {
  /** Every event the provider receives, in order: call events of every observer and provider events. */
  event: CtiEvent;
  /** Provider, terminal and address events (in/out of service, created, removed, restricted…). */
  providerEvent: ProviderEvent;
  /** The model was rebuilt from a snapshot (slow consumer, gap, or a re-open that could not resume). */
  resync: ResyncEvent;
  /** The connection to `server` was lost; the provider is OUT_OF_SERVICE and reconnecting. */
  connectionLost: { readonly server: string; readonly error: CtiError };
  /** Reconnected to `server`; `resumed` tells whether every missed event will follow (else: resync). */
  connectionRestored: { readonly server: string; readonly resumed: boolean };
  /** An observer could not be added again after a re-open (the device left the domain, say). */
  observerLost: { readonly target: ObserverTarget; readonly error: CtiError };
  /** The provider is SHUTDOWN: by provider.shutdown() (no error) or because it cannot reconnect. */
  shutdown: { readonly error: CtiError | undefined };
};

export interface ProviderSettings {
  readonly servers: readonly string[];
  readonly user: string;
  readonly password: string;
  readonly appInfo: string | undefined;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly keepAliveSeconds: number;
  readonly backoff: Backoff;
  readonly openRounds: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly webSocket: WebSocketConstructor | undefined;
}

/** Errors that another server, or another try, would answer the same way. */
function isFinal(error: unknown): boolean {
  return (
    error instanceof AuthenticationFailedError ||
    error instanceof LoginNotAllowedError ||
    error instanceof AccountLockedError ||
    error instanceof InvalidArgumentError ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

/** Errors of the connection rather than of the request: the request is retried after reconnecting. */
function isConnectionError(error: unknown): boolean {
  return error instanceof ConnectionLostError || error instanceof RequestTimeoutError;
}

let providerCreate: (settings: ProviderSettings) => Provider;
let providerOpen: (provider: Provider, signal: AbortSignal | undefined) => Promise<void>;
export function createProvider(settings: ProviderSettings): Provider {
  return providerCreate(settings);
}
export function openCreatedProvider(provider: Provider, signal: AbortSignal | undefined): Promise<void> {
  return providerOpen(provider, signal);
}

/**
 * JTAPI's Provider: the application's view of the call manager for one user. It lists the user's
 * terminals and addresses, reports calls through observers, and keeps itself connected: when the
 * connection is lost it moves to OUT_OF_SERVICE, reconnects to the next server of the list, resumes
 * (every missed event follows, none twice) or, when the server cannot resume, opens anew, adds the
 * application's observers again and says so with a `resync` event.
 */
export class Provider {
  readonly #settings: ProviderSettings;
  readonly #emitter: TypedEmitter<ProviderEvents>;
  readonly #queue: DispatchQueue;
  readonly #domain: Domain;
  readonly #observers = new ObserverRegistry();
  readonly #streams = new Set<EventStream<CtiEvent>>();
  readonly #acquired = new Set<string>();
  readonly #devices: CtiDeviceRegistry;
  readonly #stop = new AbortController();
  #session: CtiSession | undefined;
  #serverIndex = 0;
  #providerId: string | undefined;
  #lastSeq = 0;
  #user: ProviderOpened['user'] | undefined;
  #capabilities: Capabilities | undefined;
  #excluded: Excluded[] = [];
  #shutdown = false;

  private constructor(settings: ProviderSettings) {
    this.#settings = settings;
    this.#emitter = new TypedEmitter<ProviderEvents>(settings.logger);
    this.#queue = new DispatchQueue(settings.logger);
    const host: ProviderHost = {
      addObserver: (target, callEvents, listener, options) => this.#addObserver(target, callEvents, listener, options),
      removeObserver: (target, listener) => this.#removeObserver(target, listener),
      address: (name) => this.#domain.address(name),
      terminal: (name) => this.#domain.terminal(name),
      get liveCalls() {
        return domain.calls;
      },
      request: (method, params, options) =>
        this.#request(method, { ...params, providerId: this.providerId } as never, { signal: options.signal }),
      adoptCall: (call) => domain.adoptCall(call),
      registerDevice: (name, media, options) => this.#devices.register(name, media, options),
      unregisterDevice: (name, options) => this.#devices.unregister(name, options),
      registerRouteCallback: (address, callback, options) =>
        this.#devices.registerRouteCallback(address, callback, options),
      cancelRouteCallback: (address, options) => this.#devices.cancelRouteCallback(address, options),
      routeSessionsAt: (address) => this.#devices.sessionsAt(address),
    };
    this.#devices = new CtiDeviceRegistry(host, settings.logger);
    const domain = new Domain(host);
    this.#domain = domain;
  }

  static {
    providerCreate = (settings) => new Provider(settings);
    providerOpen = (provider, signal) => provider.#openFirst(signal);
  }

  /** IN_SERVICE, OUT_OF_SERVICE (reconnecting) or SHUTDOWN. */
  get state(): ProviderState {
    return this.#domain.state;
  }

  /** The server's id of this provider; it changes when a re-open could not resume. */
  get providerId(): string {
    return this.#providerId ?? '';
  }

  /** The sequence number of the last event applied. */
  get seq(): number {
    return this.#lastSeq;
  }

  /** Who the provider is opened for: the user id and whether an end user or an application user. */
  get user(): ProviderOpened['user'] {
    if (this.#user === undefined) throw new InvalidStateError('The provider is not open yet.');
    return this.#user;
  }

  /** What the user's roles allow (CiscoProviderCapabilities). */
  get capabilities(): Capabilities {
    if (this.#capabilities === undefined) throw new InvalidStateError('The provider is not open yet.');
    return this.#capabilities;
  }

  /** The configured devices and lines that are not in the domain, each with the reason why. */
  get excluded(): readonly Excluded[] {
    return this.#excluded;
  }

  /** The URL of the server the provider is connected (or last connected) to. */
  get server(): string {
    return this.#settings.servers[this.#serverIndex] ?? '';
  }

  /** The devices of the domain: the user's controlled devices and those acquired with createTerminal. */
  get terminals(): Terminal[] {
    return this.#domain.terminals;
  }

  /** The lines of the domain's devices. */
  get addresses(): Address[] {
    return this.#domain.addresses;
  }

  /** The calls the provider's observers currently report. */
  get calls(): Call[] {
    return [...this.#domain.calls];
  }

  /** A terminal of the domain; InvalidArgumentError (saying why, when the server said) otherwise. */
  getTerminal(name: string): Terminal {
    const terminal = this.#domain.findTerminal(name);
    if (terminal !== undefined) return terminal;
    throw this.#notInDomain('terminal', name);
  }

  /** An address (directory number) of the domain; InvalidArgumentError otherwise. */
  getAddress(dn: string): Address {
    const address = this.#domain.findAddress(dn);
    if (address !== undefined) return address;
    throw this.#notInDomain('address', dn);
  }

  getCall(callId: string): Call | undefined {
    return this.#domain.findCall(callId);
  }

  /**
   * JTAPI Provider.createCall: a new IDLE call to `connect` (or `consult` from). Its id is chosen
   * here, so the events of the call, which may come before `connect` resolves, already name it.
   */
  createCall(): Call {
    if (this.state !== 'IN_SERVICE')
      throw new InvalidStateError(`The provider is ${this.state}; calls need it IN_SERVICE.`);
    return this.#domain.createCall();
  }

  /**
   * Acquires a device outside the domain (JTAPI CiscoProvider.createTerminal; needs the role
   * "Standard CTI Allow Control of All Devices"). It is acquired again after a re-open.
   */
  async createTerminal(name: string, options: { signal?: AbortSignal } = {}): Promise<Terminal> {
    const info = await this.#request('provider.createTerminal', { providerId: this.providerId, name }, options);
    this.#acquired.add(name);
    return this.#domain.putTerminal({ ...info, acquired: true });
  }

  /**
   * Releases a device acquired with createTerminal (JTAPI CiscoProvider.deleteTerminal); its
   * observers end and CiscoTermRemovedEv follows.
   */
  async deleteTerminal(terminal: Terminal | string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const name = typeof terminal === 'string' ? terminal : terminal.name;
    await this.#request('provider.deleteTerminal', { providerId: this.providerId, name }, options);
    this.#acquired.delete(name);
  }

  on<K extends keyof ProviderEvents>(event: K, listener: (payload: ProviderEvents[K]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  once<K extends keyof ProviderEvents>(event: K, listener: (payload: ProviderEvents[K]) => void): () => void {
    return this.#emitter.once(event, listener);
  }

  off<K extends keyof ProviderEvents>(event: K, listener: (payload: ProviderEvents[K]) => void): void {
    this.#emitter.off(event, listener);
  }

  /** Every event, as an async iterator; it ends when the provider shuts down or `signal` aborts. */
  events(options: { signal?: AbortSignal } = {}): AsyncIterableIterator<CtiEvent> {
    const stream: EventStream<CtiEvent> = new EventStream<CtiEvent>(() => this.#streams.delete(stream), options.signal);
    if (this.#shutdown) stream.end();
    else this.#streams.add(stream);
    return stream;
  }

  /**
   * Closes the provider (JTAPI shutdown): the server ends its observers and sends ProvShutdownEv, the
   * connection closes and reconnecting stops. Calling it twice is harmless.
   */
  async shutdown(): Promise<void> {
    if (this.#shutdown) return;
    this.#stop.abort(new InvalidStateError('The provider was shut down.'));
    const session = this.#session;
    if (session !== undefined && this.#providerId !== undefined) {
      try {
        await session.request('provider.shutdown', { providerId: this.#providerId });
      } catch (err) {
        // The provider ends either way; the server drops it with the session.
        this.#settings.logger.debug({ err }, 'provider.shutdown was not answered; closing the connection anyway');
      }
    }
    this.#finish(undefined);
  }

  // ---- connection --------------------------------------------------------------------------------

  async #openFirst(signal: AbortSignal | undefined): Promise<void> {
    const stop = signal === undefined ? this.#stop.signal : AbortSignal.any([signal, this.#stop.signal]);
    const { value, index } = await firstServerThatAnswers(
      this.#settings.servers,
      0,
      (server, i) => this.#connect(server, i, stop),
      this.#failOverOptions(this.#settings.openRounds, stop),
    );
    if (value.state !== 'IN_SERVICE') await this.#inService(stop);
    this.#settings.logger.info({ server: this.#settings.servers[index] }, 'CTI provider open');
  }

  #failOverOptions(rounds: number, signal: AbortSignal) {
    return {
      clock: this.#settings.clock,
      backoff: this.#settings.backoff,
      rounds,
      signal,
      isFinal,
      onAttemptFailed: (server: string, err: unknown) =>
        this.#settings.logger.warn({ server, err }, 'CTI server did not open the provider; trying the next'),
    };
  }

  /** Waits for ProvInServiceEv (a provider may open OUT_OF_SERVICE and come into service later). */
  #inService(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      // ProvInServiceEv may already have been applied, if it came in the same read as the response.
      if (this.#domain.state === 'IN_SERVICE') {
        resolve();
        return;
      }
      const off = this.#emitter.on('providerEvent', (event) => {
        if (event.type !== 'ProvInServiceEv') return;
        off();
        resolve();
      });
      signal.addEventListener(
        'abort',
        () => {
          off();
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Connects to one server and opens (or resumes) the provider there. */
  async #connect(server: string, index: number, signal: AbortSignal): Promise<ProviderOpened> {
    const s = this.#settings;
    // The callbacks may run before connect() returns (a close during the hello): they then find no
    // session yet, and ignore what they are told.
    const current: { session?: CtiSession } = {};
    const session = await CtiSession.connect(
      {
        url: server,
        clock: s.clock,
        logger: s.logger,
        requestTimeoutMs: s.requestTimeoutMs,
        connectTimeoutMs: s.connectTimeoutMs,
        keepAliveSeconds: s.keepAliveSeconds,
        client: s.appInfo ?? 'strowger-sdk',
        webSocket: s.webSocket,
        onPush: (frame) => {
          if (current.session !== undefined && current.session === this.#session) this.#onPush(frame);
        },
        onLost: (error) => {
          if (current.session !== undefined && current.session === this.#session) this.#onLost(error);
        },
      },
      signal,
    );
    current.session = session;
    const resume =
      this.#providerId === undefined ? undefined : { providerId: this.#providerId, afterSeq: this.#lastSeq };
    try {
      return await session.request(
        'provider.open',
        {
          user: s.user,
          password: s.password,
          ...(s.appInfo === undefined ? {} : { appInfo: s.appInfo }),
          ...(resume === undefined ? {} : { resume }),
        },
        { signal, onResult: (result) => this.#adopt(session, index, result) },
      );
    } catch (err) {
      if (this.#session === session) this.#session = undefined;
      session.close();
      throw err;
    }
  }

  /**
   * Takes over a session whose provider.open just answered. Runs as the response is read, so the
   * events that follow it (the missed ones after a resume) find the provider already in place.
   */
  #adopt(session: CtiSession, index: number, result: ProviderOpened): void {
    if (this.#shutdown) {
      session.close();
      return;
    }
    this.#session = session;
    this.#serverIndex = index;
    const server = session.url;
    const reconnect = this.#providerId !== undefined;
    const resumed = reconnect && result.resumed && result.providerId === this.#providerId;
    this.#queue.enqueue(() => {
      this.#user = result.user;
      this.#capabilities = result.capabilities;
      this.#excluded = result.excluded;
      if (resumed) {
        // The events since afterSeq follow in order; the model and the observers stay as they are.
        this.#domain.state = result.state;
        this.#emitter.emit('connectionRestored', { server, resumed: true });
        return;
      }
      this.#providerId = result.providerId;
      this.#lastSeq = result.seq;
      this.#domain.setDomain(result.terminals, result.addresses);
      this.#domain.clearCalls();
      this.#domain.state = result.state;
      this.#observers.unbindAll();
      if (reconnect) {
        this.#emitter.emit('connectionRestored', { server, resumed: false });
        this.#emitter.emit('resync', { reason: 'reopened', dropped: undefined, seq: result.seq });
      }
    });
    if (resumed) {
      // The server gave the lost application's route points and ports up: they are registered again.
      this.#devices
        .restore(() => this.#session === session)
        .catch((err: unknown) => this.#settings.logger.error({ err }, 'registering CTI devices again failed'));
    }
    if (!resumed) {
      // Terminals acquired with createTerminal and the application's observers belong to the old
      // provider: acquire and add them again, in the order the application did (JTAPI keeps its
      // observers across a CTIManager fail-over, §5.3).
      this.#restore(session).catch((err: unknown) =>
        this.#settings.logger.error({ err }, 'restoring observers after a re-open failed'),
      );
    }
  }

  async #restore(session: CtiSession): Promise<void> {
    for (const name of this.#acquired) {
      if (this.#session !== session) return;
      try {
        await this.#request('provider.createTerminal', { providerId: this.providerId, name });
      } catch (err) {
        if (isConnectionError(err)) return; // the next reconnect restores it
        this.#acquired.delete(name);
        this.#settings.logger.warn({ err, terminal: name }, 'a terminal could not be acquired again');
      }
    }
    for (const registration of this.#observers.unbound()) {
      if (this.#session !== session) return;
      try {
        await this.#bindObserver(registration, {});
      } catch (err) {
        if (isConnectionError(err)) return;
        this.#observers.remove(registration);
        const error = err instanceof CtiError ? err : new InternalError(String(err));
        this.#queue.enqueue(() => this.#emitter.emit('observerLost', { target: registration.target, error }));
      }
    }
    await this.#devices.restore(() => this.#session === session);
  }

  #onLost(error: CtiError): void {
    if (this.#shutdown) return;
    const server = this.#session?.url ?? this.server;
    this.#session = undefined;
    this.#settings.logger.warn({ server, err: error }, 'CTI connection lost; reconnecting');
    this.#queue.enqueue(() => {
      this.#domain.state = 'OUT_OF_SERVICE';
      this.#emitter.emit('connectionLost', { server, error });
    });
    this.#reconnect().catch((err: unknown) => {
      if (this.#shutdown) return;
      const final = err instanceof CtiError ? err : new InternalError(String(err));
      this.#settings.logger.error({ err }, 'the provider cannot reconnect and shuts down');
      this.#finish(final);
    });
  }

  async #reconnect(): Promise<void> {
    const servers = this.#settings.servers;
    // JTAPI moves on to the next CTIManager and does not fail back on its own (§5.3).
    await firstServerThatAnswers(
      servers,
      (this.#serverIndex + 1) % servers.length,
      (server, i) => this.#connect(server, i, this.#stop.signal),
      this.#failOverOptions(Infinity, this.#stop.signal),
    );
  }

  #finish(error: CtiError | undefined): void {
    if (this.#shutdown) return;
    this.#shutdown = true;
    this.#stop.abort(error ?? new InvalidStateError('The provider was shut down.'));
    this.#session?.close();
    this.#session = undefined;
    this.#queue.enqueue(() => {
      this.#domain.state = 'SHUTDOWN';
      this.#emitter.emit('shutdown', { error });
      for (const stream of [...this.#streams]) stream.end();
    });
  }

  // ---- requests and observers --------------------------------------------------------------------

  #request<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    options: RequestOptions<MethodResult<M>> = {},
  ): Promise<MethodResult<M>> {
    if (this.#shutdown) return Promise.reject(new ProviderNotOpenError('The provider was shut down; open a new one.'));
    const session = this.#session;
    if (session === undefined) {
      return Promise.reject(
        new ConnectionLostError(
          `The provider is reconnecting; ${method} was not sent. Retry once the provider is IN_SERVICE again (the connectionRestored event).`,
          { details: { method } },
        ),
      );
    }
    return session.request(method, params, options);
  }

  async #addObserver(
    target: ObserverTarget,
    callEvents: boolean,
    listener: CallListener | ObjectListener,
    options: ObserveOptions,
  ): Promise<void> {
    // Adding the same observer twice is harmless, as in JTAPI.
    if (this.#observers.find(target, listener, callEvents) !== undefined) return;
    const registration: Registration = { target, callEvents, listener, observerId: undefined };
    this.#observers.add(registration);
    try {
      await this.#bindObserver(registration, options);
    } catch (err) {
      this.#observers.remove(registration);
      throw err;
    }
  }

  #bindObserver(registration: Registration, options: ObserveOptions): Promise<unknown> {
    return this.#request(
      'observer.add',
      { providerId: this.providerId, target: registration.target, callEvents: registration.callEvents },
      {
        signal: options.signal,
        // Bound as the answer is read: the snapshot events that follow it go to this listener.
        onResult: (result) => this.#observers.bind(registration, result.observerId),
      },
    );
  }

  async #removeObserver(target: ObserverTarget, listener: CallListener | ObjectListener): Promise<void> {
    for (const registration of this.#observers.findAll(target, listener)) {
      const { observerId } = registration;
      this.#observers.remove(registration);
      if (observerId === undefined || this.#session === undefined) continue;
      try {
        await this.#request('observer.remove', { providerId: this.providerId, observerId });
      } catch (err) {
        // Nothing is delivered to the listener any more; a server that lost the observer is fine too.
        if (!(err instanceof ProviderNotOpenError) && !isConnectionError(err)) throw err;
      }
    }
  }

  // ---- inbound ------------------------------------------------------------------------------------

  #onPush(frame: PushFrame): void {
    if (frame.providerId !== this.#providerId) return; // a provider this client no longer uses
    if (frame.kind === 'resync') {
      this.#queue.enqueue(() => {
        this.#applySnapshot(frame.snapshot as unknown as ProviderSnapshot);
        this.#emitter.emit('resync', { reason: frame.reason, dropped: frame.dropped, seq: this.#lastSeq });
      });
      return;
    }
    for (const event of frame.events) this.#queue.enqueue(() => this.#dispatch(event));
  }

  #applySnapshot(snapshot: ProviderSnapshot): void {
    this.#domain.setDomain(snapshot.terminals, snapshot.addresses);
    this.#domain.clearCalls();
    applySnapshotCalls(this.#domain, snapshot.calls);
    this.#domain.state = snapshot.state;
    this.#capabilities = snapshot.capabilities;
    this.#excluded = snapshot.excluded;
    this.#lastSeq = snapshot.seq;
  }

  #dispatch(wire: WireEvent): void {
    // Sequence numbers never skip and never repeat (protocol §Events): an old one is a duplicate.
    if (wire.seq <= this.#lastSeq) return;
    if (wire.seq > this.#lastSeq + 1) this.#onGap(wire.seq);
    this.#lastSeq = wire.seq;
    if (deviceEventTypes.has(wire.type)) {
      // Route and media events go to the registering application's callbacks, not to the call model.
      const event = Object.freeze(wire) as unknown as CtiEvent;
      this.#tell(() => this.#devices.dispatch(wire), event);
      this.#emitter.emit('event', event);
      this.#emitter.emit('providerEvent', event as ProviderEvent);
      for (const stream of this.#streams) stream.push(event);
      return;
    }
    const event = this.#domain.apply(wire);
    const isCall = 'callId' in event && typeof event.callId === 'string' && 'call' in event;
    if (typeof wire.observerId === 'string') {
      const registration = this.#observers.byId(wire.observerId);
      if (registration !== undefined && registration.callEvents === isCall) this.#tell(registration.listener, event);
    }
    this.#emitter.emit('event', event);
    if (!isCall) this.#emitter.emit('providerEvent', event as ProviderEvent);
    for (const stream of this.#streams) stream.push(event);
    if (wire.type === 'ProvShutdownEv') this.#finish(undefined);
  }

  /** Events were missing: ask for a snapshot and rebuild from it (the explicit resync of §Resume). */
  #onGap(seq: number): void {
    const expected = this.#lastSeq + 1;
    this.#settings.logger.warn({ expected, received: seq }, 'CTI events missing; asking for a snapshot');
    this.#request(
      'provider.snapshot',
      { providerId: this.providerId },
      {
        onResult: (snapshot) =>
          this.#queue.enqueue(() => {
            this.#applySnapshot(snapshot);
            this.#emitter.emit('resync', { reason: 'gap', dropped: seq - expected, seq: snapshot.seq });
          }),
      },
    ).catch((err: unknown) => this.#settings.logger.warn({ err }, 'the snapshot after a gap failed'));
  }

  #tell(listener: CallListener | ObjectListener, event: CtiEvent): void {
    try {
      const result = (listener as (event: CtiEvent) => unknown)(event);
      if (result instanceof Promise) {
        result.catch((err: unknown) =>
          this.#settings.logger.error({ err, event: event.type }, 'an observer rejected; later events still go to it'),
        );
      }
    } catch (err) {
      this.#settings.logger.error({ err, event: event.type }, 'an observer threw; later events still go to it');
    }
  }

  #notInDomain(kind: 'terminal' | 'address', name: string): InvalidArgumentError {
    const excluded = this.#excluded.find((e) => e.kind === kind && e.name === name);
    const why =
      excluded === undefined
        ? `it is not configured, or not visible to ${this.#user?.userId ?? 'this user'}`
        : excluded.reason;
    return new InvalidArgumentError(
      `${kind === 'terminal' ? 'Terminal' : 'Address'} ${name} is not in this provider's domain: ${why}.`,
      { details: { [kind]: name, ...(excluded === undefined ? {} : { code: excluded.code }) } },
    );
  }
}

export type { CallEvent };
