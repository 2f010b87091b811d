import type { Clock, Logger } from '../../core/index.js';
import { ErrorCode, StrowgerError, silentLogger } from '../../core/index.js';
import {
  createResponse,
  formatNameAddress,
  generateBranch,
  generateCallId,
  generateTag,
  SipRequest,
  type HeaderField,
  type NameAddress,
  type SipResponse,
  type Uri,
} from '../message/index.js';
import { formatHost, isSipUri } from '../message/index.js';
import type { IncomingSource, SendTarget, SipTransport, TransportProtocol } from '../transport/index.js';
import {
  TransactionLayer,
  type ServerTransaction,
  type TimerSettings,
  InviteServerTransaction,
} from '../transaction/index.js';
import { IncomingRequest } from './incoming-request.js';

export interface SipUserAgentOptions {
  transport: SipTransport;
  clock: Clock;
  logger?: Logger;
  timers?: Partial<TimerSettings>;
  /** Sent as User-Agent on requests and Server on responses; empty leaves both out (RFC 3261 §20.35, §20.41). */
  userAgentHeader?: string;
  /** Extensions we support (Supported header; a Require outside it gets 420). */
  supported?: string[];
  /** Methods we answer, for Allow and for telling 405 from 501. */
  allow?: string[];
}

export interface CreateRequestOptions {
  method: string;
  uri: Uri;
  from: NameAddress;
  to: NameAddress;
  callId?: string;
  cseq?: number;
  contact?: NameAddress;
  headers?: HeaderField[];
  body?: Uint8Array;
  protocol?: TransportProtocol;
  /** Our address the target reached us on (see `SipTransport.sentBy`): the Via names it. */
  localAddress?: string;
}

const mergedRequestWindowMs = 32_000;

/**
 * The user-agent core over the transaction layer: the small facade the registrar and the B2BUA use.
 * It answers what RFC 3261 §8.2 asks a UAS to answer before the application sees a request (420, 416,
 * 482), handles CANCEL (§9.2), and sends requests with a promise for the final response.
 */
export class SipUserAgent {
  readonly transactions: TransactionLayer;
  readonly #transport: SipTransport;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #userAgent: string;
  readonly #supported: Set<string>;
  readonly #allow: string[];
  #handler: ((incoming: IncomingRequest) => void) | undefined;
  readonly #invites = new Map<InviteServerTransaction, IncomingRequest>();
  /** From tag + Call-ID + CSeq → branch key of requests seen recently, for merged-request detection. */
  readonly #recent = new Map<string, { branch: string; at: number }>();

