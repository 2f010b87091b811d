import type { Clock } from '../../core/index.js';
import { parseDigestHeader, formatDigestHeader } from './auth-header.js';
import {
  computeResponse,
  constantTimeEqual,
  digestHash,
  hmac,
  isDigestAlgorithm,
  randomHex,
  type DigestAlgorithm,
} from './digest.js';
import { randomBytes } from 'node:crypto';

export type AuthFailureReason =
  | 'malformed'
  | 'stale'
  | 'unknown-nonce'
  | 'wrong-realm'
  | 'unknown-user'
  | 'bad-response'
  | 'replayed'
  | 'unsupported-algorithm';

export type AuthResult =
  | { ok: true; username: string; algorithm: DigestAlgorithm }
  | { ok: false; reason: AuthFailureReason; username?: string };

export interface DigestAuthenticatorOptions {
  realm: string;
  clock: Clock;
  /** Key for nonce integrity; random per process when absent (nonces then die with the process). */
  secret?: Uint8Array;
  nonceLifetimeMs?: number;
  /** Offered in this order; RFC 8760 §2.4 asks for the most preferred first. */
  algorithms?: DigestAlgorithm[];
  /** Nonces tracked for replay protection; see `#remember`. */
  maxTrackedNonces?: number;
}

export interface VerifyInput {
  method: string;
  authorization: string;
  lookupHa1: (username: string, realm: string, algorithm: DigestAlgorithm) => string | undefined;
}

const unquotedInChallenge = new Set(['algorithm', 'stale']);

/**
 * Server side of SIP digest authentication (RFC 3261 §22.4, RFC 7616, RFC 8760) with qop=auth.
 * Nonces carry their issue time and an HMAC, so any of them can be checked without state; the only
 * state is the highest nonce-count seen per nonce, which is what stops a replay.
 */
export class DigestAuthenticator {
  readonly realm: string;
  readonly #clock: Clock;
  readonly #secret: Uint8Array;
  readonly #lifetimeMs: number;
  readonly #algorithms: DigestAlgorithm[];
  readonly #maxTracked: number;
  readonly #opaque: string;
  /** nonce → highest nonce-count accepted; insertion order is issue order, oldest first. */
  readonly #counts = new Map<string, number>();

  constructor(options: DigestAuthenticatorOptions) {
    this.realm = options.realm;
    this.#clock = options.clock;
    this.#secret = options.secret ?? randomBytes(32);
    this.#lifetimeMs = options.nonceLifetimeMs ?? 300_000;
    this.#algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    this.#maxTracked = options.maxTrackedNonces ?? 100_000;
    this.#opaque = randomHex(8);
    if (this.#algorithms.length === 0) throw new Error('DigestAuthenticator needs at least one algorithm');
  }

  get algorithms(): readonly DigestAlgorithm[] {
    return this.#algorithms;
  }

  /** One WWW-Authenticate value per algorithm, all with the same fresh nonce. */
  challenge(options: { stale?: boolean } = {}): string[] {
    const nonce = this.#issueNonce();
    return this.#algorithms.map((algorithm) => {
      const params: Array<[string, string]> = [
        ['realm', this.realm],
        ['nonce', nonce],
        ['opaque', this.#opaque],
        ['algorithm', algorithm],
        ['qop', 'auth'],
      ];
      if (options.stale === true) params.push(['stale', 'true']);
      return formatDigestHeader(params, unquotedInChallenge);
    });
  }

