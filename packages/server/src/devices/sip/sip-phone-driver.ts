import type { Clock, Logger } from '../../core/index.js';
import { ErrorCode, StrowgerError, isStrowgerError, silentLogger } from '../../core/index.js';
import {
  Dialog,
  dialogKey,
  formatNameAddress,
  isSipUri,
  isTelUri,
  type HeaderField,
  type IncomingRequest,
  type IncomingSource,
  type SendTarget,
  type SipRequest,
  type SipResponse,
  type SipUserAgent,
  type TimerSettings,
  type TransportProtocol,
  type Uri,
} from '../../sip/index.js';
import {
  releaseCauses,
  type AlertRequest,
  type DeviceDriver,
  type LegId,
  type MidCallInfo,
  type PartyInfo,
  type ReleaseCause,
  type SessionDescription,
} from '../../switch/index.js';
import { SessionOrigin } from '../../sdp/index.js';
import { parseReplaces } from './refer.js';
import type { Binding, RegistrationTable } from './registration-table.js';
import { messageSummary } from './message-summary.js';
import { causeFromStatus, diversionReason, explanationHeaders, finalStatusFor } from './sip-causes.js';
import type { InboundLeg, OutboundLeg, SipLeg, SwitchInputs } from './sip-leg.js';
import { SipReferrals } from './sip-referrals.js';
import { MwiSubscriptions } from './mwi-subscriptions.js';
import type { DigestGate } from './digest-gate.js';

export interface SipPhoneDriverOptions {
  ua: SipUserAgent;
  table: RegistrationTable;
  /** Digest authentication with the login throttle and stateless challenges (shared with the registrar). */
  gate: DigestGate;
  clock: Clock;
  timers: TimerSettings;
  logger?: Logger;
  /**
   * Told of each leg as it starts, with the SIP Call-ID of its dialog: what a SIP trace maps its
   * messages to calls and devices with. `callId` is the engine's call when the driver knows it (a
   * call to the phone); for a call from the phone, the leg is the engine's originating terminal
   * connection.
   */
  onLegStarted?: (leg: SipLegStarted) => void;
}

/** A leg as the driver starts it: the engine's leg, its device, and the SIP dialog's Call-ID. */
export interface SipLegStarted {
  leg: LegId;
  device: string;
  sipCallId: string;
  callId?: string;
}

const sdpType: HeaderField = { name: 'Content-Type', value: 'application/sdp' };

/**
 * The SIP phone driver: a back-to-back user agent. Each phone's side of a call is its own SIP dialog
 * with us; SDP passes through unchanged, so media flows directly between the phones. Calls from a
 * phone are authenticated with digest (407, as a proxy would) against the phone's SIP credentials.
 */
export class SipPhoneDriver implements DeviceDriver {
  readonly #ua: SipUserAgent;
  readonly #table: RegistrationTable;
  readonly #options: SipPhoneDriverOptions;
  readonly #logger: Logger;
  #engine: SwitchInputs | undefined;
  readonly #legs = new Map<LegId, SipLeg>();
  readonly #byDialog = new Map<string, SipLeg>();
  readonly #offHook: Array<() => void> = [];
  readonly #referrals: SipReferrals;
  readonly #mwi: MwiSubscriptions;