  constructor(options: SipUserAgentOptions) {
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'sip-ua' });
    this.#userAgent = options.userAgentHeader ?? 'Strowger';
    this.#supported = new Set((options.supported ?? []).map((option) => option.toLowerCase()));
    this.#allow = options.allow ?? ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER'];
    this.transactions = new TransactionLayer({
      transport: options.transport,
      clock: options.clock,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      logger: this.#logger,
    });
    this.transactions.events.on('request', ({ transaction, source }) => this.#onRequest(transaction, source));
    this.transactions.events.on('cancel', ({ transaction, target }) => {
      const invite = target === undefined ? undefined : this.#invites.get(target);
      const response = createResponse(transaction.request, invite === undefined ? 481 : 200);
      transaction.respond(response);
      invite?.cancel();
    });
  }

  /** The transport below, for the sent-by of in-dialog requests and for reliability checks. */
  get transport(): SipTransport {
    return this.#transport;
  }

  get allow(): readonly string[] {
    return this.#allow;
  }

  /**
   * Headers every response carries: Server, unless configured empty (RFC 3261 §26.4: naming the
   * software and its version helps an attacker pick an exploit). Allow on 405/OPTIONS is added by callers.
   */
  get serverHeaders(): HeaderField[] {
    return this.#userAgent === '' ? [] : [{ name: 'Server', value: this.#userAgent }];
  }

  onRequest(handler: (incoming: IncomingRequest) => void): void {
    this.#handler = handler;
  }

  /** Builds a new out-of-dialog request with Via, Max-Forwards, tags, Call-ID and CSeq filled (§8.1.1). */
  createRequest(options: CreateRequestOptions): SipRequest {
    const protocol = options.protocol ?? 'udp';
    const sentBy = this.#transport.sentBy(protocol, options.localAddress);
    const from = { ...options.from, params: new Map(options.from.params) };
    if (!from.params.has('tag')) from.params.set('tag', generateTag());
    const headers: HeaderField[] = [
      {
        name: 'Via',
        value: `SIP/2.0/${protocol.toUpperCase()} ${formatHost(sentBy.host)}:${sentBy.port};branch=${generateBranch()};rport`,
      },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: formatNameAddress(from) },
      { name: 'To', value: formatNameAddress(options.to) },
      { name: 'Call-ID', value: options.callId ?? generateCallId() },
      { name: 'CSeq', value: `${options.cseq ?? 1} ${options.method}` },
      ...(this.#userAgent === '' ? [] : [{ name: 'User-Agent', value: this.#userAgent }]),
    ];
    if (options.contact !== undefined) headers.push({ name: 'Contact', value: formatNameAddress(options.contact) });
    headers.push(...(options.headers ?? []));
    return new SipRequest({
      method: options.method,
      uri: options.uri,
      headers,
      ...(options.body ? { body: options.body } : {}),
    });
  }

  /**
   * Sends a request in a client transaction and resolves with its final response. Provisional
   * responses go to `onProvisional`. Aborting an INVITE sends CANCEL once a provisional has arrived
   * (§9.1) and the promise then resolves with the 487.
   */
  sendRequest(
    request: SipRequest,
    options: {
      target: SendTarget;
      signal?: AbortSignal;
      onProvisional?: (response: SipResponse) => void;
      /** INVITE: a 2xx after the first (a retransmission, or another fork); the TU ACKs it again (§13.2.2.4). */
      onRetransmitted2xx?: (response: SipResponse) => void;
    },
  ): Promise<SipResponse> {
    return new Promise((resolve, reject) => {
      let provisional = false;
      let cancelSent = false;
      let settled = false;
      // Only CANCEL needs the request once it is sent; a settled request is let go (see finish).
      let cancellable: SipRequest | undefined = request;
      const sendCancel = () => {
        if (cancelSent || !provisional || settled || cancellable === undefined) return;
        cancelSent = true;
        const cancel = buildCancel(cancellable);
        this.transactions.sendRequest(cancel, options.target, {
          onResponse: () => undefined,
          onTimeout: () => undefined,
          onTransportError: () => undefined,
        });
      };
      const abort = () => sendCancel();
      options.signal?.addEventListener('abort', abort, { once: true });
      const finish = () => {
        settled = true;
        cancellable = undefined;
        options.signal?.removeEventListener('abort', abort);
      };
      this.transactions.sendRequest(request, options.target, {
        onResponse: (response) => {
          if (response.status < 200) {
            provisional = true;
            options.onProvisional?.(response);
            if (options.signal?.aborted === true) sendCancel();
            return;
          }
          if (settled) {
            if (response.status < 300) options.onRetransmitted2xx?.(response);
            return;
          }
          finish();
          resolve(response);
        },
        onTimeout: () => {
          if (settled) return;
          finish();
          reject(
            new StrowgerError(
              ErrorCode.SipTimeout,
              `no final response to ${request.method} from ${options.target.address}:${options.target.port} (Timer B/F)`,
            ),
          );
        },
        onTransportError: (error) => {
          if (settled) return;
          finish();
          reject(
            new StrowgerError(
              ErrorCode.SipTransportError,
              `${request.method} to ${options.target.address}:${options.target.port} could not be sent`,
              {
                cause: error,
              },
            ),
          );
        },
      });
    });
  }

  close(): void {
    this.transactions.close();
    this.#invites.clear();
    this.#recent.clear();
  }

  #onRequest(transaction: ServerTransaction, source: IncomingSource): void {
    // An INVITE is matched to CANCELs only until it is answered (§9.2: a CANCEL after the final
    // response changes nothing), so the UA does not keep it for the 32 s its transaction lives on.
    const incoming = new IncomingRequest(
      transaction,
      source,
      () => this.serverHeaders,
      transaction instanceof InviteServerTransaction ? () => this.#invites.delete(transaction) : undefined,
    );
    const request = transaction.request;
    if (transaction instanceof InviteServerTransaction) {
      this.#invites.set(transaction, incoming);
      transaction.onTerminated(() => this.#invites.delete(transaction));
    }
    try {
      const refusal = this.#precheck(request);
      if (refusal !== undefined) {
        incoming.respond(refusal.status, refusal.reason, { headers: refusal.headers ?? [] });
        return;
      }
    } catch (error) {
      this.#logger.debug({ err: error }, 'request failed the UAS checks');
      incoming.respond(400, 'Bad Request');
      return;
    }
    if (this.#handler === undefined) {
      const known = this.#allow.includes(request.method);
      incoming.respond(known ? 405 : 501, undefined, {
        headers: [{ name: 'Allow', value: this.#allow.join(', ') }],
      });
      return;
    }
    try {
      this.#handler(incoming);
    } catch (error) {
      this.#logger.error({ err: error, method: request.method }, 'request handler threw; answering 500');
      if (!incoming.answered) incoming.respond(500, 'Server Internal Error');
    }
  }

  /**
   * The checks of RFC 3261 §8.2.1–8.2.2 that come before the application. Max-Forwards is not among
   * them: a UAS processes a request whose Max-Forwards is 0 (RFC 4475 §3.3.11); only forwarding it is
   * refused with 483, and that is the decision of whoever would forward.
   */
  #precheck(request: SipRequest): { status: number; reason?: string; headers?: HeaderField[] } | undefined {
    if (!(isSipUri(request.uri) || request.uri.scheme === 'tel')) {
      return { status: 416, reason: `Unsupported URI Scheme - ${request.uri.scheme}` };
    }
    if (!request.to.params.has('tag')) {
      // §8.2.2.2: a request with our earlier From tag, Call-ID and CSeq on another branch was forked to us twice.
      const key = `${request.from.params.get('tag') ?? ''}|${request.callId}|${request.cseq.seq}|${request.method}`;
      const branch = `${request.topVia.params.get('branch') ?? ''}|${request.topVia.host}`;
      const now = this.#clock.now();
      for (const [k, v] of this.#recent) {
        if (now - v.at <= mergedRequestWindowMs) break;
        this.#recent.delete(k);
      }
      const seen = this.#recent.get(key);
      if (seen !== undefined && seen.branch !== branch && now - seen.at <= mergedRequestWindowMs)
        return { status: 482 };
      this.#recent.delete(key);
      this.#recent.set(key, { branch, at: now });
    }
    const required = request
      .getList('Require')
      // Option tags compare case-insensitively; Unsupported echoes them as the request spelled them.
      .filter((option) => !this.#supported.has(option.toLowerCase()));
    if (required.length > 0 && request.method !== 'CANCEL' && request.method !== 'ACK') {
      return { status: 420, headers: [{ name: 'Unsupported', value: required.join(', ') }] };
    }
    return undefined;
  }
}

/** CANCEL per §9.1: same Request-URI, Call-ID, From, To, top Via (branch) and CSeq number as the INVITE. */
export function buildCancel(invite: SipRequest): SipRequest {
  return new SipRequest({
    method: 'CANCEL',
    uri: invite.uri,
    headers: [
      { name: 'Via', value: invite.getHeaders('Via')[0] ?? '' },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: invite.getHeader('From') ?? '' },
      { name: 'To', value: invite.getHeader('To') ?? '' },
      { name: 'Call-ID', value: invite.getHeader('Call-ID') ?? '' },
      { name: 'CSeq', value: `${invite.cseq.seq} CANCEL` },
      ...invite.getHeaders('Route').map((value) => ({ name: 'Route', value })),
    ],
  });
}
