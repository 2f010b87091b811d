import { systemClock } from '../../src/core/index.js';
import {
  Dialog,
  SipUserAgent,
  TransportLayer,
  answerChallenge,
  formatUri,
  type Endpoint,
  type HeaderField,
  type IncomingRequest,
  type NameAddress,
  type SipRequest,
  type SipResponse,
  type TimerSettings,
  type TransportProtocol,
  type Uri,
} from '../../src/sip/index.js';

/**
 * A scriptable SIP phone for interop tests of what SIPp cannot play: several calls at once on one
 * phone (attended transfer), hold and resume with real offer/answer, REFER with Replaces. It is built
 * on Strowger's own SIP stack, as a phone would be: it registers with digest, authenticates its
 * INVITEs, answers calls at once with SDP, answers re-INVITEs (offering when they carry none), and
 * records what it was told, so tests can check it.
 */
export class TestPhone {
  readonly dn: string;
  readonly calls: PhoneCall[] = [];
  /** When set, re-INVITEs are kept unanswered (on their call's `pendingReinvites`) until the test acts. */
  holdReinvites = false;
  /** Re-INVITEs still to refuse with 491 Request Pending, as if each crossed one of this phone's own. */
  glares = 0;
  /** When the refused re-INVITEs arrived, and when each answered one did (ms since the epoch). */
  readonly reinviteTimes: number[] = [];
  /**
   * How this phone meets a new call: answer it at once (the default), ring (180) without answering
   * until the caller cancels (RFC 3261 §9.2: the UA then answers 487), or refuse it with a status.
   */
  incoming: 'answer' | 'ring' | 'ring-until-talk' | { refuse: number } = 'answer';
  /** Calls ringing in 'ring-until-talk' mode: answered when a NOTIFY "Event: talk" comes in their early dialog. */
  readonly #ringing = new Map<string, IncomingRequest>();
  /** Message-summary bodies (RFC 3842) of the NOTIFYs the server sent outside any call, in order. */
  readonly messageSummaries: string[] = [];
  /** The status this phone answers SIP INFO with (200; 415 plays a phone that takes no INFO). */
  infoStatus = 200;
  /** The RTP port its SDP names (a test's listener), and whether it offers RFC 4733 telephone-event. */
  mediaPort: number | undefined;
  telephoneEvent = false;
  /** NOTIFYs received in this phone's message-summary subscriptions (RFC 3842), in order. */
  readonly mwiNotifies: Array<{ state: string; body: string }> = [];
  /** The Call-IDs of this phone's message-summary subscriptions. */
  readonly #subscriptions = new Set<string>();
  /** The INVITEs that came with a request to answer by itself (RFC 5373 Answer-Mode, or Call-Info answer-after). */
  readonly autoAnswerRequests: Array<{ answerMode: string | undefined; callInfo: string | undefined }> = [];
  readonly #ua: SipUserAgent;
  readonly #transport: TransportLayer;
  readonly #server: Endpoint;
  readonly #password: string;
  readonly #local: { host: string; port: number };
  readonly #protocol: TransportProtocol;
  #sdpVersion = 1;
  /** One Call-ID for all of this phone's REGISTERs (RFC 3261 §10.2.4), never one an earlier phone used. */
  readonly #registrationCallId = `reg-${Math.random().toString(16).slice(2)}`;
  /** REGISTERs of one Call-ID need rising CSeqs (§10.3 step 7). */
  #registrationSeq = 0;

