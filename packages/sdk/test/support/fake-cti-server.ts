import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo as NetAddressInfo } from 'node:net';

/**
 * A small CTI server for the SDK's unit tests: it speaks protocol version 1 as the spec writes it,
 * with a domain, observers and events the test scripts. Several front ends (`FakeCtiServer`) share one
 * `FakeBackend`, as several CTI server addresses share one call manager, so a test can cut one
 * connection and watch the SDK resume on the other address.
 */

export interface FakeTerminal {
  name: string;
  type: 'sip-phone' | 'cti-route-point' | 'cti-port';
  restricted: boolean;
  inService: boolean;
  acquired: boolean;
  addresses: string[];
}
export interface FakeAddress {
  name: string;
  restricted: boolean;
  inService: boolean;
  terminals: { terminal: string; restricted: boolean; inService: boolean }[];
}
export type FakeEvent = { type: string; id: number; observerId?: string | null } & Record<string, unknown>;
export type Handler = (params: Record<string, unknown>, session: FakeSession) => unknown;

export interface FakeProvider {
  providerId: string;
  user: string;
  seq: number;
  ring: (FakeEvent & { seq: number })[];
  observers: Map<string, { target: Record<string, unknown>; callEvents: boolean }>;
  session: FakeSession | undefined;
}

export class FakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class FakeBackend {
  readonly users = new Map<string, string>([['app', 'secret']]);
  terminals: FakeTerminal[] = [];
  addresses: FakeAddress[] = [];
  readonly providers = new Map<string, FakeProvider>();
  /** Every request the servers received, in order. */
  readonly requests: { method: string; params: Record<string, unknown> }[] = [];
  /** Overrides for methods, consulted before the built-in behaviour. */
  readonly handlers = new Map<string, Handler>();
  /** When false, provider.open with resume always opens a new provider (the ring is gone). */
  allowResume = true;
  /** Events sent right after a successful observer.add (the snapshot of calls in progress). */
  snapshotFor: (target: Record<string, unknown>) => FakeEvent[] = () => [];
  #nextProvider = 1;
  #nextObserver = 1;

  constructor() {
    this.terminals = [
      { name: 'SEP1001', type: 'sip-phone', restricted: false, inService: true, acquired: false, addresses: ['1001'] },
      {
        name: 'SEP1002',
        type: 'sip-phone',
        restricted: false,
        inService: true,
        acquired: false,
        addresses: ['1002', '2000'],
      },
      { name: 'SEP1003', type: 'sip-phone', restricted: false, inService: true, acquired: false, addresses: ['2000'] },
      { name: 'SEP1009', type: 'sip-phone', restricted: true, inService: true, acquired: false, addresses: ['1009'] },
    ];
    this.addresses = [
      {
        name: '1001',
        restricted: false,
        inService: true,
        terminals: [{ terminal: 'SEP1001', restricted: false, inService: true }],
      },
      {
        name: '1002',
        restricted: false,
        inService: true,
        terminals: [{ terminal: 'SEP1002', restricted: false, inService: true }],
      },
      {
        name: '2000',
        restricted: false,
        inService: true,
        terminals: [
          { terminal: 'SEP1002', restricted: false, inService: true },
          { terminal: 'SEP1003', restricted: false, inService: true },
        ],
      },
      {
        name: '1009',
        restricted: true,
        inService: true,
        terminals: [{ terminal: 'SEP1009', restricted: true, inService: true }],
      },
    ];
  }

