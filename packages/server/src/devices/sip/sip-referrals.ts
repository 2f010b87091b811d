import type { Clock, Logger } from '../../core/index.js';
import {
  isSipUri,
  isTelUri,
  parseNameAddress,
  type HeaderField,
  type IncomingRequest,
  type SipUserAgent,
  type TimerSettings,
  type SendTarget,
  type Uri,
} from '../../sip/index.js';
import { headerParam, transferFailureStatus } from './refer.js';
import type { Referral, SipLeg, SwitchInputs } from './sip-leg.js';

const sipfragType: HeaderField = { name: 'Content-Type', value: 'message/sipfrag;version=2.0' };

/** What REFER handling needs of the SIP phone driver. */
export interface ReferralHost {
  readonly ua: SipUserAgent;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timers: TimerSettings;
  engine(): SwitchInputs | undefined;
  /** Our Contact for a phone reached at `target` (its transport, and the address it reached us on). */
  contactHeader(target: SendTarget): HeaderField;
  /** The phone's leg a Replaces value names, if it has one. */
  legReplacedBy(replaces: string): SipLeg | undefined;
  /** Whether the driver still has this leg. */
  isCurrent(leg: SipLeg): boolean;
  /** Ends the leg's dialog with BYE. */
  bye(leg: SipLeg): void;
}

/**
 * REFER from phones (RFC 3515) as the SIP phone driver handles it: blind and attended transfer, and
 * joins to a conference focus, with progress reported in sipfrag NOTIFYs.
 */
export class SipReferrals {
  readonly #host: ReferralHost;

  constructor(host: ReferralHost) {
    this.#host = host;
  }

  /**
   * A phone transfers its call (RFC 3515). A Refer-To with a number is a blind transfer; one with
   * Replaces (RFC 3891) naming another of this phone's calls with us is an attended transfer, which
   * joins the two other parties. We accept with 202 and report with NOTIFY: 100 Trying at once, then
   * 200 OK once the engine has taken the transfer — the phone then leaves, and is sent BYE if it
   * does not hang up itself — or the failure, in which case the call stays as it was.
   */
  onRefer(leg: SipLeg, incoming: IncomingRequest): void {
    const engine = this.#host.engine();
    const request = incoming.request;
    if (engine === undefined) {
      incoming.respond(503, 'Service Unavailable');
      return;
    }
    const referTo = request.getHeaders('Refer-To');
    if (referTo.length !== 1) {
      incoming.respond(400, 'Bad Request - a REFER needs exactly one Refer-To');
      return;
    }
    let target: Uri;
    try {
      target = parseNameAddress(referTo[0] ?? '').uri;
    } catch {
      incoming.respond(400, 'Bad Request - Refer-To is not a SIP or tel URI');
      return;
    }
    const number = isSipUri(target) ? target.user : isTelUri(target) ? target.number : undefined;
    const replaces = isSipUri(target) ? headerParam(target, 'Replaces') : undefined;
    if (replaces === undefined && (number === undefined || number.length === 0)) {
      incoming.respond(400, 'Bad Request - Refer-To names no number to transfer to');
      return;
    }
    // Joins to a conference may follow each other; a transfer is one at a time.
    const joining = replaces !== undefined && engine.inConference(leg.id);
    if (leg.referral !== undefined && !joining) {
      incoming.respond(491, 'Request Pending');
      return;
    }
    const notify = request.getHeader('Refer-Sub')?.trim().toLowerCase() !== 'false';
    incoming.respond(202, 'Accepted', {
      headers: [this.#host.contactHeader(leg.target), ...(notify ? [] : [{ name: 'Refer-Sub', value: 'false' }])],
    });
    // Each REFER is its own subscription; NOTIFYs of one dialog still go one after another.
    const referral: Referral = { cseq: request.cseq.seq, notify, sent: leg.referral?.sent ?? Promise.resolve() };
    if (!joining) leg.referral = referral;
    this.#notify(leg, referral, '100 Trying', false);
    try {
      if (replaces !== undefined) {
        const replaced = this.#host.legReplacedBy(replaces);
        if (replaced === undefined || replaced === leg) {
          throw Object.assign(new Error(`Replaces names no call of this phone: ${replaces}`), { sipStatus: 481 });
        }
        if (joining) {
          // A REFER to the conference focus brings the phone's other call into the conference
          // (RFC 4579 §5.10); the phone stays, so the outcome is reported here, not on leaving.
          engine.joinConference(leg.id, replaced.id).then(
            () => this.#notify(leg, referral, '200 OK', true),
            (error: unknown) => {
              this.#host.logger.info({ err: error, leg: leg.id }, 'joining the conference failed');
              this.#notify(leg, referral, transferFailureStatus(error), true);
            },
          );
          return;
        }
        engine.transferCalls(leg.id, replaced.id);
      } else {
        engine.transfer(leg.id, decodeURIComponent(number ?? ''));
      }
    } catch (error) {
      // The transfer was not taken: the call goes on, and the phone hears why (RFC 3515 §2.4.5).
      this.#host.logger.info({ err: error, leg: leg.id }, 'transfer refused');
      if (leg.referral === referral) leg.referral = undefined;
      this.#notify(leg, referral, transferFailureStatus(error), true);
    }
  }

  /**
   * Reports a referral's progress in a sipfrag NOTIFY (RFC 3515 §2.4.4), unless the phone asked not,
   * after the previous NOTIFY has its answer. `referral.sent` resolves when this one has; it never
   * rejects, since a NOTIFY that cannot be built or sent is logged here.
   */
  #notify(leg: SipLeg, referral: Referral, status: string, final: boolean): void {
    if (!referral.notify) return;
    referral.sent = referral.sent
      .then(() => {
        const dialog = leg.dialog;
        if (dialog === undefined || dialog.state === 'terminated') return;
        const notify = dialog.createRequest('NOTIFY', {
          sentBy: this.#host.ua.transport.sentBy(leg.target.protocol, leg.target.localAddress),
          protocol: leg.target.protocol,
          headers: [
            { name: 'Event', value: `refer;id=${referral.cseq}` },
            { name: 'Subscription-State', value: final ? 'terminated;reason=noresource' : 'active;expires=60' },
            this.#host.contactHeader(leg.target),
            sipfragType,
          ],
          body: Buffer.from(`SIP/2.0 ${status}\r\n`),
        });
        return this.#host.ua.sendRequest(notify, { target: leg.target }).then(
          () => undefined,
          (error: unknown) => this.#host.logger.info({ err: error, leg: leg.id }, 'NOTIFY got no answer'),
        );
      })
      .catch((error: unknown) => {
        this.#host.logger.error({ err: error, leg: leg.id }, 'the transfer NOTIFY could not be sent');
      });
  }

  /**
   * The phone transferred its call away. It hears that the transfer succeeded and is expected to hang
   * up (RFC 5589 §6); if it has not after 4·T1, we end its dialog ourselves.
   */
  leaveAfterTransfer(leg: SipLeg): void {
    const referral = leg.referral;
    leg.referral = undefined;
    leg.ended = true;
    if (referral !== undefined) this.#notify(leg, referral, '200 OK', true);
    const notified = referral === undefined ? Promise.resolve() : referral.sent;
    notified
      .then(() => {
        leg.retransmit?.cancel();
        leg.retransmit = this.#host.clock.setTimer(4 * this.#host.timers.t1, () => {
          leg.retransmit = undefined;
          if (this.#host.isCurrent(leg)) this.#host.bye(leg);
        });
      })
      .catch((error: unknown) => {
        this.#host.logger.error({ err: error, leg: leg.id }, 'could not arm the BYE after a transfer');
      });
  }
}