  readonly #displayName: string | undefined;
  private constructor(options: {
    dn: string;
    password: string;
    server: Endpoint;
    ua: SipUserAgent;
    transport: TransportLayer;
    local: { host: string; port: number };
    protocol: TransportProtocol;
    displayName: string | undefined;
  }) {
    this.dn = options.dn;
    this.#displayName = options.displayName;
    this.#password = options.password;
    this.#server = options.server;
    this.#ua = options.ua;
    this.#transport = options.transport;
    this.#local = options.local;
    this.#protocol = options.protocol;
    this.#ua.onRequest((incoming) => this.#onRequest(incoming));
    this.#ua.transactions.events.on('ack', ({ request }) => {
      this.#callFor(request)?.acks.push(bodyOf(request));
    });
  }

  /**
   * Starts a phone on a free port and registers it with the server. `host` is both the phone's own
   * address and the server address it sends to (loopback unless given); `protocol` its transport.
   */
  static async start(options: {
    dn: string;
    password: string;
    serverPort: number;
    timers?: Partial<TimerSettings>;
    host?: string;
    protocol?: TransportProtocol;
    /** The name the phone puts in its From header (its caller id name). */
    displayName?: string;
  }): Promise<TestPhone> {
    const clock = systemClock;
    const host = options.host ?? '127.0.0.1';
    const protocol = options.protocol ?? 'udp';
    const transport = new TransportLayer({ clock });
    const bound = await transport.listen({ host, ...(protocol === 'udp' ? { udpPort: 0 } : { tcpPort: 0 }) });
    const local = bound[protocol];
    if (local === undefined) throw new Error(`the test phone could not open a ${protocol.toUpperCase()} socket`);
    const ua = new SipUserAgent({
      transport,
      clock,
      allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'NOTIFY', 'REFER', 'INFO'],
      userAgentHeader: 'Strowger test phone',
      ...(options.timers === undefined ? {} : { timers: options.timers }),
    });
    const phone = new TestPhone({
      dn: options.dn,
      password: options.password,
      server: { protocol, address: host, port: options.serverPort },
      ua,
      transport,
      local: { host, port: local.port },
      protocol,
      displayName: options.displayName,
    });
    await phone.register();
    return phone;
  }

  async register(expires = 300): Promise<void> {
    const base = this.#registrationSeq;
    this.#registrationSeq += 2;
    const response = await this.#withAuth('REGISTER', 'WWW-Authenticate', 'Authorization', (attempt, auth) =>
      this.#ua.createRequest({
        method: 'REGISTER',
        uri: this.#serverUri(),
        from: this.#me(),
        to: this.#me(),
        callId: this.#registrationCallId,
        cseq: base + attempt,
        contact: this.#contact(),
        protocol: this.#protocol,
        headers: [{ name: 'Expires', value: String(expires) }, ...auth],
      }),
    );
    if (response.status !== 200) {
      throw new Error(`${this.dn} could not ${expires === 0 ? 'unregister' : 'register'}: ${response.status}`);
    }
  }

  /**
   * Calls a number, with an offer (its own, or `sdp`) or (`offer: false`) without one, answering the
   * far end's offer in the ACK; resolves once answered (rejects with the status otherwise).
   */
  async call(number: string, options: { offer?: boolean; sdp?: string } = {}): Promise<PhoneCall> {
    const offer = options.offer === false ? undefined : (options.sdp ?? this.sdp('sendrecv'));
    const callId = `call-${this.dn}-${Date.now()}-${Math.random().toString(16).slice(2)}`;
    const fromTag = `t${Math.random().toString(16).slice(2)}`;
    let invite: SipRequest | undefined;
    const response = await this.#withAuth('INVITE', 'Proxy-Authenticate', 'Proxy-Authorization', (cseq, auth) => {
      invite = this.#ua.createRequest({
        method: 'INVITE',
        uri: { ...this.#serverUri(), user: number },
        from: { ...this.#me(), params: new Map([['tag', fromTag]]) },
        to: { displayName: undefined, uri: { ...this.#serverUri(), user: number }, params: new Map() },
        callId,
        cseq,
        contact: this.#contact(),
        protocol: this.#protocol,
        headers: [...(offer === undefined ? [] : [{ name: 'Content-Type', value: 'application/sdp' }]), ...auth],
        ...(offer === undefined ? {} : { body: Buffer.from(offer) }),
      });
      return invite;
    });
    if (invite === undefined || response.status >= 300) throw new Error(`call to ${number} failed: ${response.status}`);
    const dialog = Dialog.asUac(invite, response);
    const answer = offer === undefined ? this.sdp('sendrecv') : undefined;
    this.#sendAck(dialog, invite.cseq.seq, answer);
    const call = new PhoneCall(this, dialog, bodyOf(response));
    call.contact = response.getHeader('Contact');
    if (answer !== undefined) call.answersSent.push(answer);
    this.calls.push(call);
    return call;
  }

  /**
   * Subscribes to message-summary for one of its lines (RFC 3842), answering the digest challenge;
   * resolves with the final response and, on success, the subscription's dialog (for a refresh or
   * an unsubscribe with `send(dialog, 'SUBSCRIBE', [Expires: 0])`).
   */
  async subscribeMwi(
    line = this.dn,
    expires = 3600,
    event = 'message-summary',
  ): Promise<{ status: number; dialog: Dialog | undefined; expires: string | undefined }> {
    const callId = `mwi-${this.dn}-${Date.now()}-${Math.random().toString(16).slice(2)}`;
    const fromTag = `s${Math.random().toString(16).slice(2)}`;
    this.#subscriptions.add(callId);
    let subscribe: SipRequest | undefined;
    const response = await this.#withAuth('SUBSCRIBE', 'Proxy-Authenticate', 'Proxy-Authorization', (cseq, auth) => {
      subscribe = this.#ua.createRequest({
        method: 'SUBSCRIBE',
        uri: { ...this.#serverUri(), user: line },
        from: { ...this.#me(), params: new Map([['tag', fromTag]]) },
        to: { displayName: undefined, uri: { ...this.#serverUri(), user: line }, params: new Map() },
        callId,
        cseq,
        contact: this.#contact(),
        protocol: this.#protocol,
        headers: [
          { name: 'Event', value: event },
          { name: 'Accept', value: 'application/simple-message-summary' },
          { name: 'Expires', value: String(expires) },
          ...auth,
        ],
      });
      return subscribe;
    });
    const dialog =
      subscribe !== undefined && response.status >= 200 && response.status < 300
        ? Dialog.asUac(subscribe, response)
        : undefined;
    return { status: response.status, dialog, expires: response.getHeader('Expires') };
  }

  /** An SDP body from this phone, with a fresh version, in the given direction. */
  sdp(direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'): string {
    this.#sdpVersion += 1;
    return [
      'v=0',
      `o=phone${this.dn} 1000 ${this.#sdpVersion} IN IP4 ${this.#local.host}`,
      's=-',
      `c=IN IP4 ${this.#local.host}`,
      't=0 0',
      `m=audio ${this.mediaPort ?? 40000 + Number(this.dn) * 2} RTP/AVP 0${this.telephoneEvent ? ' 101' : ''}`,
      'a=rtpmap:0 PCMU/8000',
      ...(this.telephoneEvent ? ['a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16'] : []),
      `a=${direction}`,
      '',
    ].join('\r\n');
  }

  /** @internal Sends a request inside a call's dialog and resolves with the final response. */
  send(dialog: Dialog, method: string, headers: HeaderField[] = [], body?: string): Promise<SipResponse> {
    const request = dialog.createRequest(method, {
      sentBy: this.#transport.sentBy(this.#protocol),
      protocol: this.#protocol,
      headers: [...(method === 'INVITE' || method === 'REFER' ? [this.#contactHeader()] : []), ...headers],
      ...(body === undefined ? {} : { body: Buffer.from(body) }),
    });
    return this.#ua.sendRequest(request, { target: this.#server }).then((response) => {
      if (method === 'INVITE' && response.status < 300) this.#sendAck(dialog, request.cseq.seq);
      return response;
    });
  }

  /** Unregisters (a registrar keeps a few contacts per device, not one per test) and closes. */
  async close(): Promise<void> {
    await this.register(0).catch(() => undefined);
    this.#ua.close();
    await this.#transport.close();
  }

  #onRequest(incoming: IncomingRequest): void {
    const request = incoming.request;
    if (request.method === 'INVITE' && !request.to.params.has('tag')) {
      const tag = `a${Math.random().toString(16).slice(2)}`;
      const answerMode = request.getHeader('Answer-Mode');
      const callInfo = request.getHeader('Call-Info');
      if (answerMode !== undefined || callInfo?.includes('answer-after') === true)
        this.autoAnswerRequests.push({ answerMode, callInfo });
      if (this.incoming === 'ring' || this.incoming === 'ring-until-talk') {
        incoming.respond(180, 'Ringing', { toTag: tag, headers: [this.#contactHeader()] });
        if (this.incoming === 'ring-until-talk') this.#ringing.set(`${request.callId};${tag}`, incoming);
        return;
      }
      if (this.incoming !== 'answer') {
        incoming.respond(this.incoming.refuse);
        return;
      }
      this.#answer(incoming, tag);
      return;
    }
    if (
      request.method === 'NOTIFY' &&
      !request.to.params.has('tag') &&
      request.getHeader('Event') === 'message-summary'
    ) {
      this.messageSummaries.push(bodyOf(request) ?? '');
      incoming.respond(200, 'OK');
      return;
    }
    if (request.method === 'NOTIFY' && this.#subscriptions.has(request.callId)) {
      this.mwiNotifies.push({ state: request.getHeader('Subscription-State') ?? '', body: bodyOf(request) ?? '' });
      incoming.respond(200, 'OK');
      return;
    }
    const ringing = this.#ringing.get(`${request.callId};${request.to.params.get('tag') ?? ''}`);
    if (ringing !== undefined && request.method === 'NOTIFY') {
      // A talk event in the early dialog (BroadWorks-style remote answer): go off hook.
      if (request.getHeader('Event') !== 'talk') {
        incoming.respond(489, 'Bad Event');
        return;
      }
      incoming.respond(200, 'OK');
      this.#ringing.delete(`${request.callId};${request.to.params.get('tag') ?? ''}`);
      this.#answer(ringing, request.to.params.get('tag') ?? '');
      return;
    }
    this.#onDialogRequest(incoming);
  }

  /** Answers a new call with SDP (an answer to its offer, or an offer of our own when it had none). */
  #answer(incoming: IncomingRequest, tag: string): void {
    const request = incoming.request;
    const offer = bodyOf(request);
    const answer = this.sdp('sendrecv');
    incoming.respond(200, 'OK', {
      toTag: tag,
      headers: [this.#contactHeader(), { name: 'Content-Type', value: 'application/sdp' }],
      body: Buffer.from(answer),
    });
    const call = new PhoneCall(this, Dialog.asUasWithTag(request, tag, 'confirmed'), offer);
    call.invite = request;
    if (offer === undefined) call.offersMade.push(answer);
    this.calls.push(call);
  }

  #onDialogRequest(incoming: IncomingRequest): void {
    const request = incoming.request;
    const call = this.#callFor(request);
    if (call === undefined) {
      incoming.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    call.dialog.receiveRequest(request);
    switch (request.method) {
      case 'INVITE': {
        const offer = bodyOf(request);
        this.reinviteTimes.push(Date.now());
        if (this.glares > 0) {
          this.glares -= 1;
          incoming.respond(491, 'Request Pending');
          return;
        }
        call.reinvites.push(offer);
        if (this.holdReinvites) {
          call.pendingReinvites.push(incoming);
          return;
        }
        if (offer !== undefined) call.remoteSdp = offer;
        // A re-INVITE without SDP asks us to offer (RFC 3261 §14.1); the answer comes in the ACK.
        const held = offer !== undefined && /a=(sendonly|inactive)/.test(offer);
        const sdp = this.sdp(held ? 'recvonly' : 'sendrecv');
        if (offer === undefined) call.offersMade.push(sdp);
        incoming.respond(200, 'OK', {
          headers: [this.#contactHeader(), { name: 'Content-Type', value: 'application/sdp' }],
          body: Buffer.from(sdp),
        });
        return;
      }
      case 'NOTIFY':
        call.notifies.push(bodyOf(request)?.trim() ?? '');
        incoming.respond(200, 'OK');
        return;
      case 'INFO':
        call.infos.push(`${request.getHeader('Content-Type') ?? ''}\n${bodyOf(request) ?? ''}`);
        incoming.respond(this.infoStatus, this.infoStatus === 200 ? 'OK' : 'Unsupported Media Type');
        return;
      case 'BYE':
        call.ended = true;
        call.dialog.terminate();
        incoming.respond(200, 'OK');
        return;
      default:
        incoming.respond(405, 'Method Not Allowed');
    }
  }

  #callFor(request: SipRequest): PhoneCall | undefined {
    const toTag = request.to.params.get('tag');
    const fromTag = request.from.params.get('tag');
    return this.calls.find(
      (call) =>
        call.dialog.id.callId === request.callId &&
        call.dialog.id.localTag === toTag &&
        call.dialog.id.remoteTag === fromTag,
    );
  }

  #sendAck(dialog: Dialog, cseq: number, body?: string): void {
    const ack = dialog.createRequest('ACK', {
      sentBy: this.#transport.sentBy(this.#protocol),
      protocol: this.#protocol,
      cseq,
      ...(body === undefined
        ? {}
        : { headers: [{ name: 'Content-Type', value: 'application/sdp' }], body: Buffer.from(body) }),
    });
    // An ACK has no answer to wait for; a failure to send it shows as the call's retransmitted 2xx.
    this.#ua.transactions.sendStateless(ack, this.#server).catch((error: unknown) => {
      console.error('test phone: the ACK could not be sent', error);
    });
  }

  /** Sends a request; a digest challenge is answered once with this phone's credentials. */
  async #withAuth(
    method: string,
    challengeHeader: string,
    credentialsHeader: string,
    build: (cseq: number, auth: HeaderField[]) => SipRequest,
  ): Promise<SipResponse> {
    const first = build(1, []);
    const response = await this.#ua.sendRequest(first, { target: this.#server });
    const expected = challengeHeader === 'WWW-Authenticate' ? 401 : 407;
    if (response.status !== expected) return response;
    const challenge = response
      .getHeaders(challengeHeader)
      .find((value) => /algorithm=MD5/i.test(value) || !/algorithm=/i.test(value));
    if (challenge === undefined) throw new Error(`${method}: no MD5 challenge to answer`);
    const credentials = answerChallenge({
      challenge,
      method,
      uri: formatUri(first.uri),
      username: this.dn,
      password: this.#password,
    });
    return this.#ua.sendRequest(build(2, [{ name: credentialsHeader, value: credentials }]), {
      target: this.#server,
    });
  }

  #serverUri(): Uri & { scheme: 'sip' } {
    return {
      scheme: 'sip',
      user: undefined,
      password: undefined,
      host: this.#server.address,
      port: this.#server.port,
      params: new Map(),
      headers: new Map(),
    };
  }

  #me(): NameAddress {
    return { displayName: this.#displayName, uri: { ...this.#serverUri(), user: this.dn }, params: new Map() };
  }

  #contact(): NameAddress {
    const params = new Map<string, string | null>(this.#protocol === 'tcp' ? [['transport', 'tcp']] : []);
    return {
      displayName: undefined,
      uri: { ...this.#serverUri(), user: this.dn, host: this.#local.host, port: this.#local.port, params },
      params: new Map(),
    };
  }

  #contactHeader(): HeaderField {
    const transport = this.#protocol === 'tcp' ? ';transport=tcp' : '';
    return { name: 'Contact', value: `<sip:${this.dn}@${this.#local.host}:${this.#local.port}${transport}>` };
  }
}