  handle(method: string, params: Record<string, unknown>, session: FakeSession): unknown {
    this.requests.push({ method, params });
    const override = this.handlers.get(method);
    if (override !== undefined) return override(params, session);
    switch (method) {
      case 'hello':
        return {
          protocol: 1,
          server: 'fake/1',
          sessionId: `s-${session.id}`,
          keepAliveSeconds: params.keepAliveSeconds ?? 30,
          limits: { maxFrameBytes: 65536, maxPendingRequests: 64, requestsPerSecond: 200 },
        };
      case 'provider.open':
        return this.#open(params, session);
      case 'provider.shutdown': {
        const provider = this.provider(params);
        this.emit(provider.providerId, [{ type: 'ProvShutdownEv', id: 114 }]);
        this.providers.delete(provider.providerId);
        return {};
      }
      case 'provider.snapshot':
        return { ...this.opened(this.provider(params), false), calls: [] };
      case 'provider.createTerminal': {
        this.provider(params);
        const name = String(params.name);
        if (name !== 'SEP5555') throw new FakeError('INVALID_ARGUMENT', `no device ${name}`);
        const terminal: FakeTerminal = {
          name,
          type: 'sip-phone',
          restricted: false,
          inService: true,
          acquired: true,
          addresses: ['5555'],
        };
        if (!this.terminals.some((t) => t.name === name)) this.terminals.push(terminal);
        return terminal;
      }
      case 'provider.deleteTerminal': {
        const provider = this.provider(params);
        const name = String(params.name);
        this.terminals = this.terminals.filter((t) => t.name !== name);
        queueMicrotask(() =>
          this.emit(provider.providerId, [{ type: 'CiscoTermRemovedEv', id: 1002, name, ciscoCause: 0 }]),
        );
        return {};
      }
      case 'observer.add': {
        const provider = this.provider(params);
        const target = params.target as Record<string, unknown>;
        if (target.kind === 'address') {
          const address = this.addresses.find((a) => a.name === target.name);
          if (address === undefined)
            throw new FakeError('ACCESS_TO_DEVICE_DENIED', `${String(target.name)} is not in the domain`);
          if (address.restricted)
            throw new FakeError('LINE_RESTRICTED', `${address.name} is restricted`, {
              cisco: 'CTIERR_LINE_RESTRICTED',
            });
        }
        if (target.kind === 'terminal') {
          const terminal = this.terminals.find((t) => t.name === target.name);
          if (terminal === undefined)
            throw new FakeError('ACCESS_TO_DEVICE_DENIED', `${String(target.name)} is not in the domain`);
          if (terminal.restricted) throw new FakeError('DEVICE_RESTRICTED', `${terminal.name} is restricted`);
        }
        const observerId = `o-${this.#nextObserver++}`;
        provider.observers.set(observerId, { target, callEvents: params.callEvents !== false });
        const seq = provider.seq;
        const snapshot = this.snapshotFor(target).map((e) => ({ ...e, observerId }));
        if (snapshot.length > 0) queueMicrotask(() => this.emit(provider.providerId, snapshot));
        return { observerId, seq };
      }
      case 'observer.remove': {
        const provider = this.provider(params);
        provider.observers.delete(String(params.observerId));
        return {};
      }
      default:
        throw new FakeError('UNKNOWN_METHOD', `unknown method ${method}`);
    }
  }

  provider(params: Record<string, unknown>): FakeProvider {
    const provider = this.providers.get(String(params.providerId));
    if (provider === undefined) throw new FakeError('PROVIDER_NOT_OPEN', `no provider ${String(params.providerId)}`);
    return provider;
  }

  opened(provider: FakeProvider, resumed: boolean): Record<string, unknown> {
    return {
      providerId: provider.providerId,
      state: 'IN_SERVICE',
      stateId: 16,
      user: { userId: provider.user, kind: 'application-user' },
      capabilities: {
        observeAnyTerminal: true,
        modifyCallingParty: false,
        monitor: false,
        record: false,
        monitorParkDns: false,
        secureConnection: false,
      },
      terminals: this.terminals,
      addresses: this.addresses,
      excluded: [
        {
          kind: 'terminal',
          name: 'SEP7777',
          code: 'ACCESS_TO_DEVICE_DENIED',
          reason: "SEP7777 is not among app's controlled devices",
        },
      ],
      seq: resumed ? provider.seq : provider.seq,
      resumed,
    };
  }