  constructor(options: SipPhoneDriverOptions) {
    this.#options = options;
    this.#ua = options.ua;
    this.#table = options.table;
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'sip-phones' });
    this.#offHook.push(this.#ua.transactions.events.on('ack', ({ request }) => this.#onAck(request)));
    this.#referrals = new SipReferrals({
      ua: this.#ua,
      logger: this.#logger,
      clock: options.clock,
      timers: options.timers,
      engine: () => this.#engine,
      contactHeader: (target) => this.#contactHeader(target),
      legReplacedBy: (replaces) => this.#legReplacedBy(replaces),
      isCurrent: (leg) => this.#legs.get(leg.id) === leg,
      bye: (leg) => this.#bye(leg),
    });
    this.#mwi = new MwiSubscriptions({
      ua: this.#ua,
      clock: options.clock,
      logger: this.#logger,
      authenticate: (incoming) => {
        const gate = this.#options.gate.authenticate(incoming, 'proxy');
        return gate.ok ? gate.account.deviceName : undefined;
      },
      linesOf: (device) => this.#engine?.snapshotDevice(device)?.lines ?? [],
      lamp: (dn) => this.#engine?.messageWaitingOf(dn) ?? false,
      targetFor: (contact, incoming) => this.#targetFor(contact, incoming.source),
      sentBy: (target) => this.#sentBy(target),
      contactHeader: (target) => this.#contactHeader(target),
    });
  }

  /** Connects the driver to the engine it reports to. */
  attach(engine: SwitchInputs): void {
    this.#engine = engine;
  }

  /** Live legs (SIP dialogs and pending INVITEs); tests use it to prove nothing is left behind. */
  get legCount(): number {
    return this.#legs.size;
  }

  /** Message-waiting subscriptions in force (RFC 3842). */
  get mwiSubscriptionCount(): number {
    return this.#mwi.size;
  }

  close(): void {
    this.#mwi.close();
    for (const off of this.#offHook) off();
    for (const leg of this.#legs.values()) this.#forget(leg);
  }

  // --- requests from phones ----------------------------------------------------------------------

  /** Takes the requests that belong to calls; returns false for anything else. */
  handleRequest(incoming: IncomingRequest): boolean {
    const request = incoming.request;
    const toTag = request.to.params.get('tag');
    if (toTag === undefined || toTag === null) {
      if (request.method === 'SUBSCRIBE') {
        this.#mwi.onSubscribe(incoming);
        return true;
      }
      if (request.method !== 'INVITE') return false;
      this.#onNewInvite(incoming);
      return true;
    }
    if (this.#mwi.onInDialog(incoming)) return true;
    const leg = this.#byDialog.get(
      dialogKey({ callId: request.callId, localTag: toTag, remoteTag: request.from.params.get('tag') ?? '' }),
    );
    if (leg === undefined || leg.dialog === undefined) return false;
    const check = leg.dialog.receiveRequest(request);
    if (!check.ok) {
      incoming.respond(check.status, check.reason);
      return true;
    }
    switch (request.method) {
      case 'BYE':
        incoming.respond(200, 'OK');
        this.#forget(leg);
        this.#engine?.released(leg.id, releaseCauses.normal);
        return true;
      case 'INVITE':
      case 'UPDATE':
        this.#onMediaUpdate(leg, incoming);
        return true;
      case 'INFO':
        this.#onInfo(leg, incoming);
        return true;
      case 'REFER':
        this.#referrals.onRefer(leg, incoming);
        return true;
      default:
        incoming.respond(405, 'Method Not Allowed', {
          headers: [{ name: 'Allow', value: this.#ua.allow.join(', ') }],
        });
        return true;
    }
  }

  #onNewInvite(incoming: IncomingRequest): void {
    const request = incoming.request;
    if (!this.#acceptsContent(incoming)) return;
    // RFC 3261 §22.3: calls are authenticated with 407, as a proxy would.
    const gate = this.#options.gate.authenticate(incoming, 'proxy');
    if (!gate.ok) return;
    const { account } = gate;
    const engine = this.#engine;
    if (engine === undefined) {
      incoming.respond(503, 'Service Unavailable');
      return;
    }
    const dialled = isSipUri(request.uri) ? request.uri.user : isTelUri(request.uri) ? request.uri.number : undefined;
    if (dialled === undefined || dialled.length === 0) {
      incoming.respond(404, 'Not Found');
      return;
    }
    let number: string;
    try {
      number = decodeURIComponent(dialled);
    } catch {
      // The parser checked the %-escapes; what is left is an escape that is not UTF-8.
      incoming.respond(400, 'Bad Request - the dialled number is not valid UTF-8');
      return;
    }
    incoming.respond(100, 'Trying');
    const displayName = request.from.displayName;
    let legId: LegId;
    try {
      legId = engine.originate({
        device: account.deviceName,
        dialled: number,
        ...(displayName === undefined ? {} : { displayName }),
        ...(request.body.length > 0 ? { offer: Buffer.from(request.body).toString('utf8') } : {}),
      });
    } catch (error) {
      this.#logger.warn({ err: error, device: account.deviceName }, 'call refused before routing');
      incoming.respond(isStrowgerError(error, 'INVALID_ARGUMENT') ? 403 : 404);
      return;
    }
    const contact = request.contacts[0];
    const leg: InboundLeg = {
      kind: 'inbound',
      id: legId,
      awaitingAnswer: request.body.length === 0,
      device: account.deviceName,
      incoming,
      dialog: undefined,
      target: this.#targetFor(
        contact === undefined || 'wildcard' in contact ? undefined : contact.uri,
        incoming.source,
      ),
      retransmit: undefined,
      origin: new SessionOrigin(),
      pendingAck: undefined,
      lastAck: undefined,
      referral: undefined,
      pendingUpdate: undefined,
      ended: false,
    };
    this.#legs.set(legId, leg);
    this.#options.onLegStarted?.({ leg: legId, device: account.deviceName, sipCallId: request.callId });
    incoming.onCancel(() => {
      if (leg.ended) return;
      this.#forget(leg);
      this.#engine?.released(leg.id, releaseCauses.cancelled);
    });
  }

  /**
   * §8.2.3: a body we cannot read gets 415 with what we accept, and a caller that accepts no session
   * description we could answer with gets 406 (RFC 4475 "invut", "sdp01").
   */
  #acceptsContent(incoming: IncomingRequest): boolean {
    const request = incoming.request;
    const type = request.getHeader('Content-Type')?.split(';')[0]?.trim().toLowerCase();
    if (request.body.length > 0 && type !== undefined && type !== 'application/sdp') {
      incoming.respond(415, 'Unsupported Media Type', { headers: [{ name: 'Accept', value: 'application/sdp' }] });
      return false;
    }
    const accept = request.getList('Accept').map((value) => value.split(';')[0]?.trim().toLowerCase());
    if (
      accept.length > 0 &&
      !accept.some((value) => value === 'application/sdp' || value === 'application/*' || value === '*/*')
    ) {
      incoming.respond(406, 'Not Acceptable', { headers: [{ name: 'Accept', value: 'application/sdp' }] });
      return false;
    }
    return true;
  }

  #onAck(request: SipRequest): void {
    const toTag = request.to.params.get('tag');
    if (toTag === undefined || toTag === null) return;
    const leg = this.#byDialog.get(
      dialogKey({ callId: request.callId, localTag: toTag, remoteTag: request.from.params.get('tag') ?? '' }),
    );
    if (leg === undefined) return;
    leg.retransmit?.cancel();
    leg.retransmit = undefined;
    if (leg.kind !== 'inbound') return;
    if (leg.awaitingAnswer && request.cseq.seq === leg.incoming.request.cseq.seq) {
      // A delayed offer: our 200 carried the far end's offer, and this ACK the phone's answer.
      leg.awaitingAnswer = false;
      const answer = request.body.length > 0 ? Buffer.from(request.body).toString('utf8') : undefined;
      this.#engine?.offerAnswered(leg.id, answer);
    }
    // A call lasts minutes: what it keeps of its setup should be small (the dialog has what it needs).
    leg.incoming.acknowledged();
  }

  #onMediaUpdate(leg: SipLeg, incoming: IncomingRequest): void {
    const engine = this.#engine;
    const offer = Buffer.from(incoming.request.body).toString('utf8');
    if (engine === undefined || offer.length === 0) {
      // Without an offer there is nothing to pass on; answering with our last view is not possible.
      incoming.respond(488, 'Not Acceptable Here');
      return;
    }
    if (leg.pendingUpdate !== undefined) {
      // RFC 3261 §14.2: one offer at a time; the phone tries again after a random wait.
      incoming.respond(491, 'Request Pending');
      return;
    }
    leg.pendingUpdate = incoming;
    engine.updateMedia(leg.id, offer).then(
      (answer) => {
        if (leg.pendingUpdate === incoming) leg.pendingUpdate = undefined;
        if (leg.ended || incoming.answered) return;
        incoming.respond(200, 'OK', {
          toTag: leg.dialog?.id.localTag,
          headers: [this.#contactHeader(leg.target), sdpType],
          body: Buffer.from(leg.origin.present(answer)),
        });
        if (incoming.method === 'INVITE' && !this.#ua.transport.isReliable(leg.target.protocol)) {
          leg.retransmit?.cancel();
          this.#retransmit2xx(leg, incoming, this.#options.timers.t1, 0);
        }
      },
      (error: unknown) => {
        if (leg.pendingUpdate === incoming) leg.pendingUpdate = undefined;
        // RFC 3261 §14.2: a failed re-INVITE leaves the session as it was.
        this.#logger.info({ err: error, leg: leg.id }, 'media update refused by the other party');
        if (!incoming.answered) incoming.respond(488, 'Not Acceptable Here');
      },
    );
  }

  /**
   * Mid-call INFO (RFC 6086; DTMF relay is the common one) goes to the other party, and its answer
   * comes back: a phone pressing keys towards a voicemail system or an IVR is heard there.
   */
  #onInfo(leg: SipLeg, incoming: IncomingRequest): void {
    const engine = this.#engine;
    const body = Buffer.from(incoming.request.body).toString('utf8');
    const contentType = incoming.request.getHeader('Content-Type');
    if (engine === undefined || contentType === undefined || body.length === 0) {
      incoming.respond(200, 'OK');
      return;
    }
    engine.relayInfo(leg.id, { contentType, body }).then(
      (status) => {
        if (incoming.answered) return;
        // The other party's 481 is about its own dialog, not this one: it must not end this phone's call.
        incoming.respond(status === 481 || status < 200 || status >= 700 ? 500 : status);
      },
      (error: unknown) => {
        this.#logger.info({ err: error, leg: leg.id }, 'INFO could not be passed on');
        if (!incoming.answered) incoming.respond(500, 'Server Internal Error - the other party did not answer');
      },
    );
  }

  /** The leg a Replaces value names: the phone's from-tag is its own tag, the to-tag ours. */
  #legReplacedBy(replaces: string): SipLeg | undefined {
    const parsed = parseReplaces(replaces);
    if (parsed === undefined) return undefined;
    return this.#byDialog.get(dialogKey({ callId: parsed.callId, localTag: parsed.toTag, remoteTag: parsed.fromTag }));
  }

  // --- commands from the engine --------------------------------------------------------------------

  isInService(device: string): boolean {
    return this.#table.bindings(device).length > 0;
  }

  alert(request: AlertRequest): void {
    const reached = this.#reach(request.device);
    if (reached === undefined) {
      queueMicrotask(() => this.#engine?.refused(request.leg, releaseCauses.unavailable));
      return;
    }
    const { binding, target } = reached;
    // From and To name us as the phone reaches us (RFC 3261 §8.1.1.3 leaves their host to us).
    const host = this.#sentBy(target).host;
    const headers: HeaderField[] = [];
    // Diversion is for forwarding (RFC 5806); a transfer is the REFER's business, not a diversion.
    for (const redirection of [...request.redirections].reverse().filter((r) => r.reason !== 'transfer')) {
      headers.push({
        name: 'Diversion',
        value: `<sip:${redirection.from}@${host}>;reason=${diversionReason[redirection.reason]};counter=1`,
      });
    }
    if (request.offer !== undefined) headers.push(sdpType);
    if (request.autoAnswer === true) headers.push(...this.#autoAnswerHeaders(host, request.autoAnswerBy));
    const origin = new SessionOrigin();
    const invite = this.#ua.createRequest({
      method: 'INVITE',
      uri: binding.contact,
      from: this.#party(request.calling, host),
      to: { displayName: undefined, uri: this.#uri(request.line, host), params: new Map() },
      contact: this.#contactOf(target),
      protocol: target.protocol,
      ...(target.localAddress === undefined ? {} : { localAddress: target.localAddress }),
      headers,
      ...(request.offer === undefined ? {} : { body: Buffer.from(origin.present(request.offer)) }),
    });
    const leg: OutboundLeg = {
      kind: 'outbound',
      id: request.leg,
      device: request.device,
      invite,
      offered: request.offer !== undefined,
      abort: new AbortController(),
      earlyDialog: undefined,
      dialog: undefined,
      target,
      ended: false,
      retransmit: undefined,
      origin,
      pendingAck: undefined,
      lastAck: undefined,
      referral: undefined,
      pendingUpdate: undefined,
    };
    this.#legs.set(leg.id, leg);
    this.#options.onLegStarted?.({
      leg: leg.id,
      device: request.device,
      sipCallId: invite.callId,
      callId: request.callId,
    });
    this.#ua
      .sendRequest(invite, {
        target,
        signal: leg.abort.signal,
        onProvisional: (response) => this.#onProvisional(leg, response),
        // By id, not the leg itself: the transaction lives 32 s (Timer M) and must not keep an ended call.
        onRetransmitted2xx: (response) => this.#ackById(leg.id, response),
      })
      .then(
        (response) => this.#onFinal(leg, response),
        (error: unknown) => {
          this.#logger.info({ err: error, device: leg.device }, 'INVITE to phone failed');
          if (leg.ended) return;
          this.#forget(leg);
          this.#engine?.refused(leg.id, releaseCauses.unavailable);
        },
      );
  }

  /**
   * The message-waiting lamp (RFC 3842): a NOTIFY in the phone's message-summary subscription for the
   * line when it has one, else an unsolicited NOTIFY to its registered Contact, as phones that light
   * their lamp without subscribing accept it.
   */
  messageWaiting(device: string, line: string, waiting: boolean): void {
    if (this.#mwi.notify(device, line)) return;
    const reached = this.#reach(device);
    if (reached === undefined) return; // not registered: nothing to light; the next change is sent
    const { binding, target } = reached;
    const host = this.#sentBy(target).host;
    const notify = this.#ua.createRequest({
      method: 'NOTIFY',
      uri: binding.contact,
      from: { displayName: undefined, uri: this.#uri(line, host), params: new Map() },
      to: { displayName: undefined, uri: this.#uri(line, host), params: new Map() },
      contact: this.#contactOf(target),
      protocol: target.protocol,
      ...(target.localAddress === undefined ? {} : { localAddress: target.localAddress }),
      headers: [
        { name: 'Event', value: 'message-summary' },
        { name: 'Subscription-State', value: 'active' },
        { name: 'Content-Type', value: 'application/simple-message-summary' },
      ],
      body: Buffer.from(messageSummary(waiting, `sip:${line}@${host}`)),
    });
    this.#ua.sendRequest(notify, { target }).then(
      (response) => {
        if (response.status >= 300)
          this.#logger.info({ device, status: response.status }, 'the phone refused the message-waiting NOTIFY');
      },
      (error: unknown) => this.#logger.info({ err: error, device }, 'message-waiting NOTIFY got no answer'),
    );
  }

  cancel(legId: LegId, cause: ReleaseCause): void {
    const leg = this.#legs.get(legId);
    if (leg === undefined) return;
    if (leg.kind === 'outbound') {
      leg.ended = true; // a 2xx that crosses the CANCEL is ACKed and ended with BYE in #onFinal
      leg.abort.abort(cause.reason);
      return;
    }
    this.release(legId, cause);
  }

  release(legId: LegId, cause: ReleaseCause): void {
    const leg = this.#legs.get(legId);
    if (leg === undefined) return;
    if (cause.reason === 'transferred' && leg.dialog !== undefined) {
      this.#referrals.leaveAfterTransfer(leg);
      return;
    }
    if (leg.kind === 'inbound' && !leg.incoming.answered) {
      this.#forget(leg);
      leg.incoming.respond(finalStatusFor(cause), undefined, {
        headers: explanationHeaders(cause, this.#ua.transport.sentBy(leg.target.protocol).host),
      });
      return;
    }
    if (leg.kind === 'outbound' && leg.dialog === undefined) {
      this.cancel(legId, cause);
      return;
    }
    this.#bye(leg);
  }

  progress(legId: LegId, info: { earlyMedia?: SessionDescription }): void {
    const leg = this.#legs.get(legId);
    if (leg?.kind !== 'inbound' || leg.incoming.answered) return;
    if (info.earlyMedia !== undefined) {
      leg.incoming.respond(183, 'Session Progress', {
        headers: [this.#contactHeader(leg.target), sdpType],
        body: Buffer.from(leg.origin.present(info.earlyMedia)),
      });
    } else {
      leg.incoming.respond(180, 'Ringing', { headers: [this.#contactHeader(leg.target)] });
    }
  }

  connected(
    legId: LegId,
    info: { answer: SessionDescription | undefined; connectedParty: PartyInfo; focus?: boolean },
  ): void {
    const leg = this.#legs.get(legId);
    if (leg?.kind === 'outbound') {
      // A call made on this phone's behalf (RFC 3725 flow I): its 2xx offered, the answer goes in the ACK.
      this.answerOffer(legId, info.answer);
      return;
    }
    if (leg?.kind !== 'inbound' || leg.incoming.answered) return;
    const incoming = leg.incoming;
    incoming.respond(200, 'OK', {
      headers: [this.#contactHeader(leg.target, info.focus === true), ...(info.answer === undefined ? [] : [sdpType])],
      ...(info.answer === undefined ? {} : { body: Buffer.from(leg.origin.present(info.answer)) }),
    });
    const toTag = incoming.toTag;
    if (toTag === undefined) return;
    const dialog = Dialog.asUasWithTag(incoming.request, toTag, 'confirmed');
    leg.dialog = dialog;
    this.#byDialog.set(dialogKey(dialog.id), leg);
    if (!this.#ua.transport.isReliable(leg.target.protocol))
      this.#retransmit2xx(leg, incoming, this.#options.timers.t1, 0);
  }

  async updateMedia(legId: LegId, offer: SessionDescription): Promise<SessionDescription> {
    const leg = this.#legs.get(legId);
    if (leg?.dialog === undefined || leg.ended) throw new Error(`leg ${legId} has no dialog`);
    const { response, cseq } = await this.#reinvite(leg, leg.origin.present(offer));
    if (response.status >= 300) throw new Error(`the phone refused the new session description: ${response.status}`);
    this.#sendAck(leg, cseq);
    return Buffer.from(response.body).toString('utf8');
  }

  /**
   * Sends a re-INVITE (with an offer, or without to ask for one). If it crosses the phone's own
   * (491 Request Pending, RFC 3261 §14.1) it is sent once more after the wait the RFC gives: 2.1–4 s
   * when we chose the Call-ID (we called the phone), up to 2 s when the phone did.
   */
  async #reinvite(leg: SipLeg, offer: string | undefined): Promise<{ response: SipResponse; cseq: number }> {
    for (let attempt = 1; ; attempt++) {
      const dialog = leg.dialog;
      if (dialog === undefined || leg.ended || dialog.state === 'terminated')
        throw new Error(`leg ${leg.id} has no dialog`);
      const reinvite = dialog.createRequest('INVITE', {
        sentBy: this.#sentBy(leg.target),
        protocol: leg.target.protocol,
        headers: [this.#contactHeader(leg.target), ...(offer === undefined ? [] : [sdpType])],
        ...(offer === undefined ? {} : { body: Buffer.from(offer) }),
      });
      const response = await this.#ua.sendRequest(reinvite, {
        target: leg.target,
        onRetransmitted2xx: (repeat) => this.#ackById(leg.id, repeat),
      });
      if (response.status !== 491 || attempt > 1) return { response, cseq: reinvite.cseq.seq };
      const waitMs = leg.kind === 'outbound' ? 2100 + Math.random() * 1900 : Math.random() * 2000;
      await new Promise<void>((done) => this.#options.clock.setTimer(waitMs, done));
    }
  }

  /**
   * Answers a ringing phone from CTI with a talk event: a NOTIFY with `Event: talk` in the early
   * dialog of our INVITE, which many phone families (Yealink, Polycom, Grandstream, Snom with
   * "action URI" settings, BroadWorks-style) take as "go off hook". A phone that answers the NOTIFY
   * with an error does not support it: the request fails with UNSUPPORTED and the phone rings on.
   */
  async answer(legId: LegId): Promise<void> {
    const leg = this.#legs.get(legId);
    if (leg?.kind !== 'outbound' || leg.ended || leg.dialog !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `leg ${legId} is not a phone being called`);
    }
    const early = leg.earlyDialog;
    if (early === undefined || early.state !== 'early') {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        `${leg.device} has not reported ringing with a dialog yet (a 180 with a To tag); try again once it rings`,
      );
    }
    const notify = early.createRequest('NOTIFY', {
      sentBy: this.#sentBy(leg.target),
      protocol: leg.target.protocol,
      headers: [
        { name: 'Event', value: 'talk' },
        { name: 'Subscription-State', value: 'terminated;reason=noresource' },
      ],
    });
    const response = await this.#ua.sendRequest(notify, { target: leg.target });
    if (response.status >= 300) {
      throw new StrowgerError(
        ErrorCode.Unsupported,
        `${leg.device} refused the talk event (${response.status} ${response.reason}): it cannot be answered from CTI; enable its remote answer ("Event: talk") setting, or let its user answer`,
        { details: { sipStatus: response.status } },
      );
    }
  }

  async sendInfo(legId: LegId, info: MidCallInfo): Promise<number> {
    const leg = this.#legs.get(legId);
    if (leg?.dialog === undefined || leg.ended || leg.dialog.state === 'terminated') return 481;
    const request = leg.dialog.createRequest('INFO', {
      sentBy: this.#sentBy(leg.target),
      protocol: leg.target.protocol,
      headers: [{ name: 'Content-Type', value: info.contentType }],
      body: Buffer.from(info.body),
    });
    return (await this.#ua.sendRequest(request, { target: leg.target })).status;
  }

  async requestOffer(legId: LegId): Promise<SessionDescription> {
    const leg = this.#legs.get(legId);
    if (leg?.dialog === undefined || leg.ended) throw new Error(`leg ${legId} has no dialog`);
    const { response, cseq } = await this.#reinvite(leg, undefined);
    if (response.status >= 300) throw new Error(`the phone refused to make an offer: ${response.status}`);
    if (response.body.length === 0) {
      this.#sendAck(leg, cseq);
      throw new Error('the phone answered a re-INVITE without SDP with no offer');
    }
    leg.pendingAck = cseq;
    return Buffer.from(response.body).toString('utf8');
  }

  answerOffer(legId: LegId, answer: SessionDescription | undefined): void {
    const leg = this.#legs.get(legId);
    if (leg?.pendingAck === undefined) return;
    const cseq = leg.pendingAck;
    leg.pendingAck = undefined;
    this.#sendAck(leg, cseq, answer);
  }

  serverAddress(legId: LegId): string | undefined {
    return this.#legs.get(legId)?.target.localAddress;
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Where a device is reached: the binding that expires last, and the target requests to it go to. */
  #reach(device: string): { binding: Binding; target: SendTarget } | undefined {
    const binding = this.#table
      .bindings(device)
      .reduce<Binding | undefined>(
        (best, candidate) => (best === undefined || candidate.expiresAt > best.expiresAt ? candidate : best),
        undefined,
      );
    if (binding === undefined) return undefined;
    const target = this.#targetFor(binding.contact, {
      protocol: binding.source.protocol as TransportProtocol,
      remote: { address: binding.source.address, port: binding.source.port },
      local: { address: binding.source.localAddress ?? '', port: 0 },
      ...(binding.source.connectionId === undefined ? {} : { connectionId: binding.source.connectionId }),
    });
    return { binding, target };
  }

  /**
   * The headers asking a phone to answer by itself (a call made on its behalf): RFC 5373's
   * Answer-Mode, and Call-Info's answer-after=0, which phones that predate RFC 5373 read; a phone
   * reads the one it knows.
   */
  /** RFC 5373's Answer-Mode and the widely read Call-Info answer-after: both, or the one the phone is configured for. */
  #autoAnswerHeaders(host: string, only: 'answer-mode' | 'call-info' | undefined): HeaderField[] {
    const answerMode = { name: 'Answer-Mode', value: 'Auto' };
    const callInfo = { name: 'Call-Info', value: `<sip:${host}>;answer-after=0` };
    if (only === 'answer-mode') return [answerMode];
    if (only === 'call-info') return [callInfo];
    return [answerMode, callInfo];
  }

  #onProvisional(leg: OutboundLeg, response: SipResponse): void {
    if (leg.ended || response.status === 100) return;
    if (leg.earlyDialog === undefined && response.to.params.get('tag') !== undefined) {
      try {
        leg.earlyDialog = Dialog.asUac(leg.invite, response);
      } catch {
        // A 1xx without Contact makes no usable early dialog; the phone just cannot be answered remotely.
      }
    }
    const sdp = response.body.length > 0 ? Buffer.from(response.body).toString('utf8') : undefined;
    this.#engine?.ringing(leg.id, sdp === undefined ? {} : { earlyMedia: sdp });
  }

  #onFinal(leg: OutboundLeg, response: SipResponse): void {
    if (response.status >= 300) {
      if (leg.ended && response.status === 487) {
        this.#forget(leg);
        return;
      }
      const wasEnded = leg.ended;
      this.#forget(leg);
      if (!wasEnded) this.#engine?.refused(leg.id, causeFromStatus(response.status));
      return;
    }
    let dialog: Dialog;
    try {
      const early = leg.earlyDialog;
      dialog =
        early !== undefined && early.id.remoteTag === response.to.params.get('tag')
          ? early
          : Dialog.asUac(leg.invite, response);
      dialog.confirm();
    } catch (error) {
      this.#logger.warn({ err: error, device: leg.device }, '2xx without Contact or To tag; cannot ACK it');
      this.#forget(leg);
      if (!leg.ended) this.#engine?.refused(leg.id, releaseCauses.congestion);
      return;
    }
    leg.dialog = dialog;
    this.#byDialog.set(dialogKey(dialog.id), leg);
    leg.invite.compact();
    const sdp = response.body.length > 0 ? Buffer.from(response.body).toString('utf8') : undefined;
    if (leg.offered || sdp === undefined) {
      this.#sendAck(leg, leg.invite.cseq.seq);
      const wanted = !leg.ended && (this.#engine?.answered(leg.id, sdp === undefined ? {} : { answer: sdp }) ?? false);
      // A 2xx crossing our CANCEL, or an answer the call no longer wants: ACKed above, ended here (§15).
      if (!wanted) this.#bye(leg);
      return;
    }
    // The phone offered in its 2xx (we sent none): the ACK carries the answer, which comes from the
    // other party (RFC 3264 §4, RFC 3725 flow III). Until then its 2xx repeats are not acknowledged.
    leg.pendingAck = leg.invite.cseq.seq;
    const wanted = !leg.ended && (this.#engine?.answered(leg.id, { offer: sdp }) ?? false);
    if (!wanted) {
      this.#sendAck(leg, leg.invite.cseq.seq);
      this.#bye(leg);
    }
  }

  #ackById(legId: LegId, response: SipResponse): void {
    const leg = this.#legs.get(legId);
    if (leg !== undefined) this.#ack(leg, response);
  }

  /** A repeated 2xx to one of our INVITEs: our ACK was lost, so it is sent again (unless still pending). */
  #ack(leg: SipLeg, response: SipResponse): void {
    if (leg.dialog === undefined || response.to.params.get('tag') !== leg.dialog.id.remoteTag) return;
    if (leg.pendingAck === response.cseq.seq) return;
    const ack = leg.lastAck;
    if (ack?.cseq.seq !== response.cseq.seq) return;
    this.#ua.transactions.sendStateless(ack, leg.target).catch((error: unknown) => {
      this.#logger.info({ err: error, leg: leg.id }, 'ACK could not be sent again');
    });
  }

  #sendAck(leg: SipLeg, cseq: number, answer?: SessionDescription): void {
    if (leg.dialog === undefined || leg.dialog.state === 'terminated') return;
    const ack = leg.dialog.createRequest('ACK', {
      sentBy: this.#sentBy(leg.target),
      protocol: leg.target.protocol,
      cseq,
      ...(answer === undefined ? {} : { headers: [sdpType], body: Buffer.from(leg.origin.present(answer)) }),
    });
    leg.lastAck = ack;
    this.#ua.transactions.sendStateless(ack, leg.target).catch((error: unknown) => {
      this.#logger.info({ err: error, leg: leg.id }, 'ACK could not be sent');
    });
  }

  #bye(leg: SipLeg): void {
    const dialog = leg.dialog;
    // A 2xx still waiting for its answer is acknowledged first: BYE comes after ACK (§15).
    if (leg.pendingAck !== undefined) this.answerOffer(leg.id, undefined);
    this.#forget(leg);
    if (dialog === undefined || dialog.state === 'terminated') return;
    const bye = dialog.createRequest('BYE', {
      sentBy: this.#sentBy(leg.target),
      protocol: leg.target.protocol,
    });
    dialog.terminate();
    this.#ua.sendRequest(bye, { target: leg.target }).catch((error: unknown) => {
      this.#logger.info({ err: error, leg: leg.id }, 'BYE got no answer');
    });
  }

  /** §13.3.1.4: the 2xx is sent again at T1, 2·T1 … capped at T2, until ACK; after 64·T1 the call ends. */
  #retransmit2xx(leg: SipLeg, incoming: IncomingRequest, interval: number, elapsed: number): void {
    const timers = this.#options.timers;
    leg.retransmit = this.#options.clock.setTimer(interval, () => {
      leg.retransmit = undefined;
      if (leg.ended) return;
      const total = elapsed + interval;
      if (total >= 64 * timers.t1 || !incoming.retransmitFinal()) {
        this.#logger.warn({ leg: leg.id, device: leg.device }, 'no ACK for our 2xx; ending the call');
        this.#bye(leg);
        this.#engine?.released(leg.id, releaseCauses.normal);
        return;
      }
      this.#retransmit2xx(leg, incoming, Math.min(interval * 2, timers.t2), total);
    });
  }

  #forget(leg: SipLeg): void {
    leg.ended = true;
    // A re-INVITE of the phone's still waiting is answered now: the dialog ends (RFC 3261 §15.1.2).
    if (leg.pendingUpdate !== undefined && !leg.pendingUpdate.answered) {
      leg.pendingUpdate.respond(487, 'Request Terminated');
    }
    leg.pendingUpdate = undefined;
    this.#legs.delete(leg.id);
    if (leg.dialog !== undefined) this.#byDialog.delete(dialogKey(leg.dialog.id));
    leg.retransmit?.cancel();
    leg.retransmit = undefined;
  }

  /**
   * Where requests to a phone go: its Contact, reusing the connection it came in on when the
   * Contact is that same address (RFC 5626's idea without its machinery); otherwise the Contact's host,
   * port and transport.
   */
  #targetFor(contact: Uri | undefined, source: IncomingSource): SendTarget {
    // The phone reached us at source.local: whatever its Contact, we answer it from there.
    const reached = source.local.address.length > 0 ? { localAddress: source.local.address } : {};
    const fromSource = {
      protocol: source.protocol,
      address: source.remote.address,
      port: source.remote.port,
      ...(source.connectionId === undefined ? {} : { connectionId: source.connectionId }),
      ...reached,
    };
    if (contact === undefined || !isSipUri(contact)) return fromSource;
    const transport = contact.params.get('transport')?.toLowerCase();
    const protocol: TransportProtocol = transport === 'tcp' ? 'tcp' : transport === 'udp' ? 'udp' : source.protocol;
    const port = contact.port ?? 5060;
    if (contact.host === source.remote.address && port === source.remote.port && protocol === source.protocol) {
      return fromSource;
    }
    return { protocol, address: contact.host, port, ...reached };
  }

  /** Our Via sent-by towards a phone: the address it reached us on, when bound to every interface. */
  #sentBy(target: SendTarget): { host: string; port: number } {
    return this.#ua.transport.sentBy(target.protocol, target.localAddress);
  }

  #uri(user: string, host: string): Uri {
    return { scheme: 'sip', user, password: undefined, host, port: undefined, params: new Map(), headers: new Map() };
  }

  #party(party: PartyInfo, host: string) {
    return {
      displayName: party.displayName,
      uri: this.#uri(party.number, host),
      params: new Map<string, string | null>(),
    };
  }

  #contactOf(target: SendTarget, focus = false) {
    const protocol = target.protocol;
    const sentBy = this.#sentBy(target);
    const params = new Map<string, string | null>(protocol === 'tcp' ? [['transport', 'tcp']] : []);
    return {
      displayName: undefined,
      uri: { ...this.#uri('strowger', sentBy.host), port: sentBy.port, params },
      // RFC 4579 §3.3: a conference focus says so with the "isfocus" Contact parameter.
      params: new Map<string, string | null>(focus ? [['isfocus', null]] : []),
    };
  }

  #contactHeader(target: SendTarget, focus = false): HeaderField {
    return { name: 'Contact', value: formatNameAddress(this.#contactOf(target, focus)) };
  }
}