/** One call on a test phone: its dialog with the server and what the phone saw in it. */
export class PhoneCall {
  readonly phone: TestPhone;
  readonly dialog: Dialog;
  /** The session description last received from the other side. */
  remoteSdp: string | undefined;
  /** The Contact of the server's 200 to this phone's INVITE (";isfocus" for a conference). */
  contact: string | undefined;
  /** The server's INVITE that started the call, when the phone was called. */
  invite: SipRequest | undefined;
  /** Bodies of re-INVITEs received (undefined for one without SDP). */
  readonly reinvites: Array<string | undefined> = [];
  /** Offers this phone made when asked to (an INVITE or re-INVITE without SDP). */
  readonly offersMade: string[] = [];
  /** Answers this phone sent in an ACK (to the offer in a 200, when it called without one). */
  readonly answersSent: string[] = [];
  /** Bodies of the ACKs received for this phone's 2xx (the answer, when this phone offered). */
  readonly acks: Array<string | undefined> = [];
  /** sipfrag bodies of NOTIFYs received (transfer progress). */
  readonly notifies: string[] = [];
  /** INFO requests received, as "content type, newline, body". */
  readonly infos: string[] = [];
  /** Re-INVITEs received and not answered yet (see TestPhone.holdReinvites). */
  readonly pendingReinvites: IncomingRequest[] = [];
  /** Final statuses of this phone's own re-INVITEs and BYEs, in order. */
  readonly responses: number[] = [];
  ended = false;

