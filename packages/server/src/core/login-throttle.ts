import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';

/**
 * What a penalty is attached to: the account being guessed (`user`), the address guessing
 * (`source`), or one account from one address (`pair`).
 */
export type LoginScope = 'user' | 'source' | 'pair';

export interface LoginThrottleOptions {
  clock: Clock;
  /** What is being logged into, for the log line and metrics: `sip`, `cti`, `admin`. */
  service: string;
  logger?: Logger;
  /** Failures (after decay) at which a scope is locked; later failures lock it for longer. */
  thresholds?: Partial<Record<LoginScope, number>>;
  /** The first lock-out; each further failure doubles it up to `maxLockoutMs`. */
  firstLockoutMs?: number;
  maxLockoutMs?: number;
  /** One failure is forgiven per interval without failures, so penalties fade once guessing stops. */
  decayMs?: number;
  /** A pair that logged in within this time is not held back by its user's lock-out (the real phone). */
  trustMs?: number;
  /** Keys remembered per scope; the least recently failing is forgotten first. */
  maxTracked?: number;
  observer?: LoginThrottleObserver;
}

/** One lock-out: a scope went from open to locked. */
export interface LoginLockout {
  readonly service: string;
  readonly scope: LoginScope;
  readonly user: string | undefined;
  readonly source: string;
  /** Failures counted against the scope's key (after decay) when it was locked. */
  readonly failures: number;
  readonly lockedForMs: number;
}

/** A monitoring tap for metrics; the throttle logs lock-outs itself. */
export interface LoginThrottleObserver {
  lockedOut?(lockout: LoginLockout): void;
  refused?(scope: LoginScope): void;
}

/** An admitted attempt; the caller reports its outcome exactly once (later reports are ignored). */
export interface LoginAttempt {
  /** The credentials were right: the pair's own penalty is cleared and the pair is trusted. */
  succeeded(): void;
  /** Wrong credentials, an unknown user, a replay: counts against the user, the source and the pair. */
  failed(): void;
  /** The attempt ended before the credentials were judged (a malformed request); nothing is counted. */
  abandoned(): void;
}

export type LoginAdmission =
  | { readonly admitted: true; readonly attempt: LoginAttempt }
  | { readonly admitted: false; readonly scope: LoginScope; readonly retryAfterMs: number };

interface Penalty {
  /** Failures not yet forgiven as of `updatedAt`. */
  score: number;
  updatedAt: number;
  lockedUntil: number;
}

const defaultThresholds: Record<LoginScope, number> = { user: 5, source: 10, pair: 5 };
/** A bound on the score, so that the time a penalty takes to fade after an attack stays bounded too. */
const maxScoreAboveThreshold = 20;
/** Keys are made of input a guesser chooses: user names longer than this are cut. */
const maxUserLength = 128;

/**
 * Slows down password guessing for every kind of login (SIP digest, CTI, admin): penalties are kept
 * per user, per source address and per user+source pair. While a scope is locked, every attempt in it
 * is refused *before* its credentials are checked, so a right guess from a locked scope learns nothing
 * and gets no quicker answer. Penalties grow with failures (the lock-out doubles from
 * `firstLockoutMs` up to `maxLockoutMs`) and fade by one failure per `decayMs`.
 *
 * A success clears only its own pair's penalty: not its source's (one valid account must not reset
 * the guessing of others from the same address) and not its user's (the real phone registering every
 * hour must not reopen the account to the guesser). Instead the pair becomes trusted, and a trusted
 * pair passes its user's lock-out: the phone that logged in before still gets in while its account
 * is under attack from elsewhere, and the guesser from elsewhere does not.
 *
 * The state is a few numbers per key with a bound on the keys, and nothing is held per attempt
 * (no timer, no queued answer), so a flood of guesses costs memory only for the distinct keys.
 */
