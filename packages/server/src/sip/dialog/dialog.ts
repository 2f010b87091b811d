import {
  formatNameAddress,
  formatUri,
  generateBranch,
  isSipUri,
  SipRequest,
  type HeaderField,
  type NameAddress,
  type SipResponse,
  type Uri,
} from '../message/index.js';
import { formatHost } from '../message/index.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}|${id.localTag}|${id.remoteTag}`;
}

interface DialogInit {
  id: DialogId;
  state: DialogState;
  localSeq: number;
  remoteSeq: number | undefined;
  localUri: NameAddress;
  remoteUri: NameAddress;
  remoteTarget: Uri;
  routeSet: NameAddress[];
  secure: boolean;
}

function firstContactUri(message: SipRequest | SipResponse): Uri | undefined {
  const contact = message.contacts[0];
  return contact === undefined || 'wildcard' in contact ? undefined : contact.uri;
}

/**
 * A SIP dialog (RFC 3261 §12): the peer-to-peer relationship an INVITE sets up, with its identifier,
 * sequence numbers, route set and remote target. In-dialog requests are built here so they follow
 * the route set and CSeq rules.
 */
export class Dialog {
  readonly id: DialogId;
  #state: DialogState;
  #localSeq: number;
  #remoteSeq: number | undefined;
  readonly localUri: NameAddress;
  readonly remoteUri: NameAddress;
  #remoteTarget: Uri;
  readonly routeSet: readonly NameAddress[];
  readonly secure: boolean;

  private constructor(init: DialogInit) {
    this.id = init.id;
    this.#state = init.state;
    this.#localSeq = init.localSeq;
    this.#remoteSeq = init.remoteSeq;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.#remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.secure = init.secure;
  }

  /** §12.1.1: the UAS side, from the request and the 1xx/2xx (with To tag) we answered it with. */
  static asUas(request: SipRequest, response: SipResponse): Dialog {
    const localTag = response.to.params.get('tag');
    if (localTag === undefined || localTag === null) throw new Error('a dialog needs a To tag in the response');
    return Dialog.asUasWithTag(request, localTag, response.status < 200 ? 'early' : 'confirmed');
  }

  /** §12.1.1: the UAS side, from the request and the To tag we answered it with. */
  static asUasWithTag(request: SipRequest, localTag: string, state: DialogState): Dialog {
    const remoteTarget = firstContactUri(request);
    if (remoteTarget === undefined) throw new Error('a dialog needs the request Contact');
    return new Dialog({
      id: { callId: request.callId, localTag, remoteTag: request.from.params.get('tag') ?? '' },
      state,
      localSeq: 0,
      remoteSeq: request.cseq.seq,
      localUri: { ...request.to, params: new Map([...request.to.params, ['tag', localTag]]) },
      remoteUri: request.from,
      remoteTarget,
      routeSet: request.recordRoute, // §12.1.1: in order
      secure: isSipUri(request.uri) && request.uri.scheme === 'sips',
    });
  }

  /** §12.1.2: the UAC side, from our request and a 1xx/2xx carrying a To tag. */
  static asUac(request: SipRequest, response: SipResponse): Dialog {
    const remoteTarget = firstContactUri(response);
    const remoteTag = response.to.params.get('tag');
    if (remoteTarget === undefined || remoteTag === undefined || remoteTag === null) {
      throw new Error('a dialog needs the response Contact and To tag');
    }
    return new Dialog({
      id: { callId: request.callId, localTag: request.from.params.get('tag') ?? '', remoteTag },
      state: response.status < 200 ? 'early' : 'confirmed',
      localSeq: request.cseq.seq,
      remoteSeq: undefined,
      localUri: request.from,
      remoteUri: response.to,
      remoteTarget,
      routeSet: [...response.recordRoute].reverse(), // §12.1.2: reversed
      secure: isSipUri(request.uri) && request.uri.scheme === 'sips',
    });
  }

  get state(): DialogState {
    return this.#state;
  }

  get remoteTarget(): Uri {
    return this.#remoteTarget;
  }

  get localSeq(): number {
    return this.#localSeq;
  }

