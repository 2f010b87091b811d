import { ErrorCode, StrowgerError, type Clock, type TimerHandle } from '@strowger/core';
import type { AbortSignalLike } from './host.js';
import { isDtmfDigit, type DtmfDigit } from './telephone-event.js';

export interface CollectDigitsOptions {
  /** Digits to collect at most (default 32). */
  readonly max?: number;
  /** A key that ends the input (not included in it), such as "#". */
  readonly terminator?: string;
  /** Milliseconds to wait for the first digit (default 5000). */
  readonly timeout?: number;
  /** Milliseconds to wait for each further digit (default 3000). */
  readonly interDigitTimeout?: number;
  /** Aborting ends the collection with what was collected and reason "stopped". */
  readonly signal?: AbortSignalLike;
}

export interface CollectDigitsResult {
  readonly digits: string;
  readonly reason: 'max' | 'terminator' | 'timeout' | 'interDigitTimeout' | 'stopped';
}

interface Waiter {
  digits: string;
  readonly max: number;
  readonly terminator: string | undefined;
  readonly interDigitTimeout: number;
  timer: TimerHandle | undefined;
  readonly resolve: (result: CollectDigitsResult) => void;
  readonly reject: (error: Error) => void;
}

const defaults = { max: 32, timeout: 5000, interDigitTimeout: 3000 };

/**
 * Key presses of one session: kept in a type-ahead buffer until something collects them (a caller
 * who knows the menu presses before the prompt ends), and handed to one collectDigits() at a time.
 */
export class DigitCollector {
  readonly #clock: Clock;
  #buffer = '';
  #waiter: Waiter | undefined;
  #queue: { start: () => void; reject: (error: Error) => void }[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Digits pressed and not yet collected. */
  get pending(): string {
    return this.#buffer;
  }

  push(digit: DtmfDigit): void {
    this.#buffer += digit;
    this.#feed();
  }

  /** Removes one pending press of `digit` (a key that ended a recording is not input). */
  take(digit: DtmfDigit): void {
    const at = this.#buffer.lastIndexOf(digit);
    if (at >= 0) this.#buffer = this.#buffer.slice(0, at) + this.#buffer.slice(at + 1);
  }

  clear(): void {
    this.#buffer = '';
  }

  collect(options: CollectDigitsOptions): Promise<CollectDigitsResult> {
    const max = options.max ?? defaults.max;
    if (!(Number.isInteger(max) && max >= 1)) {
      return Promise.reject(
        new StrowgerError(ErrorCode.InvalidArgument, 'collectDigits(): max must be a whole number of 1 or more'),
      );
    }
    const terminator = options.terminator;
    if (terminator !== undefined && !(terminator.length === 1 && isDtmfDigit(terminator))) {
      return Promise.reject(
        new StrowgerError(
          ErrorCode.InvalidArgument,
          'collectDigits(): terminator must be one DTMF key (0-9, *, #, A-D)',
        ),
      );
    }
    return new Promise<CollectDigitsResult>((resolve, reject) => {
      const start = () => {
        const { signal } = options;
        const finish = (reason: CollectDigitsResult['reason']) => {
          waiter.timer?.cancel();
          signal?.removeEventListener('abort', onAbort);
          this.#waiter = undefined;
          resolve({ digits: waiter.digits, reason });
          this.#queue.shift()?.start();
        };
        const onAbort = () => finish('stopped');
        const waiter: Waiter = {
          digits: '',
          max,
          terminator,
          interDigitTimeout: options.interDigitTimeout ?? defaults.interDigitTimeout,
          timer: undefined,
          resolve: (result) => {
            waiter.digits = result.digits;
            finish(result.reason);
          },
          reject: (error) => {
            waiter.timer?.cancel();
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        };
        this.#waiter = waiter;
        if (signal?.aborted === true) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiter.timer = this.#clock.setTimer(options.timeout ?? defaults.timeout, () => finish('timeout'));
        this.#feed();
      };
      // One collection at a time; a second waits for the first to end.
      if (this.#waiter === undefined) start();
      else this.#queue.push({ start, reject });
    });
  }

  /** Rejects every collection, running or waiting. */
  close(error: Error): void {
    this.#waiter?.reject(error);
    this.#waiter = undefined;
    for (const queued of this.#queue.splice(0)) queued.reject(error);
  }

  #feed(): void {
    const waiter = this.#waiter;
    while (waiter !== undefined && this.#waiter === waiter && this.#buffer.length > 0) {
      const digit = this.#buffer[0]!;
      this.#buffer = this.#buffer.slice(1);
      if (digit === waiter.terminator) return waiter.resolve({ digits: waiter.digits, reason: 'terminator' });
      waiter.digits += digit;
      if (waiter.digits.length >= waiter.max) return waiter.resolve({ digits: waiter.digits, reason: 'max' });
      waiter.timer?.cancel();
      waiter.timer = this.#clock.setTimer(waiter.interDigitTimeout, () =>
        waiter.resolve({ digits: waiter.digits, reason: 'interDigitTimeout' }),
      );
    }
  }
}