  constructor(phone: TestPhone, dialog: Dialog, remoteSdp: string | undefined) {
    this.phone = phone;
    this.dialog = dialog;
    this.remoteSdp = remoteSdp;
  }

  async hold(): Promise<SipResponse> {
    return this.#reoffer('sendonly');
  }

  async resume(): Promise<SipResponse> {
    return this.#reoffer('sendrecv');
  }

  /** Blind transfer to a number, or attended transfer to another call of this phone (Replaces). */
  refer(target: string | PhoneCall): Promise<SipResponse> {
    let referTo: string;
    if (typeof target === 'string') {
      referTo = `<sip:${target}@127.0.0.1>`;
    } else {
      // RFC 3891: the dialog to replace, as its far end (the server) sees it.
      const { callId, localTag, remoteTag } = target.dialog.id;
      const replaces = encodeURIComponent(`${callId};to-tag=${remoteTag};from-tag=${localTag}`);
      referTo = `<sip:${target.phone.dn}@127.0.0.1?Replaces=${replaces}>`;
    }
    return this.phone.send(this.dialog, 'REFER', [
      { name: 'Refer-To', value: referTo },
      { name: 'Referred-By', value: `<sip:${this.phone.dn}@127.0.0.1>` },
    ]);
  }

  async hangUp(): Promise<SipResponse> {
    this.ended = true;
    const bye = this.phone.send(this.dialog, 'BYE');
    // RFC 3261 §15.1.2: requests still pending in the dialog are answered 487 (here after the BYE left).
    for (const pending of this.pendingReinvites.splice(0)) pending.respond(487, 'Request Terminated');
    const response = await bye;
    this.dialog.terminate();
    return response;
  }

  async #reoffer(direction: 'sendonly' | 'sendrecv'): Promise<SipResponse> {
    const response = await this.phone.send(
      this.dialog,
      'INVITE',
      [{ name: 'Content-Type', value: 'application/sdp' }],
      this.phone.sdp(direction),
    );
    if (response.status < 300) this.remoteSdp = bodyOf(response);
    return response;
  }
}

function bodyOf(message: { body: Uint8Array }): string | undefined {
  return message.body.length === 0 ? undefined : Buffer.from(message.body).toString('utf8');
}