  get remoteSeq(): number | undefined {
    return this.#remoteSeq;
  }

  /** An early dialog becomes confirmed on a 2xx (§12.1). */
  confirm(): void {
    if (this.#state === 'early') this.#state = 'confirmed';
  }

  terminate(): void {
    this.#state = 'terminated';
  }

  /**
   * Builds an in-dialog request (§12.2.1.1): Request-URI and Route from the route set (loose or strict
   * routing), the dialog's tags and Call-ID, the next local CSeq — except ACK and CANCEL, which reuse
   * the INVITE's number (`cseq`).
   */
  createRequest(
    method: string,
    options: {
      sentBy: { host: string; port: number };
      protocol?: string;
      cseq?: number;
      headers?: HeaderField[];
      body?: Uint8Array;
    },
  ): SipRequest {
    if (this.#state === 'terminated') throw new Error(`the dialog is terminated; ${method} cannot be sent in it`);
    const seq = options.cseq ?? (method === 'ACK' || method === 'CANCEL' ? this.#localSeq : ++this.#localSeq);
    let uri: Uri = this.#remoteTarget;
    let routes = this.routeSet.map(formatNameAddress);
    const first = this.routeSet[0];
    if (first !== undefined && isSipUri(first.uri) && !first.uri.params.has('lr')) {
      // §12.2.1.1 strict routing: the first route becomes the Request-URI, the remote target the last route.
      uri = first.uri;
      routes = [...this.routeSet.slice(1).map(formatNameAddress), `<${formatUri(this.#remoteTarget)}>`];
    }
    const headers: HeaderField[] = [
      {
        name: 'Via',
        value: `SIP/2.0/${(options.protocol ?? 'udp').toUpperCase()} ${formatHost(options.sentBy.host)}:${options.sentBy.port};branch=${generateBranch()};rport`,
      },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: formatNameAddress(this.localUri) },
      { name: 'To', value: formatNameAddress(this.remoteUri) },
      { name: 'Call-ID', value: this.id.callId },
      { name: 'CSeq', value: `${seq} ${method}` },
      ...routes.map((value) => ({ name: 'Route', value })),
      ...(options.headers ?? []),
    ];
    return new SipRequest({ method, uri, headers, ...(options.body === undefined ? {} : { body: options.body }) });
  }

  /**
   * Checks an in-dialog request from the peer (§12.2.2): a CSeq lower than the last one is out of order
   * and gets 500; a target-refresh request (re-INVITE, UPDATE) with a Contact updates the remote target.
   */
  receiveRequest(request: SipRequest): { ok: true } | { ok: false; status: 500; reason: string } {
    const seq = request.cseq.seq;
    if (request.method !== 'ACK' && request.method !== 'CANCEL') {
      if (this.#remoteSeq !== undefined && seq < this.#remoteSeq) {
        return { ok: false, status: 500, reason: 'Server Internal Error - CSeq out of order' };
      }
      this.#remoteSeq = seq;
    }
    if (request.method === 'INVITE' || request.method === 'UPDATE') {
      const target = firstContactUri(request);
      if (target !== undefined) this.#remoteTarget = target;
    }
    return { ok: true };
  }
}

/** Dialogs by id; the UA's in-dialog requests are matched here (§12.2.2). */
export class DialogSet {
  readonly #dialogs = new Map<string, Dialog>();

  add(dialog: Dialog): void {
    this.#dialogs.set(dialogKey(dialog.id), dialog);
  }

  /** The dialog an incoming request belongs to: its To tag is our local tag, its From tag the remote one. */
  findForRequest(request: SipRequest): Dialog | undefined {
    const localTag = request.to.params.get('tag');
    const remoteTag = request.from.params.get('tag');
    if (localTag === undefined || localTag === null) return undefined;
    return this.#dialogs.get(dialogKey({ callId: request.callId, localTag, remoteTag: remoteTag ?? '' }));
  }

  remove(dialog: Dialog): void {
    dialog.terminate();
    this.#dialogs.delete(dialogKey(dialog.id));
  }

  get size(): number {
    return this.#dialogs.size;
  }
}
