import type { Clock } from './clock.js';

export interface KeyedRateLimiterOptions {
  clock: Clock;
  /** Sustained events per second allowed per key. */
  ratePerSecond: number;
  /** Events allowed at once per key before the rate applies. */
  burst: number;
  /** Keys remembered at once; the least recently used is forgotten first (it then starts full). */
  maxTracked?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per key (a source address, usually): `take` says whether one more event is allowed
 * now. The keys used least recently are forgotten beyond `maxTracked` (a forgotten key starts full),
 * so the memory is bounded whatever addresses a flood comes from.
 */
export class KeyedRateLimiter {
  readonly #clock: Clock;
  readonly #perMs: number;
  readonly #burst: number;
  readonly #maxTracked: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: KeyedRateLimiterOptions) {
    this.#clock = options.clock;
    this.#perMs = options.ratePerSecond / 1000;
    this.#burst = Math.max(1, options.burst);
    this.#maxTracked = options.maxTracked ?? 50_000;
  }

  take(key: string): boolean {
    const now = this.#clock.now();
    const bucket = this.#buckets.get(key);
    let tokens = this.#burst;
    if (bucket !== undefined) tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.updatedAt) * this.#perMs);
    this.#buckets.delete(key);
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, updatedAt: now });
      return false;
    }
    this.#buckets.set(key, { tokens: tokens - 1, updatedAt: now });
    while (this.#buckets.size > this.#maxTracked) {
      const oldest = this.#buckets.keys().next();
      if (oldest.done === true) break;
      this.#buckets.delete(oldest.value);
    }
    return true;
  }

  /** Keys with a bucket that is not full; tests use it to prove the bound. */
  get tracked(): number {
    return this.#buckets.size;
  }
}
