import type { Logger } from '@strowger/core';
import type { Clock, TimerHandle } from '@strowger/core';
import { ConnectionLostError, RequestTimeoutError, errorFromWire, protocolViolation, type CtiError } from './errors.js';
import { OPEN, webSocketConstructor, type WebSocketConstructor, type WebSocketLike } from './transport.js';
import {
  PROTOCOL_VERSION,
  parseServerFrame,
  resultProblem,
  type HelloResult,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type PushFrame,
} from './wire.js';

export interface SessionOptions {
  readonly url: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a request may stay unanswered before it rejects with RequestTimeoutError. */
  readonly requestTimeoutMs: number;
  /** How long opening the WebSocket and the hello exchange may take together. */
  readonly connectTimeoutMs: number;
  /** The keep-alive interval asked for in hello; the server's answer is the one both sides use. */
  readonly keepAliveSeconds: number;
  /** `client` in hello: who we are, for the server's logs. */
  readonly client: string;
  readonly webSocket?: WebSocketConstructor | undefined;
  /** Server-initiated frames (events, resync), in the order they arrived. */
  readonly onPush: (frame: PushFrame) => void;
  /** Called once when the session ends for any reason other than close(). */
  readonly onLost: (error: CtiError) => void;
}

export interface RequestOptions<R> {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
  /**
   * Runs synchronously as the response is read, before any later frame is handled. Whatever must be
   * in place for the events that follow the response (an observer id bound to its listener, a
   * provider id after a re-open) is done here rather than after an await.
   */
  readonly onResult?: ((result: R) => void) | undefined;
}

interface Pending {
  readonly method: MethodName;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onResult: ((result: never) => void) | undefined;
  readonly timer: TimerHandle;
  readonly cleanup: () => void;
}

/** Request ids are 1..2^31 (the protocol's range), reused only after wrapping. */
const MAX_REQUEST_ID = 2 ** 31;

/**
 * One WebSocket connection to one CTI server: the hello handshake, requests matched to responses by
 * id (with a timeout and an AbortSignal each), and the keep-alive of both directions — a ping when we
 * have sent nothing for one interval, the peer declared dead when nothing at all has arrived for two.
 */
export class CtiSession {
  readonly url: string;
  readonly #socket: WebSocketLike;
  readonly #options: SessionOptions;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #nextNonce = 1;
  #closed = false;
  #hello: HelloResult | undefined;
  #keepAliveMs = 0;
  #lastSent = 0;
  #lastReceived = 0;
  #keepAliveTimer: TimerHandle | undefined;

  private constructor(socket: WebSocketLike, options: SessionOptions) {
    this.url = options.url;
    this.#socket = socket;
    this.#options = options;
    this.#lastSent = this.#lastReceived = options.clock.now();
  }

  /** Opens the WebSocket and says hello; rejects if either fails or takes longer than connectTimeoutMs. */
  static async connect(options: SessionOptions, signal?: AbortSignal): Promise<CtiSession> {
    const Ctor = options.webSocket ?? (await webSocketConstructor());
    signal?.throwIfAborted();
    let socket: WebSocketLike;
    try {
      socket = new Ctor(options.url);
    } catch (err) {
      throw new ConnectionLostError(
        `Cannot connect to the CTI server at ${options.url}: ${String(err)}. Check the server address (ws://host:2748 or wss://…).`,
        { cause: err, details: { url: options.url } },
      );
    }
    const session = new CtiSession(socket, options);
    await session.#open(signal);
    return session;
  }

  get hello(): HelloResult {
    if (this.#hello === undefined) throw protocolViolation('the session has not completed its hello');
    return this.#hello;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #open(signal: AbortSignal | undefined): Promise<void> {
    const { url, connectTimeoutMs, clock } = this.#options;
    const socket = this.#socket;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        this.#closed = true;
        try {
          socket.close();
        } catch {
          // closing a socket that never opened may throw in some implementations; it is gone either way
        }
        reject(error);
      };
      const onAbort = (): void => fail(signal?.reason);
      const timer = clock.setTimer(connectTimeoutMs, () =>
        fail(
          new ConnectionLostError(
            `The CTI server at ${url} did not accept the connection within ${connectTimeoutMs} ms. Check that it is running and reachable.`,
            { details: { url } },
          ),
        ),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.addEventListener('open', () => {
        if (settled) return;
        settled = true;
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      socket.addEventListener('error', () =>
        fail(
          new ConnectionLostError(
            `Cannot connect to the CTI server at ${url}. Check that it is running and that the address and port are right.`,
            { details: { url } },
          ),
        ),
      );
      socket.addEventListener('close', (event) =>
        fail(
          new ConnectionLostError(
            `The CTI server at ${url} closed the connection while it was being opened (${event.code} ${event.reason}).`,
            { details: { url, closeCode: event.code } },
          ),
        ),
      );
    });
    socket.addEventListener('message', (event) => this.#onMessage(event.data));
    socket.addEventListener('close', (event) =>
      this.#lose(
        new ConnectionLostError(
          `The connection to the CTI server at ${url} closed (${event.code}${event.reason === '' ? '' : ` ${event.reason}`}); the SDK reconnects by itself.`,
          { details: { url, closeCode: event.code } },
        ),
      ),
    );
    socket.addEventListener('error', () => {
      // The close event that follows carries the code; nothing to add here.
    });
    this.#lastSent = this.#lastReceived = clock.now();
    try {
      this.#hello = await this.request(
        'hello',
        {
          protocols: [PROTOCOL_VERSION],
          client: this.#options.client,
          keepAliveSeconds: this.#options.keepAliveSeconds,
        },
        { signal, timeoutMs: connectTimeoutMs },
      );
    } catch (err) {
      this.close();
      throw err;
    }
    this.#keepAliveMs = this.#hello.keepAliveSeconds * 1000;
    this.#scheduleKeepAlive();
  }