  verify(input: VerifyInput): AuthResult {
    const parsed = parseDigestHeader(input.authorization);
    if (parsed === undefined || parsed.scheme.toLowerCase() !== 'digest') return { ok: false, reason: 'malformed' };
    const p = parsed.params;
    const username = p.get('username');
    const realm = p.get('realm');
    const nonce = p.get('nonce');
    const uri = p.get('uri');
    const response = p.get('response');
    const qop = p.get('qop');
    const nc = p.get('nc');
    const cnonce = p.get('cnonce');
    const algorithmText = p.get('algorithm') ?? 'MD5'; // RFC 7616 §3.4: absent means MD5
    if (
      username === undefined ||
      realm === undefined ||
      nonce === undefined ||
      uri === undefined ||
      response === undefined
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (!isDigestAlgorithm(algorithmText) || !this.#algorithms.includes(algorithmText)) {
      return { ok: false, reason: 'unsupported-algorithm', username };
    }
    const algorithm = algorithmText;
    // We always offer qop=auth, so credentials without it (RFC 2069 style) are refused.
    if (qop !== 'auth' || nc === undefined || cnonce === undefined || !/^[0-9a-fA-F]{8}$/.test(nc)) {
      return { ok: false, reason: 'malformed', username };
    }
    if (realm !== this.realm) return { ok: false, reason: 'wrong-realm', username };
    const age = this.#nonceAge(nonce);
    // A nonce we did not issue (one from before a restart, or forged) is judged before any password
    // is: the caller challenges afresh, and nothing about the password has been learnt.
    if (age === undefined) return { ok: false, reason: 'unknown-nonce', username };

    const storedHa1 = input.lookupHa1(username, realm, algorithm);
    // An unknown user costs the same hashing as a known one, so timing does not reveal accounts.
    const ha1 = storedHa1 ?? digestHash(algorithm, `${username}:${realm}:${randomHex(8)}`);
    const expected = computeResponse({ algorithm, ha1, nonce, nc, cnonce, qop, method: input.method, uri });
    const matches = constantTimeEqual(expected, response.toLowerCase());
    if (storedHa1 === undefined) return { ok: false, reason: 'unknown-user', username };
    if (!matches) return { ok: false, reason: 'bad-response', username };
    // RFC 7616 §3.3: right credentials on an expired nonce → stale, and the client retries silently.
    if (age > this.#lifetimeMs) return { ok: false, reason: 'stale', username };
    const count = Number.parseInt(nc, 16);
    const seen = this.#counts.get(nonce) ?? 0;
    if (count <= seen) return { ok: false, reason: 'replayed', username };
    this.#remember(nonce, count);
    return { ok: true, username, algorithm };
  }

  #issueNonce(): string {
    const issued = this.#clock.now().toString(36);
    const salt = randomHex(8);
    return `${issued}.${salt}.${hmac(this.#secret, `${issued}.${salt}.${this.realm}`)}`;
  }

  /** Milliseconds since the nonce was issued, or undefined when we did not issue it. */
  #nonceAge(nonce: string): number | undefined {
    const parts = nonce.split('.');
    if (parts.length !== 3) return undefined;
    const [issued, salt, mac] = parts as [string, string, string];
    if (!constantTimeEqual(mac, hmac(this.#secret, `${issued}.${salt}.${this.realm}`))) return undefined;
    const issuedAt = Number.parseInt(issued, 36);
    if (!Number.isFinite(issuedAt)) return undefined;
    const age = this.#clock.now() - issuedAt;
    return age < 0 ? undefined : age;
  }

  /**
   * Records the highest nonce-count of a nonce. Expired nonces are forgotten (they can only earn a
   * stale answer). At the bound the oldest nonce is forgotten; a replay on it then fails anyway once
   * it expires, and before that could succeed once — the bound is sized far above the number of
   * nonces live within one lifetime on a busy registrar.
   */
  #remember(nonce: string, count: number): void {
    if (this.#counts.has(nonce)) this.#counts.delete(nonce);
    this.#counts.set(nonce, count);
    for (const [oldest] of this.#counts) {
      const age = this.#nonceAge(oldest);
      if (this.#counts.size <= this.#maxTracked && age !== undefined && age <= this.#lifetimeMs) break;
      this.#counts.delete(oldest);
    }
  }

  /** Nonces currently tracked for replay protection (for tests and metrics). */
  get trackedNonces(): number {
    return this.#counts.size;
  }
}
