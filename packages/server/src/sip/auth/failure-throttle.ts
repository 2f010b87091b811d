import type { Clock } from '../../core/index.js';

export interface FailureThrottleOptions {
  clock: Clock;
  /** Failures within the window that are answered without delay. */
  threshold?: number;
  windowMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Sources remembered at once; the least recently failing is forgotten first. */
  maxTracked?: number;
}

interface Entry {
  failures: number;
  firstFailureAt: number;
}

/**
 * Slows down a source that keeps failing authentication: free below the threshold, then a delay that
 * doubles per further failure up to a maximum. A success, or a quiet window, forgets the source.
 */
export class FailureThrottle {
  readonly #clock: Clock;
  readonly #threshold: number;
  readonly #windowMs: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxTracked: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: FailureThrottleOptions) {
    this.#clock = options.clock;
    this.#threshold = options.threshold ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#baseDelayMs = options.baseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#maxTracked = options.maxTracked ?? 10_000;
  }

  recordFailure(key: string): void {
    const now = this.#clock.now();
    let entry = this.#current(key, now);
    if (entry === undefined) entry = { failures: 0, firstFailureAt: now };
    entry.failures += 1;
    this.#entries.delete(key);
    this.#entries.set(key, entry); // most recent last
    while (this.#entries.size > this.#maxTracked) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  recordSuccess(key: string): void {
    this.#entries.delete(key);
  }

  delayFor(key: string): number {
    const entry = this.#current(key, this.#clock.now());
    if (entry === undefined || entry.failures < this.#threshold) return 0;
    const doublings = entry.failures - this.#threshold;
    return Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.min(doublings, 30));
  }

  get trackedSources(): number {
    return this.#entries.size;
  }

  #current(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && now - entry.firstFailureAt > this.#windowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
