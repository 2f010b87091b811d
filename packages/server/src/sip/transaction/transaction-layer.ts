import type { Clock, Logger } from '../../core/index.js';
import { TypedEmitter, silentLogger } from '../../core/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { IncomingSource, SendTarget, SipTransport } from '../transport/index.js';
import { InviteClientTransaction, NonInviteClientTransaction } from './client-transactions.js';
import { InviteServerTransaction, NonInviteServerTransaction, type ServerTransaction } from './server-transactions.js';
import { defaultTimerSettings, type TimerSettings } from './transaction-base.js';
import { clientKey, serverKey } from './transaction-keys.js';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

export interface TransactionLayerEvents extends Record<string, unknown> {
  /** A request that created a new server transaction (not ACK, not CANCEL). */
  request: { transaction: ServerTransaction; source: IncomingSource };
  /** A CANCEL, with its own transaction and the INVITE server transaction it targets, if any (§9.2). */
  cancel: {
    transaction: NonInviteServerTransaction;
    target: InviteServerTransaction | undefined;
    source: IncomingSource;
  };
  /** An ACK that matched no transaction, or arrived in Accepted: it acknowledges a 2xx (§17.2.3, RFC 6026). */
  ack: { request: SipRequest; source: IncomingSource };
  /** A response that matched no client transaction, e.g. a 2xx retransmission after Timer M. */
  strayResponse: { response: SipResponse; source: IncomingSource };
  /** A non-2xx final response's ACK never came (Timer H). */
  serverTimeout: { transaction: InviteServerTransaction };
}

export interface ClientRequestCallbacks {
  onResponse(response: SipResponse): void;
  onTimeout(): void;
  onTransportError(error: unknown): void;
}

/**
 * RFC 3261 §17's transaction layer: matches incoming messages to client and server transactions,
 * creates server transactions for new requests, and hands everything else to the TU as events.
 */
export class TransactionLayer {
  readonly events: TypedEmitter<TransactionLayerEvents>;
  readonly #transport: SipTransport;
  readonly #clock: Clock;
  readonly #timers: TimerSettings;
  readonly #logger: Logger;
  readonly #servers = new Map<string, ServerTransaction>();
  readonly #clients = new Map<string, ClientTransaction>();
  readonly #unsubscribe: Array<() => void>;

  constructor(options: { transport: SipTransport; clock: Clock; timers?: Partial<TimerSettings>; logger?: Logger }) {
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#timers = { ...defaultTimerSettings, ...options.timers };
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'sip-transaction' });
    this.events = new TypedEmitter(this.#logger);
    this.#unsubscribe = [
      this.#transport.on('request', ({ request, source }) => this.#onRequest(request, source)),
      this.#transport.on('response', ({ response, source }) => this.#onResponse(response, source)),
    ];
  }

  get timers(): TimerSettings {
    return this.#timers;
  }

  /** Live transactions; tests use it to prove that nothing is left behind. */
  get size(): { client: number; server: number } {
    return { client: this.#clients.size, server: this.#servers.size };
  }

  /** Each live transaction's side, method, state and Call-ID: what a leak report needs. */
  describeLive(): Array<{ side: 'client' | 'server'; method: string; state: string; callId: string }> {
    const describe = (side: 'client' | 'server', t: ServerTransaction | ClientTransaction) => ({
      side,
      method: t.method,
      state: t.state,
      callId: t.callId,
    });
    return [
      ...[...this.#servers.values()].map((t) => describe('server', t)),
      ...[...this.#clients.values()].map((t) => describe('client', t)),
    ];
  }

  /** Starts a client transaction for `request` towards `target` (§17.1). */
  sendRequest(request: SipRequest, target: SendTarget, callbacks: ClientRequestCallbacks): ClientTransaction {
    const key = clientKey(request);
    if (key === undefined) throw new Error('a request sent through a transaction needs a Via branch');
    const context = {
      clock: this.#clock,
      timers: this.#timers,
      reliable: this.#transport.isReliable(target.protocol),
      send: (message: SipRequest) => this.#transport.send(message, target),
      ...callbacks,
    };
    const transaction =
      request.method === 'INVITE'
        ? new InviteClientTransaction(request, context)
        : new NonInviteClientTransaction(request, context);
    this.#clients.set(key, transaction);
    transaction.onTerminated(() => this.#clients.delete(key));
    transaction.start();
    return transaction;
  }

  /** Sends a request outside any transaction: the ACK for a 2xx (§13.2.2.4) is the TU's own. */
  sendStateless(request: SipRequest, target: SendTarget): Promise<void> {
    return this.#transport.send(request, target);
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
    // Terminating clears each transaction's timers; the maps empty through onTerminated.
    for (const transaction of [...this.#servers.values(), ...this.#clients.values()]) transaction.destroy();
    this.#servers.clear();
    this.#clients.clear();
  }

  #onRequest(request: SipRequest, source: IncomingSource): void {
    let key: string;
    try {
      key = serverKey(request);
    } catch (error) {
      this.#logger.debug({ err: error }, 'request without the headers to match a transaction dropped');
      return;
    }
    const existing = this.#servers.get(key);
    if (request.method === 'ACK') {
      if (existing instanceof InviteServerTransaction) {
        existing.receiveAck(request);
      } else {
        this.events.emit('ack', { request, source });
      }
      return;
    }
    if (existing !== undefined) {
      existing.receiveRequest();
      return;
    }
    const transaction = this.#createServer(request, source, key);
    if (request.method === 'CANCEL') {
      const target = this.#servers.get(serverKey(request, 'INVITE'));
      this.events.emit('cancel', {
        transaction: transaction as NonInviteServerTransaction,
        target: target instanceof InviteServerTransaction ? target : undefined,
        source,
      });
      return;
    }
    this.events.emit('request', { transaction, source });
  }

  #createServer(request: SipRequest, source: IncomingSource, key: string): ServerTransaction {
    const context = {
      clock: this.#clock,
      timers: this.#timers,
      reliable: this.#transport.isReliable(source.protocol),
      send: (response: SipResponse) => this.#transport.sendResponse(response, source),
      onAckFor2xx: (ack: SipRequest) => this.events.emit('ack', { request: ack, source }),
    };
    const transaction: ServerTransaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(request, {
            ...context,
            onTimeout: () => this.events.emit('serverTimeout', { transaction: transaction as InviteServerTransaction }),
          })
        : new NonInviteServerTransaction(request, context);
    this.#servers.set(key, transaction);
    transaction.onTerminated(() => {
      if (this.#servers.get(key) === transaction) this.#servers.delete(key);
    });
    return transaction;
  }

  #onResponse(response: SipResponse, source: IncomingSource): void {
    let key: string | undefined;
    try {
      key = clientKey(response);
    } catch {
      key = undefined;
    }
    const transaction = key === undefined ? undefined : this.#clients.get(key);
    if (transaction === undefined) {
      this.events.emit('strayResponse', { response, source });
      return;
    }
    transaction.receive(response);
  }
}