  #open(params: Record<string, unknown>, session: FakeSession): unknown {
    const user = String(params.user);
    if (this.users.get(user) !== params.password)
      throw new FakeError('AUTHENTICATION_FAILED', 'wrong user id or password', { cisco: 'DIRECTORY_LOGIN_FAILED' });
    const resume = params.resume as { providerId: string; afterSeq: number } | undefined;
    if (resume !== undefined && this.allowResume) {
      const provider = this.providers.get(resume.providerId);
      const first = provider?.ring.find((e) => e.seq > resume.afterSeq);
      const filled = provider !== undefined && (first === undefined || first.seq === resume.afterSeq + 1);
      if (provider !== undefined && provider.user === user && filled) {
        provider.session = session;
        const missed = provider.ring.filter((e) => e.seq > resume.afterSeq);
        const result = { ...this.opened(provider, true), seq: resume.afterSeq };
        // The missed events follow the response, in order.
        queueMicrotask(() => {
          if (missed.length > 0) session.send({ kind: 'events', providerId: provider.providerId, events: missed });
        });
        return result;
      }
    }
    const provider: FakeProvider = {
      providerId: `p-${this.#nextProvider++}`,
      user,
      seq: 0,
      ring: [],
      observers: new Map(),
      session,
    };
    this.providers.set(provider.providerId, provider);
    return this.opened(provider, false);
  }

  /**
   * Emits events on a provider: numbered, kept in its ring, and sent if its session is connected.
   * A call event without an observerId goes once to each call observer (as the server does).
   */
  emit(providerId: string, events: FakeEvent[]): (FakeEvent & { seq: number })[] {
    const provider = this.providers.get(providerId);
    if (provider === undefined) throw new Error(`no provider ${providerId}`);
    const numbered: (FakeEvent & { seq: number })[] = [];
    for (const event of events) {
      const copies =
        event.observerId !== undefined || typeof event.callId !== 'string'
          ? [event]
          : [...provider.observers].filter(([, o]) => o.callEvents).map(([observerId]) => ({ ...event, observerId }));
      for (const copy of copies) {
        const e = { at: Date.now(), ...copy, seq: ++provider.seq };
        provider.ring.push(e);
        numbered.push(e);
      }
    }
    provider.session?.send({ kind: 'events', providerId, events: numbered });
    return numbered;
  }

  /** The only provider (most tests open one). */
  get onlyProvider(): FakeProvider {
    const [provider] = [...this.providers.values()];
    if (provider === undefined) throw new Error('no provider is open');
    return provider;
  }
}

let nextSession = 1;

export class FakeSession {
  readonly id = nextSession++;
  readonly frames: Record<string, unknown>[] = [];
  constructor(
    readonly socket: WebSocket,
    readonly server: FakeCtiServer,
  ) {}

  send(frame: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }
}

export class FakeCtiServer {
  readonly sessions: FakeSession[] = [];
  /** When true the server neither answers nor sends anything (a dead peer whose TCP stays up). */
  mute = false;
  readonly #wss: WebSocketServer;
  readonly backend: FakeBackend;

  private constructor(wss: WebSocketServer, backend: FakeBackend) {
    this.#wss = wss;
    this.backend = backend;
    wss.on('connection', (socket) => this.#accept(socket));
  }

  static async start(backend = new FakeBackend()): Promise<FakeCtiServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new FakeCtiServer(wss, backend);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#wss.address() as NetAddressInfo).port}`;
  }

  #accept(socket: WebSocket): void {
    const session = new FakeSession(socket, this);
    this.sessions.push(session);
    socket.on('message', (data) => {
      if (this.mute) return;
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      session.frames.push(frame);
      if (frame.kind === 'ping') {
        session.send({ kind: 'pong', nonce: frame.nonce });
        return;
      }
      if (frame.kind !== 'request') return;
      const id = frame.id as number;
      try {
        const result = this.backend.handle(
          String(frame.method),
          (frame.params ?? {}) as Record<string, unknown>,
          session,
        );
        if (result !== undefined) session.send({ kind: 'response', id, result });
      } catch (err) {
        const e = err instanceof FakeError ? err : new FakeError('INTERNAL', String(err));
        session.send({
          kind: 'response',
          id,
          error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
        });
      }
    });
    socket.on('close', () => {
      for (const provider of this.backend.providers.values())
        if (provider.session === session) provider.session = undefined;
    });
  }

  /** Cuts every connection at once (no close handshake), as a failed network would. */
  cut(): void {
    for (const session of this.sessions) session.socket.terminate();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
