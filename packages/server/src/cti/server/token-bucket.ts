import type { Clock } from '../../core/index.js';

/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`; each request takes one.
 * When empty, `take` says how long until the next token.
 */
export class TokenBucket {
  readonly #clock: Clock;
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #at: number;

  constructor(options: { clock: Clock; ratePerSecond: number; burst: number }) {
    this.#clock = options.clock;
    this.#rate = options.ratePerSecond;
    this.#burst = options.burst;
    this.#tokens = options.burst;
    this.#at = options.clock.now();
  }

  /** Takes a token: `{ ok: true }`, or how many milliseconds until one is there. */
  take(): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) * this.#rate) / 1000);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - this.#tokens) * 1000) / this.#rate) };
  }
}
