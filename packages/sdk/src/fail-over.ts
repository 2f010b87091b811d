import type { Clock } from '@strowger/core';

/** Delays between rounds over the server list: initialMs, then ×factor each round, at most maxMs. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export const defaultBackoff: Backoff = { initialMs: 500, maxMs: 30_000, factor: 2 };

export interface FailOverOptions {
  readonly clock: Clock;
  readonly backoff: Backoff;
  /** How many full rounds over the list before giving up; Infinity keeps trying (JTAPI's default). */
  readonly rounds: number;
  readonly signal?: AbortSignal | undefined;
  /** An error no other server would answer differently (a wrong password): stop at once. */
  readonly isFinal: (error: unknown) => boolean;
  /** Told of every failed attempt, for logs. */
  readonly onAttemptFailed?: ((server: string, error: unknown) => void) | undefined;
}

/**
 * Tries the servers in list order starting at `start`, wrapping around, as JTAPI does with the
 * CTIManagers of its provider string: the first that succeeds wins, with no automatic fail-back to
 * an earlier one. After every full round without success it waits (exponential backoff) before the
 * next. Rejects with the last attempt's error once the rounds are used up or the error is final.
 */
export async function firstServerThatAnswers<T>(
  servers: readonly string[],
  start: number,
  attempt: (server: string, index: number) => Promise<T>,
  options: FailOverOptions,
): Promise<{ value: T; index: number }> {
  let delay = options.backoff.initialMs;
  let lastError: unknown;
  for (let round = 0; round < options.rounds; round++) {
    if (round > 0) {
      await sleep(options.clock, delay, options.signal);
      delay = Math.min(options.backoff.maxMs, delay * options.backoff.factor);
    }
    for (let i = 0; i < servers.length; i++) {
      options.signal?.throwIfAborted();
      const index = (start + i) % servers.length;
      const server = servers[index] as string;
      try {
        return { value: await attempt(server, index), index };
      } catch (err) {
        options.signal?.throwIfAborted();
        lastError = err;
        options.onAttemptFailed?.(server, err);
        if (options.isFinal(err)) throw err;
      }
    }
  }
  throw lastError;
}

/** Waits `ms` on the clock; an abort rejects with the signal's reason at once. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
