import type { Clock } from '../../core/index.js';
import { createResponse, type SipRequest, type SipResponse } from '../message/index.js';
import { TransactionMachine, type TimerSettings, type TransitionTable } from './transaction-base.js';

/** How a server transaction reaches the network and tells its TU about trouble. */
export interface ServerTransactionContext {
  clock: Clock;
  timers: TimerSettings;
  reliable: boolean;
  send(response: SipResponse): Promise<void>;
  /** Timer H fired: the ACK for our non-2xx final response never came (§17.2.1). */
  onTimeout?(): void;
  onTransportError?(error: unknown): void;
  /** An ACK that arrived in the Accepted state: it acknowledges a 2xx, so it belongs to the TU (RFC 6026 §7.1). */
  onAckFor2xx?(ack: SipRequest): void;
}

type ResponseInput = '1xx' | '2xx' | '300-699';

function classify(status: number): ResponseInput {
  if (status < 200) return '1xx';
  if (status < 300) return '2xx';
  return '300-699';
}

// ---------------------------------------------------------------------------------------------------
// INVITE server transaction: RFC 3261 §17.2.1, Figure 7, with RFC 6026 §7.1 (Accepted, Timer L).

export type InviteServerState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';
type InviteServerInput =
  | ResponseInput
  | 'statelessFinal'
  | 'request'
  | 'ack'
  | 'timer100'
  | 'timerG'
  | 'timerH'
  | 'timerI'
  | 'timerL'
  | 'transportError';

const inviteServerTable: TransitionTable<InviteServerState, InviteServerInput> = {
  Proceeding: {
    request: 'Proceeding', // §17.2.1: a retransmitted INVITE gets the last provisional again
    timer100: 'Proceeding', // §17.2.1: 100 Trying if the TU is silent for 200 ms
    '1xx': 'Proceeding',
    '2xx': 'Accepted', // RFC 6026 §7.1
    '300-699': 'Completed',
    // §26.3.2.4 (and §8.2.6): a failed authentication is answered once, without the retransmission
    // machinery, so an unauthenticated or spoofed request holds no state and is not amplified.
    statelessFinal: 'Terminated',
    transportError: 'Terminated',
  },
  Completed: {
    request: 'Completed', // the final response again
    timerG: 'Completed', // retransmit the final response, G = min(2G, T2)
    ack: 'Confirmed',
    timerH: 'Terminated', // no ACK: tell the TU
    transportError: 'Terminated',
  },
  Confirmed: {
    request: 'Confirmed', // absorbed
    ack: 'Confirmed', // absorbed
    timerI: 'Terminated',
  },
  Accepted: {
    request: 'Accepted', // RFC 6026 §7.1: INVITE retransmissions absorbed; the TU retransmits the 2xx itself
    '2xx': 'Accepted', // the TU's 2xx retransmissions pass through
    ack: 'Accepted', // passed to the TU
    timerL: 'Terminated',
  },
  Terminated: {},
};

export class InviteServerTransaction extends TransactionMachine<InviteServerState, InviteServerInput> {
  readonly method: string;
  readonly callId: string;
  readonly #context: ServerTransactionContext;
  #request: SipRequest | undefined;
  #lastResponse: SipResponse | undefined;
  #intervalG: number;

