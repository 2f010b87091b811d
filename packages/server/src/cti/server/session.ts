import {
  SUPPORTED_PROTOCOLS,
  ciscoErrorNames,
  isMethodName,
  methodNames,
  validators,
  type ErrorBody,
  type HelloResult,
  type MethodName,
  type MethodParams,
  type ServerFrame,
} from '@strowger/protocol';
import type { WebSocket } from 'ws';
import {
  ErrorCode,
  StrowgerError,
  isStrowgerError,
  type Clock,
  type Logger,
  type TimerHandle,
} from '../../core/index.js';
import type { CtiProvider } from '../provider/provider.js';
import { isCtiDeviceMethod, type ProviderHolder, type ProviderService } from '../provider/provider-service.js';
import { isCallControlMethod } from '../provider/call-control.js';
import { stampedJson, type Addressed } from '../provider/shared-event.js';
import { TokenBucket } from './token-bucket.js';

/** The limits of one session; sent to the client in the hello result. */
export interface SessionLimits {
  maxFrameBytes: number;
  maxPendingRequests: number;
  requestsPerSecond: number;
  /** Outbound bytes waiting for the socket before a provider's events are dropped for a resync. */
  maxQueuedBytes: number;
  /** Outbound frames waiting for the socket, likewise. */
  maxQueuedFrames: number;
}

export interface KeepAliveRange {
  defaultSeconds: number;
  minSeconds: number;
  maxSeconds: number;
}

export interface SessionOptions {
  id: string;
  socket: WebSocket;
  source: string;
  clock: Clock;
  logger: Logger;
  limits: SessionLimits;
  keepAlive: KeepAliveRange;
  providers: ProviderService;
  serverName: string;
  onClosed: (session: CtiSession) => void;
}

interface Outcome {
  result: unknown;
  /** Runs once the response is on its way: events that must follow it (snapshots, ProvInServiceEv). */
  after?: () => void;
}

/**
 * One CTI connection: the handshake, keep-alive in both directions, the limits, request dispatch,
 * and the bounded outbound queue with its resync for a consumer that falls behind. Nothing a client
 * sends ends the process or drops the connection silently: every refusal is an error frame.
 */
export class CtiSession implements ProviderHolder {
  readonly id: string;
  readonly #options: SessionOptions;
  readonly #socket: WebSocket;
  readonly #bucket: TokenBucket;
  readonly #providers = new Map<string, CtiProvider>();
  readonly #pending = new Set<number>();
  /** Providers whose events were dropped, and how many, waiting for the socket to drain. */
  readonly #resyncPending = new Map<string, number>();
  /**
   * Events not yet sent, per provider, as wire JSON. They leave together at the end of the event
   * loop's turn, one frame per provider: a call's events arrive in a handful of engine steps, and a
   * frame each would cost a WebSocket write each (the largest cost of fanning events out).
   */
  readonly #outbox = new Map<string, string[]>();
  #flush: NodeJS.Immediate | undefined;
  #protocol: number | undefined;
  #keepAliveMs: number;
  #lastReceived: number;
  #lastSent: number;
  #timer: TimerHandle | undefined;
  #queuedBytes = 0;
  #queuedFrames = 0;
  #nonce = 0;
  #closed = false;

