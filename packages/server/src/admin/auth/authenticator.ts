import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, type LoginThrottle } from '../../core/index.js';
import { verifyPassword, type AdminRole } from '../../store/index.js';
import { HttpProblem } from '../problem.js';
import type { Principal } from './principal.js';
import type { SessionStore } from './sessions.js';

/** What the authenticator reads accounts from (the store's AdminAccounts, or a fake in tests). */
export interface AccountDirectory {
  find(username: string): Promise<{ username: string; role: AdminRole; passwordHash: string } | undefined>;
  findByToken(token: string): Promise<{ username: string; role: AdminRole } | undefined>;
}

export const sessionCookie = 'strowger_session';

/** How long a verified Basic credential is remembered, so a script's every request is not a 50 ms scrypt. */
const basicCacheMs = 5 * 60_000;
const basicCacheSize = 1000;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Turns a request's credentials into a principal: a session cookie (the web UI), HTTP Basic (scripts,
 * as CUCM's AXL takes it), a bearer token (scripts, Prometheus), or the local credential the server
 * keeps for the command line in its data directory. Password and token guesses go through the
 * admin login throttle: while the source, the user or the pair is locked, attempts are refused
 * unchecked with 429 and Retry-After.
 */
export class Authenticator {
  readonly #accounts: AccountDirectory;
  readonly #throttle: LoginThrottle;
  readonly #sessions: SessionStore;
  readonly #localToken: Buffer | undefined;
  readonly #now: () => number;
  /** sha256(user NUL password) → when the check was made. */
  readonly #basicCache = new Map<string, { username: string; checkedAt: number }>();

  constructor(options: {
    accounts: AccountDirectory;
    throttle: LoginThrottle;
    sessions: SessionStore;
    localToken?: string | undefined;
    now?: () => number;
  }) {
    this.#accounts = options.accounts;
    this.#throttle = options.throttle;
    this.#sessions = options.sessions;
    this.#localToken = options.localToken === undefined ? undefined : sha256(options.localToken);
    this.#now = options.now ?? Date.now;
  }

  get sessions(): SessionStore {
    return this.#sessions;
  }

  /** Forgets remembered Basic credentials: an account's password or role changed, or it was deleted. */
  forget(): void {
    this.#basicCache.clear();
  }

  /** The principal of a request, or null when it carries no credentials at all. */
  async authenticate(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const space = header.indexOf(' ');
      const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
      const value = space < 0 ? '' : header.slice(space + 1).trim();
      if (scheme === 'basic') return this.#basic(value, request.ip);
      if (scheme === 'bearer') return this.#bearer(value, request.ip);
      throw new HttpProblem(
        401,
        ErrorCode.AuthenticationFailed,
        `the Authorization scheme "${scheme}" is not accepted; use Basic (user and password) or Bearer (an API token)`,
      );
    }
    const sessionId = cookieValue(request.headers.cookie, sessionCookie);
    if (sessionId !== undefined) return this.#session(sessionId);
    return null;
  }

  /** Checks a user name and password (Basic, or the sign-in form), slowed down per source and user. */
  async verifyPassword(
    username: string,
    password: string,
    source: string,
  ): Promise<{ username: string; role: AdminRole }> {
    const admission = this.#throttle.admit({ user: username, source });
    if (!admission.admitted) throw lockedOut(admission.retryAfterMs);
    const account = await this.#accounts.find(username);
    // An unknown account costs the same hash as a known one, so timing does not tell which exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? unknownAccountHash);
    if (account === undefined || !ok) {
      admission.attempt.failed();
      throw new HttpProblem(
        401,
        ErrorCode.AuthenticationFailed,
        'wrong user name or password; repeated failures are slowed down',
      );
    }
    admission.attempt.succeeded();
    return { username: account.username, role: account.role };
  }

  async #basic(value: string, source: string): Promise<Principal> {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) {
      throw new HttpProblem(
        401,
        ErrorCode.AuthenticationFailed,
        'a Basic credential is base64 of "user:password"; curl -u user:password makes one',
      );
    }
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const key = sha256(`${username}\0${password}`).toString('base64url');
    const cached = this.#basicCache.get(key);
    if (cached !== undefined && this.#now() - cached.checkedAt < basicCacheMs) {
      const account = await this.#accounts.find(cached.username);
      if (account !== undefined) return { username: account.username, role: account.role, via: 'basic' };
    }
    const account = await this.verifyPassword(username, password, source);
    if (this.#basicCache.size >= basicCacheSize) this.#basicCache.clear();
    this.#basicCache.set(key, { username: account.username, checkedAt: this.#now() });
    return { ...account, via: 'basic' };
  }

  async #bearer(token: string, source: string): Promise<Principal> {
    if (this.#localToken !== undefined && timingSafeEqual(sha256(token), this.#localToken)) {
      return { username: 'local', role: 'admin', via: 'local' };
    }
    const admission = this.#throttle.admit({ user: undefined, source });
    if (!admission.admitted) throw lockedOut(admission.retryAfterMs);
    const account = await this.#accounts.findByToken(token);
    if (account === undefined) {
      admission.attempt.failed();
      throw new HttpProblem(
        401,
        ErrorCode.AuthenticationFailed,
        'unknown or revoked API token; create one with POST /api/v1/auth/tokens',
      );
    }
    admission.attempt.succeeded();
    return { username: account.username, role: account.role, via: 'bearer' };
  }

  async #session(id: string): Promise<Principal> {
    const session = this.#sessions.touch(id);
    const account = session === undefined ? undefined : await this.#accounts.find(session.username);
    if (session === undefined || account === undefined) {
      throw new HttpProblem(401, ErrorCode.AuthenticationFailed, 'the session has ended; sign in again');
    }
    return {
      username: account.username,
      role: account.role,
      via: 'session',
      csrfToken: session.csrfToken,
      sessionId: id,
    };
  }
}

/** A real scrypt hash of nothing anybody knows, checked against when the account does not exist. */
const unknownAccountHash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$7ZcXQj0zWw3Q3Gm0sL5rN7vT1yYkq2a0Jx8b9u4cS1o';

function lockedOut(retryAfterMs: number): HttpProblem {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpProblem(
    429,
    ErrorCode.AccountLocked,
    `too many failed logins from this address or for this account; try again in ${seconds} s`,
    { retryAfterSeconds: seconds },
  );
}

/** One cookie's value from a Cookie header (RFC 6265 §5.4), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