  constructor(request: SipRequest, context: ServerTransactionContext) {
    super('Proceeding', inviteServerTable, context.clock);
    this.#request = request;
    this.method = request.method;
    this.callId = request.callId;
    this.#context = context;
    this.#intervalG = context.timers.t1;
    this.startTimer('100', 200, () => {
      if (this.#lastResponse !== undefined || !this.accepts('timer100')) return;
      this.transition('timer100');
      this.#transmit(createResponse(this.request, 100));
    });
  }

  protected get terminatedState(): InviteServerState {
    return 'Terminated';
  }

  /** The INVITE, until a final response is sent; the transaction does not need it after that. */
  get request(): SipRequest {
    if (this.#request === undefined) throw new Error(`the ${this.method} of ${this.callId} was answered and let go`);
    return this.#request;
  }

  get lastResponse(): SipResponse | undefined {
    return this.#lastResponse;
  }

  /** The TU sends a response through the transaction. */
  respond(response: SipResponse): void {
    const input = classify(response.status);
    if (!this.accepts(input)) {
      throw new Error(`cannot send ${response.status} in INVITE server transaction state ${this.state}`);
    }
    const { from } = this.transition(input);
    this.cancelTimer('100');
    this.#transmit(response);
    if (input === '2xx' && from !== 'Accepted') {
      this.startTimer('L', 64 * this.#context.timers.t1, () => this.#fire('timerL'));
    } else if (input === '300-699') {
      if (!this.#context.reliable) this.startTimer('G', this.#intervalG, () => this.#timerG());
      this.startTimer('H', 64 * this.#context.timers.t1, () => {
        if (!this.accepts('timerH')) return;
        this.transition('timerH');
        this.#context.onTimeout?.();
      });
    }
  }

  /**
   * Sends one final non-2xx response and ends at once (§26.3.2.4): no retransmission, no Timer H, and
   * a retransmitted request or the ACK then matches nothing and is handled as new.
   */
  respondStatelessly(response: SipResponse): void {
    if (response.status < 300 || !this.accepts('statelessFinal')) {
      throw new Error(`cannot answer ${response.status} statelessly in INVITE server transaction state ${this.state}`);
    }
    this.cancelTimer('100');
    this.#context.send(response).catch(() => undefined);
    this.transition('statelessFinal');
  }

  /** A retransmission of the INVITE arrived. */
  receiveRequest(): void {
    if (!this.accepts('request')) return;
    this.transition('request');
    if (this.state !== 'Accepted' && this.state !== 'Confirmed' && this.#lastResponse !== undefined) {
      this.#transmit(this.#lastResponse);
    }
  }

  receiveAck(ack: SipRequest): void {
    if (!this.accepts('ack')) return;
    const { from, to } = this.transition('ack');
    if (to === 'Accepted') {
      this.#context.onAckFor2xx?.(ack);
    } else if (from === 'Completed') {
      this.cancelTimer('G');
      this.cancelTimer('H');
      this.#lastResponse = undefined; // Confirmed only absorbs: nothing is sent again
      // §17.2.1: Timer I = T4 for unreliable transports, zero for reliable ones.
      this.startTimer('I', this.#context.reliable ? 0 : this.#context.timers.t4, () => this.#fire('timerI'));
    }
  }

  transportError(error: unknown): void {
    if (!this.accepts('transportError')) return;
    this.transition('transportError');
    this.#context.onTransportError?.(error);
  }

  #timerG(): void {
    if (!this.accepts('timerG') || this.#lastResponse === undefined) return;
    this.transition('timerG');
    this.#transmit(this.#lastResponse);
    this.#intervalG = Math.min(2 * this.#intervalG, this.#context.timers.t2);
    this.startTimer('G', this.#intervalG, () => this.#timerG());
  }

  #fire(input: 'timerI' | 'timerL'): void {
    if (this.accepts(input)) this.transition(input);
  }

  #transmit(response: SipResponse): void {
    this.#lastResponse = response;
    this.#context.send(response).catch((error: unknown) => this.transportError(error));
    // The transaction lives on for up to 32 s after its final response (Timer H/L) while thousands of
    // others do too, so it keeps only what it may send again: a non-2xx response (until its ACK);
    // never the INVITE, and never a 2xx, which the TU retransmits itself (RFC 6026 §7.1).
    if (response.status >= 200) {
      this.#request = undefined;
      if (response.status < 300) this.#lastResponse = undefined;
      else response.compact();
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Non-INVITE server transaction: RFC 3261 §17.2.2, Figure 8.

export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';
type NonInviteServerInput = '1xx' | '200-699' | 'statelessFinal' | 'request' | 'timerJ' | 'transportError';

const nonInviteServerTable: TransitionTable<NonInviteServerState, NonInviteServerInput> = {
  Trying: {
    request: 'Trying', // §17.2.2: retransmissions before any response are discarded
    '1xx': 'Proceeding',
    '200-699': 'Completed',
    statelessFinal: 'Terminated', // §26.3.2.4: one answer to a failed authentication, no Timer J
    transportError: 'Terminated',
  },
  Proceeding: {
    request: 'Proceeding', // the last provisional again
    '1xx': 'Proceeding',
    '200-699': 'Completed',
    transportError: 'Terminated',
  },
  Completed: {
    request: 'Completed', // the final response again
    timerJ: 'Terminated',
    transportError: 'Terminated',
  },
  Terminated: {},
};

export class NonInviteServerTransaction extends TransactionMachine<NonInviteServerState, NonInviteServerInput> {
  readonly method: string;
  readonly callId: string;
  readonly #context: ServerTransactionContext;
  #request: SipRequest | undefined;
  #lastResponse: SipResponse | undefined;

  constructor(request: SipRequest, context: ServerTransactionContext) {
    super('Trying', nonInviteServerTable, context.clock);
    this.#request = request;
    this.method = request.method;
    this.callId = request.callId;
    this.#context = context;
  }

  protected get terminatedState(): NonInviteServerState {
    return 'Terminated';
  }

  /** The request, until the final response is sent; the transaction does not need it after that. */
  get request(): SipRequest {
    if (this.#request === undefined) throw new Error(`the ${this.method} of ${this.callId} was answered and let go`);
    return this.#request;
  }

  get lastResponse(): SipResponse | undefined {
    return this.#lastResponse;
  }

  respond(response: SipResponse): void {
    const input = response.status < 200 ? '1xx' : '200-699';
    if (!this.accepts(input)) {
      throw new Error(`cannot send ${response.status} in non-INVITE server transaction state ${this.state}`);
    }
    this.transition(input);
    this.#transmit(response);
    if (input === '200-699') {
      // §17.2.2: Timer J = 64*T1 on unreliable transports (absorbs retransmissions), zero otherwise.
      this.startTimer('J', this.#context.reliable ? 0 : 64 * this.#context.timers.t1, () => {
        if (this.accepts('timerJ')) this.transition('timerJ');
      });
    }
  }

  receiveRequest(): void {
    if (!this.accepts('request')) return;
    this.transition('request');
    if (this.#lastResponse !== undefined) this.#transmit(this.#lastResponse);
  }

  /** One final non-2xx response and the end at once (§26.3.2.4); a retransmission is then handled as new. */
  respondStatelessly(response: SipResponse): void {
    if (response.status < 300 || !this.accepts('statelessFinal')) {
      throw new Error(
        `cannot answer ${response.status} statelessly in non-INVITE server transaction state ${this.state}`,
      );
    }
    this.#context.send(response).catch(() => undefined);
    this.transition('statelessFinal');
  }

  transportError(error: unknown): void {
    if (!this.accepts('transportError')) return;
    this.transition('transportError');
    this.#context.onTransportError?.(error);
  }

  #transmit(response: SipResponse): void {
    this.#lastResponse = response;
    this.#context.send(response).catch((error: unknown) => this.transportError(error));
    // Completed, the transaction lives 32 s more (Timer J) only to answer retransmissions with this
    // response: the request is let go, and the response keeps little more than its text.
    if (response.status >= 200) {
      this.#request = undefined;
      response.compact();
    }
  }
}

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