  constructor(options: SessionOptions) {
    this.id = options.id;
    this.#options = options;
    this.#socket = options.socket;
    this.#bucket = new TokenBucket({
      clock: options.clock,
      ratePerSecond: options.limits.requestsPerSecond,
      burst: options.limits.requestsPerSecond * 2,
    });
    this.#keepAliveMs = options.keepAlive.defaultSeconds * 1000;
    this.#lastReceived = this.#lastSent = options.clock.now();
    this.#socket.on('message', (data, isBinary) => this.#receive(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    this.#socket.on('close', () => this.#closedBySocket());
    this.#socket.on('error', (error) =>
      this.#options.logger.debug({ err: error, session: this.id }, 'CTI socket error'),
    );
    this.#scheduleKeepAlive();
  }

  get providerCount(): number {
    return this.#providers.size;
  }

  /** Closes the connection (server shutdown: 1001). */
  close(code = 1001, reason = 'server shutting down'): void {
    if (this.#socket.readyState === this.#socket.OPEN || this.#socket.readyState === this.#socket.CONNECTING) {
      this.#socket.close(code, reason);
    }
    this.#closedBySocket();
  }

  // --- ProviderHolder ----------------------------------------------------------------------------

  deliver(providerId: string, firstSeq: number, events: readonly Addressed[]): void {
    if (this.#closed) return;
    const dropped = this.#resyncPending.get(providerId);
    if (dropped !== undefined) {
      this.#resyncPending.set(providerId, dropped + events.length);
      return;
    }
    let pieces = this.#outbox.get(providerId);
    if (pieces === undefined) this.#outbox.set(providerId, (pieces = []));
    for (let i = 0; i < events.length; i += 1) pieces.push(stampedJson(firstSeq + i, events[i]!));
    this.#flush ??= setImmediate(() => this.#flushEvents());
  }

  /** Sends each provider's waiting events as one frame, or drops them for a resync if the consumer is behind. */
  #flushEvents(): void {
    if (this.#flush !== undefined) clearImmediate(this.#flush);
    this.#flush = undefined;
    const { maxQueuedBytes, maxQueuedFrames } = this.#options.limits;
    for (const [providerId, pieces] of this.#outbox) {
      // The same bytes JSON.stringify({ kind: 'events', providerId, events }) gives, without re-serializing.
      const text = `{"kind":"events","providerId":${JSON.stringify(providerId)},"events":[${pieces.join(',')}]}`;
      if (
        this.#queuedFrames > 0 &&
        (this.#queuedBytes + text.length > maxQueuedBytes || this.#queuedFrames >= maxQueuedFrames)
      ) {
        // The consumer is behind: drop this provider's events until the socket drains, then resync.
        this.#resyncPending.set(providerId, pieces.length);
        this.#options.logger.warn(
          { session: this.id, providerId },
          'CTI consumer too slow; events dropped, resync follows',
        );
        continue;
      }
      this.#sendText(text);
    }
    this.#outbox.clear();
  }

  forget(providerId: string): void {
    this.#providers.delete(providerId);
    this.#resyncPending.delete(providerId);
  }

  // --- inbound -----------------------------------------------------------------------------------

  #receive(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    this.#lastReceived = this.#options.clock.now();
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const { maxFrameBytes } = this.#options.limits;
    if (buffer.length > maxFrameBytes) {
      this.#sendError(
        ErrorCode.FrameTooLarge,
        `The frame of ${buffer.length} bytes is larger than this session's limit of ${maxFrameBytes} bytes; it was discarded. Send smaller frames.`,
        { maxFrameBytes },
      );
      return;
    }
    if (isBinary) {
      this.#sendError(
        ErrorCode.MalformedFrame,
        'Binary frames are not part of the protocol; send JSON in text frames.',
      );
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(buffer.toString('utf8'));
    } catch (error) {
      this.#sendError(
        ErrorCode.MalformedFrame,
        `The frame is not JSON (${(error as Error).message}); send one JSON object per text frame.`,
      );
      return;
    }
    if (!validators.clientFrame.check(frame)) {
      const problem = validators.clientFrame.problem(frame);
      const message = `The frame is not a request, ping or pong: ${problem?.message ?? 'wrong shape'} at ${problem?.path ?? '/'}; see the protocol reference.`;
      const id = requestIdOf(frame);
      if (id !== undefined)
        this.#respond(id, { error: errorBody(ErrorCode.MalformedFrame, message, { path: problem?.path }) });
      else this.#sendError(ErrorCode.MalformedFrame, message, { path: problem?.path });
      return;
    }
    switch (frame.kind) {
      case 'ping':
        this.#send({ kind: 'pong', nonce: frame.nonce });
        return;
      case 'pong':
        return;
      case 'request':
        this.#request(frame.id, frame.method, frame.params ?? {});
    }
  }

  #request(id: number, method: string, params: unknown): void {
    const refuse = (code: ErrorCode, message: string, details?: Record<string, unknown>): void =>
      this.#respond(id, { error: errorBody(code, message, details) });
    const token = this.#bucket.take();
    if (!token.ok) {
      refuse(
        ErrorCode.RateLimited,
        `More than ${this.#options.limits.requestsPerSecond} requests per second; retry after ${token.retryAfterMs} ms.`,
        { retryAfterMs: token.retryAfterMs },
      );
      return;
    }
    if (this.#pending.size >= this.#options.limits.maxPendingRequests) {
      refuse(
        ErrorCode.TooManyRequests,
        `${this.#pending.size} requests are already unanswered (the limit is ${this.#options.limits.maxPendingRequests}); wait for answers first.`,
        { maxPendingRequests: this.#options.limits.maxPendingRequests },
      );
      return;
    }
    if (this.#pending.has(id)) {
      refuse(ErrorCode.InvalidArgument, `Request id ${id} is already in use by an unanswered request; use a new id.`, {
        path: '/id',
      });
      return;
    }
    if (this.#protocol === undefined && method !== 'hello') {
      refuse(ErrorCode.HandshakeRequired, `The first request must be hello; got ${method}.`);
      return;
    }
    if (!isMethodName(method)) {
      refuse(ErrorCode.UnknownMethod, `There is no method ${method}; the methods are ${methodNames.join(', ')}.`, {
        methods: methodNames,
      });
      return;
    }
    const validator = validators.methods[method].params;
    if (!validator.check(params)) {
      const problem = validator.problem(params);
      refuse(
        ErrorCode.InvalidArgument,
        `${method}: ${problem?.message ?? 'invalid params'} at ${problem?.path ?? '/'}.`,
        {
          path: problem?.path,
        },
      );
      return;
    }
    this.#pending.add(id);
    this.#dispatch(method, params as never)
      .then(
        (outcome) => {
          this.#pending.delete(id);
          this.#respond(id, { result: outcome.result });
          outcome.after?.();
        },
        (error: unknown) => {
          this.#pending.delete(id);
          if (isStrowgerError(error)) {
            this.#respond(id, { error: errorBody(error.code, error.message, error.details) });
          } else {
            this.#options.logger.error({ err: error, session: this.id, method }, 'CTI request failed unexpectedly');
            this.#respond(id, {
              error: errorBody(ErrorCode.Internal, `${method} failed inside the server; the log has the details.`),
            });
          }
        },
      )
      // What follows a response (snapshot events, ProvInServiceEv) must not end the process if it fails.
      .catch((error: unknown) =>
        this.#options.logger.error({ err: error, session: this.id, method }, 'CTI events after a response failed'),
      );
  }

  async #dispatch<M extends MethodName>(method: M, params: MethodParams<M>): Promise<Outcome> {
    const p = params as MethodParams<MethodName>;
    const providers = this.#options.providers;
    switch (method) {
      case 'hello':
        return this.#hello(p as MethodParams<'hello'>);
      case 'provider.open': {
        const opened = await providers.open(p as MethodParams<'provider.open'>, {
          source: this.#options.source,
          holder: this,
        });
        if (this.#closed) {
          providers.detach(opened.provider, this);
          throw new StrowgerError(ErrorCode.InvalidState, 'The session closed while the provider opened.');
        }
        this.#providers.set(opened.provider.id, opened.provider);
        return {
          result: opened.result,
          after: () => {
            if (opened.replay !== undefined && opened.replay.events.length > 0)
              this.deliver(opened.provider.id, opened.replay.afterSeq + 1, opened.replay.events);
            opened.after();
          },
        };
      }
      case 'provider.shutdown': {
        const provider = this.#provider(p as MethodParams<'provider.shutdown'>);
        providers.shutdown(provider);
        this.forget(provider.id);
        return { result: {} };
      }
      case 'provider.snapshot':
        return { result: providers.snapshot(this.#provider(p as MethodParams<'provider.snapshot'>)) };
      case 'provider.createTerminal': {
        const q = p as MethodParams<'provider.createTerminal'>;
        const { terminal, after } = providers.createTerminal(this.#provider(q), q.name);
        return { result: terminal, after };
      }
      case 'provider.deleteTerminal': {
        const q = p as MethodParams<'provider.deleteTerminal'>;
        return { result: {}, after: providers.deleteTerminal(this.#provider(q), q.name).after };
      }
      case 'observer.add': {
        const q = p as MethodParams<'observer.add'>;
        const { observerId, seq, after } = providers.addObserver(this.#provider(q), q);
        return { result: { observerId, seq }, after };
      }
      case 'observer.remove': {
        const q = p as MethodParams<'observer.remove'>;
        providers.removeObserver(this.#provider(q), q.observerId);
        return { result: {} };
      }
    }
    if (isCtiDeviceMethod(method)) {
      const q = p as MethodParams<typeof method>;
      return { result: providers.ctiDevice(this.#provider(q), method, q) };
    }
    if (isCallControlMethod(method)) {
      const q = p as MethodParams<typeof method>;
      return { result: await providers.control(this.#provider(q), method, q) };
    }
    throw new StrowgerError(ErrorCode.UnknownMethod, `There is no method ${String(method)}.`);
  }

  #hello(params: MethodParams<'hello'>): Outcome {
    if (this.#protocol !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `hello was already answered (protocol ${this.#protocol}).`);
    }
    const common = params.protocols.filter((version) => SUPPORTED_PROTOCOLS.includes(version));
    if (common.length === 0) {
      // Sent, then the connection closes (1002, protocol error): nothing else can be understood.
      setImmediate(() => this.close(1002, 'unsupported protocol version'));
      throw new StrowgerError(
        ErrorCode.UnsupportedVersion,
        `This server speaks protocol ${SUPPORTED_PROTOCOLS.join(', ')}; the client offered ${params.protocols.join(', ')}.`,
        { details: { supported: [...SUPPORTED_PROTOCOLS] } },
      );
    }
    this.#protocol = Math.max(...common);
    const { minSeconds, maxSeconds, defaultSeconds } = this.#options.keepAlive;
    const seconds = Math.min(maxSeconds, Math.max(minSeconds, params.keepAliveSeconds ?? defaultSeconds));
    this.#keepAliveMs = seconds * 1000;
    this.#scheduleKeepAlive();
    const { maxFrameBytes, maxPendingRequests, requestsPerSecond } = this.#options.limits;
    const result: HelloResult = {
      protocol: this.#protocol,
      server: this.#options.serverName,
      sessionId: this.id,
      keepAliveSeconds: seconds,
      limits: { maxFrameBytes, maxPendingRequests, requestsPerSecond },
    };
    return { result };
  }

  #provider(params: { providerId: string }): CtiProvider {
    const provider = this.#providers.get(params.providerId);
    if (provider === undefined) {
      throw new StrowgerError(
        ErrorCode.ProviderNotOpen,
        `Provider ${params.providerId} is not open in this session; open one with provider.open.`,
        { details: { providerId: params.providerId, cisco: ciscoErrorNames[ErrorCode.ProviderNotOpen] } },
      );
    }
    return provider;
  }

  // --- keep-alive (both directions: a silent peer is dead after two intervals) --------------------

  #scheduleKeepAlive(): void {
    this.#timer?.cancel();
    if (this.#closed) return;
    const now = this.#options.clock.now();
    const due = Math.min(this.#lastSent + this.#keepAliveMs, this.#lastReceived + 2 * this.#keepAliveMs);
    this.#timer = this.#options.clock.setTimer(Math.max(0, due - now), () => this.#keepAliveCheck());
  }

  #keepAliveCheck(): void {
    if (this.#closed) return;
    const now = this.#options.clock.now();
    if (now - this.#lastReceived >= 2 * this.#keepAliveMs) {
      this.#options.logger.info({ session: this.id }, 'CTI peer silent for two keep-alive intervals; closing');
      this.close(1001, 'keep-alive timeout');
      return;
    }
    if (now - this.#lastSent >= this.#keepAliveMs)
      this.#send({ kind: 'ping', nonce: (this.#nonce = (this.#nonce + 1) % 2_147_483_647) });
    this.#scheduleKeepAlive();
  }

  // --- outbound ----------------------------------------------------------------------------------

  #respond(id: number, body: { result: unknown } | { error: ErrorBody }): void {
    this.#send({ kind: 'response', id, ...body } as ServerFrame);
  }

  #sendError(code: ErrorCode, message: string, details?: Record<string, unknown>): void {
    this.#send({ kind: 'error', error: errorBody(code, message, details) });
  }

  #send(frame: ServerFrame): void {
    // Events produced before this frame go before it: the client sees one order, the engine's.
    if (this.#outbox.size > 0) this.#flushEvents();
    this.#sendText(JSON.stringify(frame));
  }

  #sendText(text: string): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return;
    const bytes = Buffer.byteLength(text);
    this.#queuedBytes += bytes;
    this.#queuedFrames += 1;
    this.#lastSent = this.#options.clock.now();
    this.#socket.send(text, () => {
      this.#queuedBytes -= bytes;
      this.#queuedFrames -= 1;
      // Drained to half the budget: room again for the snapshot and the events after it.
      const { maxQueuedBytes, maxQueuedFrames } = this.#options.limits;
      if (
        this.#resyncPending.size > 0 &&
        this.#queuedBytes <= maxQueuedBytes / 2 &&
        this.#queuedFrames <= maxQueuedFrames / 2
      ) {
        this.#flushResyncs();
      }
    });
  }

  /** The socket drained: each provider that lost events gets one resync frame with its snapshot. */
  #flushResyncs(): void {
    for (const [providerId, dropped] of [...this.#resyncPending]) {
      this.#resyncPending.delete(providerId);
      const provider = this.#providers.get(providerId);
      if (provider === undefined) continue;
      const snapshot = this.#options.providers.snapshot(provider);
      this.#send({ kind: 'resync', providerId, reason: 'slow-consumer', dropped, snapshot });
    }
  }

  #closedBySocket(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer?.cancel();
    if (this.#flush !== undefined) clearImmediate(this.#flush);
    this.#outbox.clear();
    for (const provider of this.#providers.values()) this.#options.providers.detach(provider, this);
    this.#providers.clear();
    this.#options.onClosed(this);
  }
}

function errorBody(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>): ErrorBody {
  const cisco = ciscoErrorNames[code];
  const merged = { ...(details ?? {}), ...(cisco === undefined || details?.cisco !== undefined ? {} : { cisco }) };
  const clean = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  return Object.keys(clean).length === 0 ? { code, message } : { code, message, details: clean };
}

/** A usable request id from a frame that failed validation, so the refusal can answer it. */
function requestIdOf(frame: unknown): number | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const { kind, id } = frame as { kind?: unknown; id?: unknown };
  return kind === 'request' && typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= 2_147_483_647
    ? id
    : undefined;
}
