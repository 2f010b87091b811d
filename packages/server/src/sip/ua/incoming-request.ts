import { ErrorCode, StrowgerError } from '../../core/index.js';
import { createResponse, generateTag, type HeaderField, type SipRequest, type SipResponse } from '../message/index.js';
import type { IncomingSource } from '../transport/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { InviteServerTransaction } from '../transaction/index.js';

export interface RespondOptions {
  headers?: HeaderField[];
  body?: Uint8Array;
  /** The To tag for this dialog; one is generated for the first response above 100 when absent. */
  toTag?: string;
  /**
   * A final 3xx–6xx sent once and not kept (RFC 3261 §26.3.2.4): for answers to requests that failed
   * authentication, so that they cost no state and a spoofed source gets one packet, not eleven.
   */
  stateless?: boolean;
}

/**
 * A request as the transaction user sees it: the message, where it came from, and the one way to
 * answer it — through its server transaction, so retransmissions are handled below.
 */
export class IncomingRequest {
  readonly request: SipRequest;
  readonly source: IncomingSource;
  readonly #transaction: ServerTransaction;
  readonly #extraHeaders: () => HeaderField[];
  #toTag: string | undefined;
  #cancelListeners: Array<() => void> = [];
  #finalSent = false;
  #final2xx: SipResponse | undefined;
  readonly #onAnswered: (() => void) | undefined;

  constructor(
    transaction: ServerTransaction,
    source: IncomingSource,
    extraHeaders: () => HeaderField[],
    /** Told once a final response has been sent (the UA stops matching CANCELs to it then). */
    onAnswered?: () => void,
  ) {
    this.#transaction = transaction;
    this.request = transaction.request;
    this.source = source;
    this.#extraHeaders = extraHeaders;
    this.#onAnswered = onAnswered;
  }

  get method(): string {
    return this.request.method;
  }

  /** Whether a final response has been sent. */
  get answered(): boolean {
    return this.#finalSent;
  }

  /** The To tag used in responses (for building the UAS side of a dialog). */
  get toTag(): string | undefined {
    return this.#toTag;
  }

  /**
   * Sends a response through the server transaction. It is synchronous on purpose: the transaction
   * queues the bytes, so there is nothing to wait for, and a caller cannot leave a rejection unhandled.
   */
  respond(status: number, reason?: string, options: RespondOptions = {}): void {
    if (this.#finalSent) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `${this.request.method} was already answered; a second final response (${status}) cannot be sent`,
      );
    }
    if (status >= 200) this.#finalSent = true;
    const requestHasTag = safeHasToTag(this.request);
    if (!requestHasTag && status > 100) this.#toTag ??= options.toTag ?? generateTag();
    const response = createResponse(this.request, status, reason, {
      ...(this.#toTag === undefined || status === 100 ? {} : { toTag: this.#toTag }),
      headers: [...this.#extraHeaders(), ...(options.headers ?? [])],
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    if (status >= 200 && status < 300 && this.#transaction instanceof InviteServerTransaction)
      this.#final2xx = response;
    if (options.stateless === true) this.#transaction.respondStatelessly(response);
    else this.#transaction.respond(response);
    if (status >= 200) this.#onAnswered?.();
  }

  /**
   * Drops the request unanswered and ends its transaction at once: for a flood that must not be
   * answered at all (challenges over their rate from one source), where an answer would only be
   * reflected at whoever the source address names. The peer's retransmission is handled as new.
   */
  discard(): void {
    this.#finalSent = true;
    this.#transaction.destroy();
    this.#onAnswered?.();
  }

  /**
   * INVITE: the ACK for the 2xx arrived, so nothing will be retransmitted: the response is let go and
   * the request keeps only its text (its parsed views are made again if read).
   */
  acknowledged(): void {
    this.#final2xx = undefined;
    this.request.compact();
  }

  /**
   * INVITE: sends the 2xx again. Over an unreliable transport the UAS core retransmits its 2xx until
   * the ACK arrives (§13.3.1.4); the transaction passes it through while Accepted (RFC 6026 §7.1).
   * Returns false once there is nothing (left) to retransmit.
   */
  retransmitFinal(): boolean {
    const response = this.#final2xx;
    if (response === undefined || !(this.#transaction instanceof InviteServerTransaction)) return false;
    if (this.#transaction.state !== 'Accepted') return false;
    this.#transaction.respond(response);
    return true;
  }

  /** INVITE only: called when a matching CANCEL arrives; the core has then answered 487 already (§9.2). */
  onCancel(listener: () => void): void {
    this.#cancelListeners.push(listener);
  }

  /** The core's CANCEL handling: 487 the INVITE if it is still unanswered, then tell the listeners. */
  cancel(): boolean {
    if (!(this.#transaction instanceof InviteServerTransaction) || this.#finalSent) return false;
    this.respond(487);
    for (const listener of this.#cancelListeners) listener();
    this.#cancelListeners = [];
    return true;
  }
}

function safeHasToTag(request: SipRequest): boolean {
  try {
    return request.to.params.has('tag');
  } catch {
    return false;
  }
}
