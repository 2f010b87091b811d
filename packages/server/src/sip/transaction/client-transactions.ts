import type { Clock } from '../../core/index.js';
import { SipRequest, type SipResponse } from '../message/index.js';
import { TransactionMachine, type TimerSettings, type TransitionTable } from './transaction-base.js';

/** How a client transaction reaches the network and its transaction user (TU). */
export interface ClientTransactionContext {
  clock: Clock;
  timers: TimerSettings;
  reliable: boolean;
  send(message: SipRequest): Promise<void>;
  /** Provisional and final responses, and (INVITE) 2xx retransmissions while Accepted. */
  onResponse(response: SipResponse): void;
  /** Timer B or F fired without a final response. */
  onTimeout(): void;
  onTransportError(error: unknown): void;
}

type ResponseInput = '1xx' | '2xx' | '300-699';

function classify(status: number): ResponseInput {
  if (status < 200) return '1xx';
  if (status < 300) return '2xx';
  return '300-699';
}

// ---------------------------------------------------------------------------------------------------
// INVITE client transaction: RFC 3261 §17.1.1, Figure 5, as corrected by RFC 6026 §8.4 (Accepted).

export type InviteClientState = 'Calling' | 'Proceeding' | 'Accepted' | 'Completed' | 'Terminated';
type InviteClientInput = ResponseInput | 'timerA' | 'timerB' | 'timerD' | 'timerM' | 'transportError';

const inviteClientTable: TransitionTable<InviteClientState, InviteClientInput> = {
  Calling: {
    timerA: 'Calling', // §17.1.1.2: retransmit, double A
    timerB: 'Terminated', // §17.1.1.2: timeout reported to the TU
    '1xx': 'Proceeding',
    '2xx': 'Accepted', // RFC 6026 §8.4
    '300-699': 'Completed', // §17.1.1.2: ACK sent, response passed up
    transportError: 'Terminated', // §17.1.4
  },
  Proceeding: {
    '1xx': 'Proceeding',
    '2xx': 'Accepted',
    '300-699': 'Completed',
    transportError: 'Terminated',
  },
  Completed: {
    '300-699': 'Completed', // retransmitted final: ACK again, not passed up
    timerD: 'Terminated',
    transportError: 'Terminated',
  },
  Accepted: {
    '2xx': 'Accepted', // RFC 6026 §8.4: 2xx retransmissions go to the TU, which re-ACKs
    '1xx': 'Accepted', // a late provisional is absorbed
    timerM: 'Terminated',
  },
  Terminated: {},
};

export class InviteClientTransaction extends TransactionMachine<InviteClientState, InviteClientInput> {
  readonly method: string;
  readonly callId: string;
  readonly #context: ClientTransactionContext;
  /** Kept while it may be sent again or ACKed (non-2xx); let go once a 2xx makes it the TU's business. */
  #request: SipRequest | undefined;
  #intervalA: number;

  constructor(request: SipRequest, context: ClientTransactionContext) {
    super('Calling', inviteClientTable, context.clock);
    this.#request = request;
    this.method = request.method;
    this.callId = request.callId;
    this.#context = context;
    this.#intervalA = context.timers.t1;
  }

  protected get terminatedState(): InviteClientState {
    return 'Terminated';
  }

