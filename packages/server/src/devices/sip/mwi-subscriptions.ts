import type { Clock, Logger, TimerHandle } from '../../core/index.js';
import {
  Dialog,
  dialogKey,
  isSipUri,
  type HeaderField,
  type IncomingRequest,
  type SendTarget,
  type SipUserAgent,
  type Uri,
} from '../../sip/index.js';
import { messageSummary } from './message-summary.js';

/** What the subscriptions need of the SIP phone driver around them. */
export interface MwiHost {
  readonly ua: SipUserAgent;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The phone's device, once its SUBSCRIBE passed digest authentication (else it was answered already). */
  authenticate(incoming: IncomingRequest): string | undefined;
  /** The lines of a device, in button order. */
  linesOf(device: string): readonly string[];
  /** Whether a line's message-waiting lamp is on now. */
  lamp(dn: string): boolean;
  /** Where in-dialog requests to the phone go. */
  targetFor(contact: Uri | undefined, incoming: IncomingRequest): SendTarget;
  sentBy(target: SendTarget): { host: string; port: number };
  contactHeader(target: SendTarget): HeaderField;
}

interface Subscription {
  readonly device: string;
  readonly line: string;
  readonly dialog: Dialog;
  readonly target: SendTarget;
  expires: TimerHandle | undefined;
  /** The last NOTIFY sent: the next waits for its answer (RFC 6665 §4.2.2), so none overtakes another. */
  sent: Promise<void>;
}

const event = 'message-summary';
const bodyType = 'application/simple-message-summary';
/** RFC 3842 §4: message-summary subscriptions default to an hour. */
const defaultExpiresSeconds = 3600;
const maxExpiresSeconds = 3600;
/** Shorter subscriptions are refused 423 with this Min-Expires: a phone refreshing every few seconds only loads the server. */
const minExpiresSeconds = 60;

/**
 * Message-waiting subscriptions (RFC 6665, RFC 3842): a phone subscribes to `message-summary` for one
 * of its lines and is told the lamp's state at once and at every change, in the subscription's
 * dialog, until it expires, is refreshed or is ended. Phones that do not subscribe get unsolicited
 * NOTIFYs from the driver instead.
 */
export class MwiSubscriptions {
  readonly #host: MwiHost;
  readonly #byDialog = new Map<string, Subscription>();

  constructor(host: MwiHost) {
    this.#host = host;
  }

  get size(): number {
    return this.#byDialog.size;
  }

  /** A SUBSCRIBE outside any dialog: a new subscription, answered and notified at once. */
  onSubscribe(incoming: IncomingRequest): void {
    const request = incoming.request;
    if (!this.#acceptable(incoming)) return;
    const expires = this.#expiresOf(incoming);
    if (expires === undefined) return;
    const device = this.#host.authenticate(incoming);
    if (device === undefined) return;
    let line = '';
    try {
      line = isSipUri(request.uri) ? decodeURIComponent(request.uri.user ?? '') : '';
    } catch {
      // The parser checked the %-escapes; what is left is an escape that is not UTF-8.
      incoming.respond(400, 'Bad Request - the Request-URI user is not valid UTF-8');
      return;
    }
    const lines = this.#host.linesOf(device);
    if (!lines.includes(line)) {
      incoming.respond(404, 'Not Found', {
        headers: [
          { name: 'Warning', value: `399 strowger "subscribe to one of ${device}'s lines: ${lines.join(', ')}"` },
        ],
      });
      return;
    }
    const contact = request.contacts[0];
    const target = this.#host.targetFor(
      contact === undefined || 'wildcard' in contact ? undefined : contact.uri,
      incoming,
    );
    incoming.respond(200, 'OK', {
      headers: [{ name: 'Expires', value: String(expires) }, this.#host.contactHeader(target)],
    });
    const toTag = incoming.toTag;
    if (toTag === undefined || expires === 0) {
      // A fetch (Expires: 0, RFC 6665 §4.4.3): one NOTIFY with the state, and no subscription.
      if (toTag !== undefined) {
        const dialog = Dialog.asUasWithTag(request, toTag, 'confirmed');
        this.#send(
          { device, line, dialog, target, expires: undefined, sent: Promise.resolve() },
          'terminated;reason=timeout',
        );
      }
      return;
    }
    const subscription: Subscription = {
      device,
      line,
      dialog: Dialog.asUasWithTag(request, toTag, 'confirmed'),
      target,
      expires: undefined,
      sent: Promise.resolve(),
    };
    this.#byDialog.set(dialogKey(subscription.dialog.id), subscription);
    this.#arm(subscription, expires);
    this.#send(subscription, `active;expires=${expires}`);
  }

