/**
 * Time as the SDK sees it: keep-alive, request timeouts and reconnect backoff all take their timers
 * from here, so tests drive time instead of waiting for it. The shape matches the server's clock, so
 * the same fake serves both.
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

/** The global timers, present in Node and in browsers alike. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const timer: unknown = setTimeout(callback, delayMs);
    // In Node a keep-alive or backoff timer must not keep the process alive on its own; browsers
    // return a number, which has no unref.
    (timer as { unref?: () => void }).unref?.();
    return { cancel: () => clearTimeout(timer as Parameters<typeof clearTimeout>[0]) };
  },
};