export class LoginThrottle {
  readonly #clock: Clock;
  readonly #service: string;
  readonly #logger: Logger;
  readonly #thresholds: Record<LoginScope, number>;
  readonly #firstLockoutMs: number;
  readonly #maxLockoutMs: number;
  readonly #decayMs: number;
  readonly #trustMs: number;
  readonly #maxTracked: number;
  readonly #observer: LoginThrottleObserver;
  readonly #penalties: Record<LoginScope, Map<string, Penalty>> = {
    user: new Map(),
    source: new Map(),
    pair: new Map(),
  };
  /** Pair key → when its trust ends. */
  readonly #trusted = new Map<string, number>();
  /** Attempts admitted and not yet reported, per user and per source key. */
  readonly #pending: Record<'user' | 'source', Map<string, number>> = { user: new Map(), source: new Map() };
  readonly #lockouts: Record<LoginScope, number> = { user: 0, source: 0, pair: 0 };

  constructor(options: LoginThrottleOptions) {
    this.#clock = options.clock;
    this.#service = options.service;
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'login-throttle', service: options.service });
    this.#thresholds = { ...defaultThresholds, ...options.thresholds };
    this.#firstLockoutMs = options.firstLockoutMs ?? 1_000;
    this.#maxLockoutMs = options.maxLockoutMs ?? 60_000;
    this.#decayMs = options.decayMs ?? 60_000;
    this.#trustMs = options.trustMs ?? 86_400_000;
    this.#maxTracked = options.maxTracked ?? 50_000;
    this.#observer = options.observer ?? {};
  }

  get service(): string {
    return this.#service;
  }

  /**
   * Asks whether an attempt may be checked now, before anything about its credentials is. `user` is
   * the account named by the attempt (unknown accounts too, so that refusals cannot tell which exist),
   * or undefined when the attempt names none; `source` is the peer's address without its port.
   */
  admit(input: { user: string | undefined; source: string }): LoginAdmission {
    const now = this.#clock.now();
    const user = input.user === undefined ? undefined : input.user.slice(0, maxUserLength);
    const pairKey = user === undefined ? undefined : pairKeyOf(user, input.source);
    const trustedUntil = pairKey === undefined ? undefined : this.#trusted.get(pairKey);
    if (pairKey !== undefined && trustedUntil !== undefined && trustedUntil <= now) this.#trusted.delete(pairKey);
    const trusted = trustedUntil !== undefined && trustedUntil > now;
    const checks: Array<[LoginScope, string | undefined]> = [
      ['source', input.source],
      ['pair', pairKey],
      // A pair that logged in before passes its user's lock-out (see the class comment).
      ['user', trusted ? undefined : user],
    ];
    for (const [scope, key] of checks) {
      if (key === undefined) continue;
      const wait = this.#refusalWait(scope, key, now);
      if (wait > 0) {
        this.#observer.refused?.(scope);
        return { admitted: false, scope, retryAfterMs: wait };
      }
    }
    const pendingKeys: Array<['user' | 'source', string]> = [['source', input.source]];
    if (user !== undefined && !trusted) pendingKeys.push(['user', user]);
    for (const [scope, key] of pendingKeys) this.#pending[scope].set(key, (this.#pending[scope].get(key) ?? 0) + 1);
    let settled = false;
    const settle = (outcome: 'succeeded' | 'failed' | 'abandoned') => {
      if (settled) return;
      settled = true;
      for (const [scope, key] of pendingKeys) {
        const left = (this.#pending[scope].get(key) ?? 1) - 1;
        if (left <= 0) this.#pending[scope].delete(key);
        else this.#pending[scope].set(key, left);
      }
      if (outcome === 'succeeded' && pairKey !== undefined) this.#succeeded(pairKey);
      if (outcome === 'failed') this.#failed(user, input.source, pairKey);
    };
    return {
      admitted: true,
      attempt: {
        succeeded: () => settle('succeeded'),
        failed: () => settle('failed'),
        abandoned: () => settle('abandoned'),
      },
    };
  }

  /**
   * How long an attempt by this user from this source would be refused now, in milliseconds (0 when it
   * would be admitted); nothing is counted. Lets a caller say "now locked" with the failure that locked.
   */
  refusalWait(input: { user: string | undefined; source: string }): number {
    const now = this.#clock.now();
    const user = input.user === undefined ? undefined : input.user.slice(0, maxUserLength);
    const pairKey = user === undefined ? undefined : pairKeyOf(user, input.source);
    const trustedUntil = pairKey === undefined ? undefined : this.#trusted.get(pairKey);
    const trusted = trustedUntil !== undefined && trustedUntil > now;
    const checks: Array<[LoginScope, string | undefined]> = [
      ['source', input.source],
      ['pair', pairKey],
      ['user', trusted ? undefined : user],
    ];
    let wait = 0;
    for (const [scope, key] of checks) if (key !== undefined) wait = Math.max(wait, this.#refusalWait(scope, key, now));
    return wait;
  }

  /** Lock-outs so far per scope (each time a key went from open to locked). */
  get lockouts(): Readonly<Record<LoginScope, number>> {
    return { ...this.#lockouts };
  }

  /** Keys locked right now in a scope, for a gauge. */
  lockedCount(scope: LoginScope): number {
    const now = this.#clock.now();
    let count = 0;
    for (const penalty of this.#penalties[scope].values()) if (penalty.lockedUntil > now) count++;
    return count;
  }

  /** Keys remembered per scope (penalties and trusted pairs); tests use it to prove the bound. */
  get tracked(): { user: number; source: number; pair: number; trusted: number } {
    return {
      user: this.#penalties.user.size,
      source: this.#penalties.source.size,
      pair: this.#penalties.pair.size,
      trusted: this.#trusted.size,
    };
  }

  /**
   * How long an attempt in this scope must wait: the rest of a lock-out, or — while earlier attempts
   * are still being checked (an asynchronous password hash) — a short wait when those alone could use
   * up the failures left before the lock-out, so that a burst of parallel guesses cannot slip past it.
   */
  #refusalWait(scope: LoginScope, key: string, now: number): number {
    const penalty = this.#current(scope, key, now);
    if (penalty !== undefined && penalty.lockedUntil > now) return penalty.lockedUntil - now;
    if (scope === 'pair') return 0;
    const pending = this.#pending[scope].get(key) ?? 0;
    if (pending > 0 && (penalty?.score ?? 0) + pending >= this.#thresholds[scope]) return this.#firstLockoutMs;
    return 0;
  }

  #succeeded(pairKey: string): void {
    this.#penalties.pair.delete(pairKey);
    this.#trusted.delete(pairKey);
    this.#trusted.set(pairKey, this.#clock.now() + this.#trustMs);
    this.#bound(this.#trusted);
  }

  #failed(user: string | undefined, source: string, pairKey: string | undefined): void {
    const now = this.#clock.now();
    const keys: Array<[LoginScope, string | undefined]> = [
      ['source', source],
      ['pair', pairKey],
      ['user', user],
    ];
    for (const [scope, key] of keys) {
      if (key === undefined) continue;
      const map = this.#penalties[scope];
      const penalty = this.#current(scope, key, now) ?? { score: 0, updatedAt: now, lockedUntil: 0 };
      const threshold = this.#thresholds[scope];
      // A failure restarts the interval: forgiveness begins once the failures stop.
      penalty.score = Math.min(penalty.score + 1, threshold + maxScoreAboveThreshold);
      penalty.updatedAt = now;
      map.delete(key);
      map.set(key, penalty); // most recently failing last
      this.#bound(map);
      if (penalty.score < threshold) continue;
      const lockedForMs = Math.min(
        this.#maxLockoutMs,
        this.#firstLockoutMs * 2 ** Math.min(penalty.score - threshold, 30),
      );
      const wasLocked = penalty.lockedUntil > now;
      penalty.lockedUntil = Math.max(penalty.lockedUntil, now + lockedForMs);
      if (wasLocked) continue;
      this.#lockouts[scope] += 1;
      const lockout: LoginLockout = {
        service: this.#service,
        scope,
        user,
        source,
        failures: penalty.score,
        lockedForMs,
      };
      this.#logger.warn(
        { scope, user, source, failures: lockout.failures, lockedForMs },
        `${this.#service} login locked out after repeated failures: every attempt for this ${scope === 'pair' ? 'user from this source' : scope} is refused for ${Math.ceil(lockedForMs / 1000)} s`,
      );
      this.#observer.lockedOut?.(lockout);
    }
  }

  /** The key's penalty decayed to now, or undefined (and forgotten) once nothing is left of it. */
  #current(scope: LoginScope, key: string, now: number): Penalty | undefined {
    const map = this.#penalties[scope];
    const penalty = map.get(key);
    if (penalty === undefined) return undefined;
    // Whole failures are forgiven, one per interval, so the count compares exactly with the thresholds.
    const steps = Math.floor((now - penalty.updatedAt) / this.#decayMs);
    if (steps > 0) {
      penalty.score = Math.max(0, penalty.score - steps);
      penalty.updatedAt += steps * this.#decayMs;
    }
    if (penalty.score === 0 && penalty.lockedUntil <= now) {
      map.delete(key);
      return undefined;
    }
    return penalty;
  }

  #bound(map: Map<string, unknown>): void {
    while (map.size > this.#maxTracked) {
      const oldest = map.keys().next();
      if (oldest.done === true) return;
      map.delete(oldest.value as string);
    }
  }
}

function pairKeyOf(user: string, source: string): string {
  return `${user}\u0000${source}`;
}