  /** A request in a subscription's dialog (a refresh, or the end of it); false when it is not one of ours. */
  onInDialog(incoming: IncomingRequest): boolean {
    const request = incoming.request;
    const subscription = this.#byDialog.get(
      dialogKey({
        callId: request.callId,
        localTag: request.to.params.get('tag') ?? '',
        remoteTag: request.from.params.get('tag') ?? '',
      }),
    );
    if (subscription === undefined) return false;
    const check = subscription.dialog.receiveRequest(request);
    if (!check.ok) {
      incoming.respond(check.status, check.reason);
      return true;
    }
    if (request.method !== 'SUBSCRIBE') {
      incoming.respond(405, 'Method Not Allowed', { headers: [{ name: 'Allow', value: 'SUBSCRIBE' }] });
      return true;
    }
    if (!this.#acceptable(incoming)) return true;
    const expires = this.#expiresOf(incoming);
    if (expires === undefined) return true;
    incoming.respond(200, 'OK', {
      headers: [{ name: 'Expires', value: String(expires) }, this.#host.contactHeader(subscription.target)],
    });
    if (expires === 0) {
      this.#end(subscription, 'terminated;reason=timeout');
      return true;
    }
    this.#arm(subscription, expires);
    this.#send(subscription, `active;expires=${expires}`);
    return true;
  }

  /** The lamp of `line` changed: every subscription of the device to it is told. False when there is none. */
  notify(device: string, line: string): boolean {
    let told = false;
    for (const subscription of this.#byDialog.values()) {
      if (subscription.device !== device || subscription.line !== line) continue;
      this.#send(subscription, 'active');
      told = true;
    }
    return told;
  }

  close(): void {
    for (const subscription of this.#byDialog.values()) subscription.expires?.cancel();
    this.#byDialog.clear();
  }

  #acceptable(incoming: IncomingRequest): boolean {
    const request = incoming.request;
    const name = request.getHeader('Event')?.split(';')[0]?.trim().toLowerCase();
    if (name !== event) {
      incoming.respond(489, 'Bad Event', { headers: [{ name: 'Allow-Events', value: event }] });
      return false;
    }
    const accept = request.getHeader('Accept');
    if (
      accept !== undefined &&
      !accept
        .toLowerCase()
        .split(',')
        .some((type) => type.trim().startsWith(bodyType))
    ) {
      incoming.respond(406, 'Not Acceptable', { headers: [{ name: 'Accept', value: bodyType }] });
      return false;
    }
    return true;
  }

  /** The subscription's duration: the phone's wish within our bounds; undefined when refused (423 or 400). */
  #expiresOf(incoming: IncomingRequest): number | undefined {
    const value = incoming.request.getHeader('Expires');
    if (value === undefined) return defaultExpiresSeconds;
    const asked = Number(value.trim());
    if (!Number.isInteger(asked) || asked < 0) {
      incoming.respond(400, 'Bad Request - Expires is not a number of seconds');
      return undefined;
    }
    if (asked > 0 && asked < minExpiresSeconds) {
      incoming.respond(423, 'Interval Too Brief', {
        headers: [{ name: 'Min-Expires', value: String(minExpiresSeconds) }],
      });
      return undefined;
    }
    return Math.min(asked, maxExpiresSeconds);
  }

  #arm(subscription: Subscription, seconds: number): void {
    subscription.expires?.cancel();
    subscription.expires = this.#host.clock.setTimer(seconds * 1000, () => {
      subscription.expires = undefined;
      this.#end(subscription, 'terminated;reason=timeout');
    });
  }

  #end(subscription: Subscription, state: string): void {
    subscription.expires?.cancel();
    this.#byDialog.delete(dialogKey(subscription.dialog.id));
    this.#send(subscription, state);
  }

  #send(subscription: Subscription, state: string): void {
    subscription.sent = subscription.sent.then(() => this.#notify(subscription, state));
  }

  async #notify(subscription: Subscription, state: string): Promise<void> {
    const { target, dialog, line } = subscription;
    const host = this.#host.sentBy(target).host;
    let notify;
    try {
      notify = dialog.createRequest('NOTIFY', {
        sentBy: this.#host.sentBy(target),
        protocol: target.protocol,
        headers: [
          { name: 'Event', value: event },
          { name: 'Subscription-State', value: state },
          this.#host.contactHeader(target),
          { name: 'Content-Type', value: bodyType },
        ],
        body: Buffer.from(messageSummary(this.#host.lamp(line), `sip:${line}@${host}`)),
      });
    } catch {
      return; // the dialog ended
    }
    try {
      const response = await this.#host.ua.sendRequest(notify, { target });
      // RFC 6665 §4.2.2: 481 (or a failure) means the subscriber has gone; the subscription ends.
      if (response.status === 481 || response.status >= 500) this.#forget(subscription);
    } catch (error) {
      this.#host.logger.info({ err: error, device: subscription.device }, 'message-summary NOTIFY got no answer');
      this.#forget(subscription);
    }
  }

  #forget(subscription: Subscription): void {
    subscription.expires?.cancel();
    this.#byDialog.delete(dialogKey(subscription.dialog.id));
  }
}
