import type { Clock } from '../../core/index.js';

/**
 * Slows down password guessing on provider open, per source address and per user id, like the SIP
 * registrar's digest throttle. The composition root may pass a shared implementation.
 */
export interface LoginGuard {
  /** Before checking a password: may this attempt go ahead, or how long must it wait? */
  check(attempt: { source: string; userId: string }): { allowed: true } | { allowed: false; retryAfterMs: number };
  /** After a wrong password (or an unknown user). */
  failed(attempt: { source: string; userId: string }): void;
  /** After a right password: the user's and the source's failures are forgotten. */
  succeeded(attempt: { source: string; userId: string }): void;
}

interface Failures {
  count: number;
  lockedUntil: number;
  lastAt: number;
}

/**
 * The default guard: after `freeFailures` failures in a row for one source or one user id, each
 * further attempt is refused for a delay that doubles per failure (1 s, 2 s, 4 s … up to `maxDelayMs`);
 * a quiet `forgetAfterMs` forgets the count. Memory is bounded by `maxEntries` (the oldest go first).
 */
export class BackoffLoginGuard implements LoginGuard {
  readonly #clock: Clock;
  readonly #freeFailures: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #forgetAfterMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Failures>();

  constructor(options: {
    clock: Clock;
    freeFailures?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    forgetAfterMs?: number;
    maxEntries?: number;
  }) {
    this.#clock = options.clock;
    this.#freeFailures = options.freeFailures ?? 3;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#maxDelayMs = options.maxDelayMs ?? 60_000;
    this.#forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  check(attempt: { source: string; userId: string }): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const now = this.#clock.now();
    let wait = 0;
    for (const key of keys(attempt)) {
      const entry = this.#current(key, now);
      if (entry !== undefined && entry.lockedUntil > now) wait = Math.max(wait, entry.lockedUntil - now);
    }
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  failed(attempt: { source: string; userId: string }): void {
    const now = this.#clock.now();
    for (const key of keys(attempt)) {
      const entry = this.#current(key, now) ?? { count: 0, lockedUntil: 0, lastAt: now };
      entry.count += 1;
      entry.lastAt = now;
      const over = entry.count - this.#freeFailures;
      if (over > 0) entry.lockedUntil = now + Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (over - 1));
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  succeeded(attempt: { source: string; userId: string }): void {
    for (const key of keys(attempt)) this.#entries.delete(key);
  }

  #current(key: string, now: number): Failures | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && now - entry.lastAt > this.#forgetAfterMs && entry.lockedUntil <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

function keys(attempt: { source: string; userId: string }): string[] {
  return [`source:${attempt.source}`, `user:${attempt.userId}`];
}