  get request(): SipRequest {
    if (this.#request === undefined) throw new Error(`the ${this.method} of ${this.callId} was answered and let go`);
    return this.#request;
  }

  start(): void {
    this.#send(this.request);
    if (!this.#context.reliable) this.startTimer('A', this.#intervalA, () => this.#timerA());
    this.startTimer('B', 64 * this.#context.timers.t1, () => this.#timerB());
  }

  receive(response: SipResponse): void {
    const input = classify(response.status);
    if (!this.accepts(input)) return;
    const { from } = this.transition(input);
    this.cancelTimer('A');
    this.cancelTimer('B');
    if (input === '1xx') {
      if (from !== 'Accepted') this.#context.onResponse(response);
    } else if (input === '2xx') {
      // RFC 6026 §8.4: in Accepted the transaction only passes 2xx retransmissions up; the INVITE
      // itself is the TU's (it holds it for the dialog's life) and is not kept here for 32 s more.
      this.#request = undefined;
      this.#context.onResponse(response);
      if (from !== 'Accepted') this.startTimer('M', 64 * this.#context.timers.t1, () => this.#fire('timerM'));
    } else {
      // §17.1.1.3: the transaction itself ACKs a non-2xx final response, every time it arrives.
      this.#send(buildNon2xxAck(this.request, response));
      if (from !== 'Completed') {
        this.#context.onResponse(response);
        this.startTimer('D', this.#context.reliable ? 0 : this.#context.timers.d, () => this.#fire('timerD'));
      }
    }
  }

  /** A transport failure reported by the layer for a message this transaction sent. */
  transportError(error: unknown): void {
    if (!this.accepts('transportError')) return;
    this.transition('transportError');
    this.#context.onTransportError(error);
  }

  #timerA(): void {
    if (!this.accepts('timerA')) return;
    this.transition('timerA');
    this.#send(this.request);
    this.#intervalA *= 2;
    this.startTimer('A', this.#intervalA, () => this.#timerA());
  }

  #timerB(): void {
    if (!this.accepts('timerB')) return;
    this.transition('timerB');
    this.#context.onTimeout();
  }

  #fire(input: 'timerD' | 'timerM'): void {
    if (this.accepts(input)) this.transition(input);
  }

  #send(message: SipRequest): void {
    this.#context.send(message).catch((error: unknown) => this.transportError(error));
  }
}

/**
 * The ACK for a non-2xx final response (§17.1.1.3): same Request-URI, Call-ID, From, top Via and CSeq
 * number as the INVITE, the To of the response, and the INVITE's Route headers.
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = [
    { name: 'Via', value: invite.getHeaders('Via')[0] ?? '' },
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: invite.getHeader('From') ?? '' },
    { name: 'To', value: response.getHeader('To') ?? '' },
    { name: 'Call-ID', value: invite.getHeader('Call-ID') ?? '' },
    { name: 'CSeq', value: `${invite.cseq.seq} ACK` },
    ...invite.getHeaders('Route').map((value) => ({ name: 'Route', value })),
  ];
  return new SipRequest({ method: 'ACK', uri: invite.uri, headers });
}

// ---------------------------------------------------------------------------------------------------
// Non-INVITE client transaction: RFC 3261 §17.1.2, Figure 6.

export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';
type NonInviteClientInput = '1xx' | '200-699' | 'timerE' | 'timerF' | 'timerK' | 'transportError';

const nonInviteClientTable: TransitionTable<NonInviteClientState, NonInviteClientInput> = {
  Trying: {
    timerE: 'Trying', // §17.1.2.2: retransmit, E = min(2E, T2)
    timerF: 'Terminated', // timeout
    '1xx': 'Proceeding',
    '200-699': 'Completed',
    transportError: 'Terminated',
  },
  Proceeding: {
    timerE: 'Proceeding', // retransmit every T2
    timerF: 'Terminated',
    '1xx': 'Proceeding',
    '200-699': 'Completed',
    transportError: 'Terminated',
  },
  Completed: {
    '1xx': 'Completed', // retransmissions absorbed
    '200-699': 'Completed',
    timerK: 'Terminated',
  },
  Terminated: {},
};

export class NonInviteClientTransaction extends TransactionMachine<NonInviteClientState, NonInviteClientInput> {
  readonly method: string;
  readonly callId: string;
  readonly #context: ClientTransactionContext;
  /** Kept while it may be sent again; let go once a final response completes the transaction. */
  #request: SipRequest | undefined;
  #intervalE: number;

  constructor(request: SipRequest, context: ClientTransactionContext) {
    super('Trying', nonInviteClientTable, context.clock);
    this.#request = request;
    this.method = request.method;
    this.callId = request.callId;
    this.#context = context;
    this.#intervalE = context.timers.t1;
  }

  protected get terminatedState(): NonInviteClientState {
    return 'Terminated';
  }

  get request(): SipRequest {
    if (this.#request === undefined) throw new Error(`the ${this.method} of ${this.callId} was answered and let go`);
    return this.#request;
  }

  start(): void {
    this.#send();
    if (!this.#context.reliable) this.startTimer('E', this.#intervalE, () => this.#timerE());
    this.startTimer('F', 64 * this.#context.timers.t1, () => this.#timerF());
  }

  receive(response: SipResponse): void {
    const input = response.status < 200 ? '1xx' : '200-699';
    if (!this.accepts(input)) return;
    const { from } = this.transition(input);
    if (from === 'Completed') return;
    if (input === '200-699') {
      this.#request = undefined; // Completed only absorbs retransmitted responses
      this.cancelTimer('E');
      this.cancelTimer('F');
      // §17.1.2.2: Timer K = T4 on unreliable transports, zero on reliable ones.
      this.startTimer('K', this.#context.reliable ? 0 : this.#context.timers.t4, () => {
        if (this.accepts('timerK')) this.transition('timerK');
      });
    }
    this.#context.onResponse(response);
  }

  transportError(error: unknown): void {
    if (!this.accepts('transportError')) return;
    this.transition('transportError');
    this.#context.onTransportError(error);
  }

  #timerE(): void {
    if (!this.accepts('timerE')) return;
    const { to } = this.transition('timerE');
    this.#send();
    this.#intervalE =
      to === 'Proceeding' ? this.#context.timers.t2 : Math.min(2 * this.#intervalE, this.#context.timers.t2);
    this.startTimer('E', this.#intervalE, () => this.#timerE());
  }

  #timerF(): void {
    if (!this.accepts('timerF')) return;
    this.transition('timerF');
    this.#context.onTimeout();
  }

  #send(): void {
    this.#context.send(this.request).catch((error: unknown) => this.transportError(error));
  }
}
