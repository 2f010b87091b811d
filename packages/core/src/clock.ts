/**
 * Time as the rest of the system sees it. Protocol timers (RFC 3261 Timer A…K, registration expiry,
 * keep-alive, request timeouts, reconnect backoff) take a Clock so tests drive time instead of
 * waiting for it. Shared by the server and the SDK, so one fake serves both.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs`; the returned handle cancels it (cancelling twice is harmless). */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
}

// The timer functions every JavaScript host has, browsers and Node alike; this package is compiled
// against neither's type definitions, so that nothing host-specific can slip in.
declare function setTimeout(callback: () => void, delayMs: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** The host's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    // In Node a pending protocol timer must never keep the process alive on its own; browsers return
    // a number, which has no unref.
    (timer as { unref?: () => void }).unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface PendingTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told to. `advance()` fires due timers in order of due time (then of
 * creation), each seeing `now()` equal to its own due time, including timers set by other timers.
 */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #pending = new Map<number, PendingTimer>();

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: PendingTimer = { id: this.#nextId++, due: this.#now + Math.max(0, delayMs), callback };
    this.#pending.set(timer.id, timer);
    return { cancel: () => this.#pending.delete(timer.id) };
  }

  /** Number of timers not yet fired or cancelled; tests use it to prove nothing is left behind. */
  get pendingTimers(): number {
    return this.#pending.size;
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let next: PendingTimer | undefined;
      for (const timer of this.#pending.values()) {
        if (timer.due <= target && (next === undefined || timer.due < next.due)) next = timer;
      }
      if (next === undefined) break;
      this.#pending.delete(next.id);
      this.#now = next.due;
      next.callback();
    }
    this.#now = target;
  }
}
