import type { EncodedAudio } from './encoded-audio.js';
import type { G711Law } from './g711.js';
import type { AbortSignalLike } from './host.js';
import { frameMs } from './pacing-clock.js';
import type { DtmfDigit } from './telephone-event.js';

export interface PlayOptions {
  /** Stop when a key is pressed: true for any key, or a string of the keys that interrupt. */
  readonly interruptOnDigit?: boolean | string;
  /** Aborting stops the prompt; play() then resolves with reason "stopped". */
  readonly signal?: AbortSignalLike;
}

export interface PlayResult {
  readonly reason: 'finished' | 'digit' | 'stopped';
  /** The key that interrupted; it stays in the type-ahead buffer for the next collectDigits(). */
  readonly digit?: DtmfDigit;
  readonly playedMs: number;
}

/** One prompt in the queue; its audio arrives once it has been read. */
export class Prompt {
  audio: EncodedAudio | undefined;
  #next = 0;
  #ended = false;
  readonly #options: PlayOptions;
  readonly #resolve: (result: PlayResult) => void;
  readonly #reject: (error: Error) => void;
  readonly #onAbort = () => this.finish('stopped');
  onEnd: (() => void) | undefined;

  constructor(options: PlayOptions, resolve: (result: PlayResult) => void, reject: (error: Error) => void) {
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get ended(): boolean {
    return this.#ended;
  }

  interruptedBy(digit: DtmfDigit): boolean {
    const keys = this.#options.interruptOnDigit ?? false;
    return typeof keys === 'string' ? keys.includes(digit) : keys;
  }

  /**
   * The next frame to send, in `law` (the far end's codec may change mid-prompt, after a re-INVITE);
   * undefined while the audio is being read. Ends the prompt after its last frame.
   */
  nextFrame(law: G711Law): Uint8Array | undefined {
    if (this.audio === undefined || this.#ended) return undefined;
    const frames = this.audio.frames(law);
    if (this.#next >= frames.length) {
      this.finish('finished');
      return undefined;
    }
    const frame = frames[this.#next++];
    if (this.#next >= frames.length) this.finish('finished');
    return frame;
  }

  finish(reason: PlayResult['reason'], digit?: DtmfDigit): void {
    if (!this.#end()) return;
    this.#resolve({ reason, ...(digit === undefined ? {} : { digit }), playedMs: this.#next * frameMs });
  }

  fail(error: Error): void {
    if (this.#end()) this.#reject(error);
  }

  #end(): boolean {
    if (this.#ended) return false;
    this.#ended = true;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.onEnd?.();
    return true;
  }
}

/**
 * The prompts of a session, played one after another in the order play() was called. A key ends
 * every queued prompt it may interrupt (the caller has answered), and a prompt that may be
 * interrupted and finds a key already pressed ends at once (handled by the session, which knows
 * what was typed ahead).
 */
export class PromptQueue {
  #prompts: Prompt[] = [];

  add(prompt: Prompt): void {
    if (prompt.ended) return;
    this.#prompts.push(prompt);
    prompt.onEnd = () => (this.#prompts = this.#prompts.filter((p) => p !== prompt));
  }

  /** The frame to send on this tick, if a prompt is playing and its audio is ready. */
  nextFrame(law: G711Law): Uint8Array | undefined {
    return this.#prompts[0]?.nextFrame(law);
  }

  digit(digit: DtmfDigit): void {
    for (const prompt of [...this.#prompts]) if (prompt.interruptedBy(digit)) prompt.finish('digit', digit);
  }

  failAll(error: Error): void {
    for (const prompt of [...this.#prompts]) prompt.fail(error);
  }
}
