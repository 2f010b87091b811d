import type { KeyedRateLimiter, Logger, LoginThrottle } from '../../core/index.js';
import { silentLogger } from '../../core/index.js';
import {
  parseDigestHeader,
  type DigestAlgorithm,
  type DigestAuthenticator,
  type HeaderField,
  type SipRequest,
} from '../../sip/index.js';
import type { SipAccount, SipAccountDirectory } from './sip-accounts.js';

/** The part of an incoming request the gate needs: the message, where it came from, a way to answer. */
export interface GatedExchange {
  readonly request: SipRequest;
  readonly source: { remote: { address: string; port: number } };
  respond(status: number, reason?: string, options?: { headers?: HeaderField[]; stateless?: boolean }): void;
  /** Drops the request unanswered (its transaction ends at once). */
  discard(): void;
}

/** Why a request did not pass, for metrics and the caller's own outcome. */
export type GateRefusal = 'challenged' | 'stale' | 'rejected' | 'throttled' | 'dropped';

export type GateResult = { ok: true; account: SipAccount } | { ok: false; refusal: GateRefusal };

/** 401 with WWW-Authenticate/Authorization (a registrar) or 407 with the Proxy- pair (calls, as a proxy). */
export type ChallengeKind = 'www' | 'proxy';

export interface DigestGateOptions {
  authenticator: Pick<DigestAuthenticator, 'challenge' | 'verify' | 'realm'>;
  accounts: SipAccountDirectory;
  throttle: LoginThrottle;
  /** Challenges per source address; beyond it requests without credentials are dropped unanswered. */
  challenges: KeyedRateLimiter;
  logger?: Logger;
  /** A challenge was not sent because its source is over its rate. */
  onChallengeDropped?: () => void;
}

const names = {
  www: { status: 401, reason: 'Unauthorized', credentials: 'Authorization', challenge: 'WWW-Authenticate' },
  proxy: {
    status: 407,
    reason: 'Proxy Authentication Required',
    credentials: 'Proxy-Authorization',
    challenge: 'Proxy-Authenticate',
  },
} as const;

/**
 * Digest authentication of phones' requests as the registrar and the B2BUA both need it
 * (RFC 3261 §22), with what keeps it from being a guessing oracle or a reflector:
 *
 * - Every answer to a request that did not authenticate (the challenge, 403, 503) is sent once,
 *   statelessly (§26.3.2.4): an INVITE from a spoofed address draws one 407, not eleven over 32 s,
 *   and holds no transaction. A retransmission is challenged again; the ACK to the 407 matches no
 *   transaction and is absorbed by the core.
 * - Challenges are rate-limited per source, and over the rate the request is dropped unanswered: an
 *   answer would go to whoever the (spoofable, over UDP) source address names.
 * - Requests with credentials ask the login throttle first, before the password is looked at. While
 *   the user, the source or the pair is locked out the answer is `503` with `Retry-After`.
 *
 * NOTE: we refuse at once rather than hold the answer back: a delay would keep a timer and a request
 * per attempt for its whole length, which a guesser sending thousands a second turns into memory, and
 * a throttled phone retries by itself after `Retry-After` (RFC 3261 §21.5.4) whatever we answer.
 */
export class DigestGate {
  readonly #options: DigestGateOptions;
  readonly #logger: Logger;

  constructor(options: DigestGateOptions) {
    this.#options = options;
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'sip-auth' });
  }

  /** Judges a request's credentials; when it does not pass, the request has been answered (or dropped). */
  authenticate(exchange: GatedExchange, kind: ChallengeKind): GateResult {
    const { request, source } = exchange;
    const headers = names[kind];
    const address = source.remote.address;
    const credentials = this.#credentials(request, headers.credentials);
    if (credentials === undefined) {
      return this.#challenge(exchange, kind, false);
    }
    const admission = this.#options.throttle.admit({ user: usernameOf(credentials), source: address });
    if (!admission.admitted) {
      exchange.respond(503, 'Service Unavailable - too many failed logins, try again later', {
        headers: [{ name: 'Retry-After', value: String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))) }],
        stateless: true,
      });
      return { ok: false, refusal: 'throttled' };
    }
    const { attempt } = admission;
    const result = this.#options.authenticator.verify({
      method: request.method,
      authorization: credentials,
      lookupHa1: (username, realm, algorithm: DigestAlgorithm) => {
        const account = this.#options.accounts.findByUsername(username);
        if (account === undefined || account.ha1.realm !== realm) return undefined;
        return algorithm === 'MD5' ? account.ha1.md5 : account.ha1.sha256;
      },
    });
    if (result.ok) {
      const account = this.#options.accounts.findByUsername(result.username);
      if (account !== undefined) {
        attempt.succeeded();
        return { ok: true, account };
      }
      // The account went away between the lookup and now (a configuration change).
      attempt.abandoned();
      exchange.respond(403, 'Forbidden', { stateless: true });
      return { ok: false, refusal: 'rejected' };
    }
    if (result.reason === 'stale') {
      // RFC 7616 §3.3: the credentials were right but the nonce is old; the phone retries at once.
      attempt.succeeded();
      return this.#challenge(exchange, kind, true);
    }
    if (result.reason === 'unknown-nonce') {
      // Judged before any password (a nonce from before a restart): challenge afresh, count nothing.
      attempt.abandoned();
      return this.#challenge(exchange, kind, false);
    }
    attempt.failed();
    this.#logger.info(
      {
        source: `${address}:${source.remote.port}`,
        method: request.method,
        reason: result.reason,
        username: result.username,
      },
      `${request.method} authentication failed`,
    );
    // The same answer for an unknown user, a wrong password and a replayed nonce, so nobody can learn
    // which accounts exist.
    exchange.respond(403, 'Forbidden', { stateless: true });
    return { ok: false, refusal: 'rejected' };
  }

  #challenge(exchange: GatedExchange, kind: ChallengeKind, stale: boolean): GateResult {
    if (!this.#options.challenges.take(exchange.source.remote.address)) {
      exchange.discard();
      this.#options.onChallengeDropped?.();
      return { ok: false, refusal: 'dropped' };
    }
    const headers = names[kind];
    exchange.respond(headers.status, headers.reason, {
      headers: this.#options.authenticator.challenge({ stale }).map((value) => ({ name: headers.challenge, value })),
      stateless: true,
    });
    return { ok: false, refusal: stale ? 'stale' : 'challenged' };
  }

  /**
   * The Digest credentials for our realm; phones that talk to several servers may send more than one.
   * Credentials in a scheme we do not know count as none, so they get a challenge (RFC 4475 "regaut01").
   */
  #credentials(request: SipRequest, header: string): string | undefined {
    const values = request.getHeaders(header).filter((value) => /^[ \t]*digest[ \t]/i.test(value));
    if (values.length <= 1) return values[0];
    return values.find((value) => value.includes(`realm="${this.#options.authenticator.realm}"`)) ?? values[0];
  }
}

/** The user named by credentials, read without judging them (the throttle keys on it). */
function usernameOf(credentials: string): string | undefined {
  const username = parseDigestHeader(credentials)?.params.get('username');
  return username === undefined || username === '' ? undefined : username;
}
