import { ErrorCode, StrowgerError } from '@strowger/core';
import { frameMs } from './pacing-clock.js';
import {
  defaultDigitGapMs,
  encodeTelephoneEvent,
  isDtmfDigit,
  telephoneEventFrames,
  type DtmfDigit,
} from './telephone-event.js';

export interface SendDigitsOptions {
  /** Tone length of each digit (default 100 ms). */
  readonly durationMs?: number;
  /** Pause between digits (default 60 ms). */
  readonly gapMs?: number;
}

/** What to send on one frame tick while keys are being sent. */
export type DigitFrame =
  /** A telephone-event packet; `start` marks the first packet of a key (a new event timestamp, the marker bit). */
  | { readonly kind: 'event'; readonly payload: Uint8Array; readonly start: boolean }
  /** The pause after a key: a frame of silence. */
  | { readonly kind: 'pause' };

interface QueuedFrame {
  readonly frame: DigitFrame;
  /** On the last frame of a sendDigits() call: settles its promise. */
  readonly settle?: { resolve: () => void; reject: (error: Error) => void };
}

/**
 * Keys waiting to be sent as RFC 4733 telephone-events, one frame per tick, in the order sendDigits()
 * was called; each call's promise resolves once its last frame has gone.
 */
export class DigitSender {
  #queue: QueuedFrame[] = [];

  get sending(): boolean {
    return this.#queue.length > 0;
  }

  enqueue(digits: string, options: SendDigitsOptions): Promise<void> {
    const keys = [...digits.toUpperCase()];
    const wrong = keys.find((key) => !isDtmfDigit(key));
    if (wrong !== undefined) {
      return Promise.reject(
        new StrowgerError(ErrorCode.InvalidArgument, `sendDigits(): "${wrong}" is not a DTMF key (0-9, *, #, A-D)`),
      );
    }
    if (keys.length === 0) return Promise.resolve();
    const pauseFrames = Math.max(1, Math.round((options.gapMs ?? defaultDigitGapMs) / frameMs));
    return new Promise<void>((resolve, reject) => {
      keys.forEach((key, index) => {
        telephoneEventFrames(key as DtmfDigit, { durationMs: options.durationMs }).forEach((event, i) =>
          this.#queue.push({ frame: { kind: 'event', payload: encodeTelephoneEvent(event), start: i === 0 } }),
        );
        for (let i = 0; i < pauseFrames; i++) {
          const last = index === keys.length - 1 && i === pauseFrames - 1;
          this.#queue.push({ frame: { kind: 'pause' }, settle: last ? { resolve, reject } : undefined });
        }
      });
    });
  }

  /** The frame for this tick, if keys are being sent; call `sent()` once it has gone. */
  next(): DigitFrame | undefined {
    return this.#queue[0]?.frame;
  }

  sent(): void {
    this.#queue.shift()?.settle?.resolve();
  }

  failAll(error: Error): void {
    for (const queued of this.#queue.splice(0)) queued.settle?.reject(error);
  }
}