  /** Sends a request and resolves with its result, or rejects with the CtiError subclass of its code. */
  request<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    options: RequestOptions<MethodResult<M>> = {},
  ): Promise<MethodResult<M>> {
    if (this.#closed) {
      return Promise.reject(
        new ConnectionLostError(`The connection to ${this.url} is closed; ${method} was not sent.`, {
          details: { url: this.url, method },
        }),
      );
    }
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const id = this.#takeId();
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs;
    return new Promise<MethodResult<M>>((resolve, reject) => {
      const onAbort = (): void => {
        // The server may still answer; its response is then ignored as unknown.
        this.#pending.get(id)?.cleanup();
        reject(signal?.reason);
      };
      const timer = this.#options.clock.setTimer(timeoutMs, () => {
        this.#pending.get(id)?.cleanup();
        reject(
          new RequestTimeoutError(
            `${method} got no answer from ${this.url} within ${timeoutMs} ms. The server may be overloaded; retry, or raise requestTimeoutMs.`,
            { details: { method, timeoutMs, url: this.url } },
          ),
        );
      });
      const cleanup = (): void => {
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        method,
        resolve: resolve as (result: unknown) => void,
        reject,
        onResult: options.onResult as ((result: never) => void) | undefined,
        timer,
        cleanup,
      });
      this.#send({ kind: 'request', id, method, params });
    });
  }

  /** Closes the connection; pending requests reject with ConnectionLostError. close() twice is harmless. */
  close(code = 1000, reason = 'client closing'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#keepAliveTimer?.cancel();
    this.#failPending(
      new ConnectionLostError(`The connection to ${this.url} was closed by the application.`, {
        details: { url: this.url },
      }),
    );
    try {
      this.#socket.close(code, reason);
    } catch {
      // already closing
    }
  }

  #takeId(): number {
    let id = this.#nextId;
    while (this.#pending.has(id)) id = (id % MAX_REQUEST_ID) + 1;
    this.#nextId = (id % MAX_REQUEST_ID) + 1;
    return id;
  }

  #send(frame: object): void {
    if (this.#socket.readyState !== OPEN) return;
    this.#socket.send(JSON.stringify(frame));
    this.#lastSent = this.#options.clock.now();
  }

  #onMessage(data: unknown): void {
    if (this.#closed) return;
    this.#lastReceived = this.#options.clock.now();
    const frame = parseServerFrame(data);
    if (frame.kind === 'invalid') {
      // A frame we cannot read is the server's bug or a newer protocol; one bad frame does not end the session.
      this.#options.logger.warn({ url: this.url, problem: frame.problem }, 'ignored a CTI frame the SDK cannot read');
      return;
    }
    switch (frame.kind) {
      case 'ping':
        this.#send({ kind: 'pong', nonce: frame.nonce });
        return;
      case 'pong':
        return;
      case 'response': {
        const pending = this.#pending.get(frame.id);
        if (pending === undefined) return; // timed out or aborted: the caller has already been told
        pending.cleanup();
        if ('error' in frame) {
          pending.reject(errorFromWire(frame.error, pending.method));
          return;
        }
        const problem = resultProblem(pending.method, frame.result);
        if (problem !== undefined) {
          pending.reject(protocolViolation(`the result of ${pending.method} is malformed (${problem})`));
          return;
        }
        try {
          pending.onResult?.(frame.result as never);
        } catch (err) {
          pending.reject(err);
          return;
        }
        pending.resolve(frame.result);
        return;
      }
      case 'error':
        this.#options.logger.warn(
          { url: this.url, code: frame.error.code, message: frame.error.message },
          'the CTI server reported an error not tied to a request',
        );
        return;
      case 'events':
      case 'resync':
        this.#options.onPush(frame);
        return;
    }
  }

  /** One timer for both directions, due at whichever comes first: our ping or the peer's deadline. */
  #scheduleKeepAlive(): void {
    if (this.#closed || this.#keepAliveMs <= 0) return;
    const { clock } = this.#options;
    const pingDue = this.#lastSent + this.#keepAliveMs;
    const deadDue = this.#lastReceived + 2 * this.#keepAliveMs;
    const delay = Math.max(0, Math.min(pingDue, deadDue) - clock.now());
    this.#keepAliveTimer = clock.setTimer(delay, () => this.#keepAliveTick());
  }

  #keepAliveTick(): void {
    if (this.#closed) return;
    const now = this.#options.clock.now();
    if (now - this.#lastReceived >= 2 * this.#keepAliveMs) {
      // The spec's rule for both sides: nothing received for two intervals means the peer is gone.
      const error = new ConnectionLostError(
        `The CTI server at ${this.url} sent nothing for ${2 * this.#keepAliveMs} ms (two keep-alive intervals); the SDK treats it as gone and reconnects.`,
        { details: { url: this.url, keepAliveMs: this.#keepAliveMs } },
      );
      try {
        this.#socket.close(1001, 'keep-alive timeout');
      } catch {
        // closing a dead socket may throw; it is abandoned either way
      }
      this.#lose(error);
      return;
    }
    if (now - this.#lastSent >= this.#keepAliveMs) this.#send({ kind: 'ping', nonce: this.#nextNonce++ });
    this.#scheduleKeepAlive();
  }

  #lose(error: CtiError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#keepAliveTimer?.cancel();
    this.#failPending(error);
    this.#options.onLost(error);
  }

  #failPending(error: CtiError): void {
    for (const pending of [...this.#pending.values()]) {
      pending.cleanup();
      pending.reject(error);
    }
  }
}
