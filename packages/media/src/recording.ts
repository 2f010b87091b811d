import type { AbortSignalLike } from './host.js';
import { frameMs, samplesPerFrame } from './pacing-clock.js';
import { SilenceDetector } from './silence-detector.js';
import type { DtmfDigit } from './telephone-event.js';

export interface RecordOptions {
  /** The longest recording (default 120 s). */
  readonly maxSeconds?: number;
  /** End after this much silence, which is trimmed off (default: silence does not end it). */
  readonly silenceSeconds?: number;
  /** The level below which audio counts as silence, dBFS (default −45). */
  readonly silenceThresholdDb?: number;
  /** Stop when a key is pressed (default true: any key; or a string of the keys that stop it). */
  readonly interruptOnDigit?: boolean | string;
  /** How the WAV file holds the audio (default the session's law). */
  readonly encoding?: 'pcmu' | 'pcma' | 'pcm16';
  /** Aborting stops the recording; what was recorded is kept and resolved with reason "stopped". */
  readonly signal?: AbortSignalLike;
}

export interface RecordResult {
  readonly reason: 'maxSeconds' | 'silence' | 'digit' | 'stopped';
  readonly digit?: DtmfDigit;
  /** The recorded audio, 8 kHz mono. */
  readonly samples: Int16Array;
  readonly seconds: number;
  /** Whether anything above the silence threshold was heard. */
  readonly heardSound: boolean;
}

export const defaultMaxRecordSeconds = 120;
/**
 * Half a second of slack over maxSeconds on a line that sends nothing lets frames still in flight
 * (or a prompt still being read at the far end) arrive before the time limit ends the recording.
 */
const slackFrames = 25;

/**
 * One recording of the far end's audio: frames are added as they come out of the jitter buffer,
 * and it ends at `maxSeconds` of audio, after `silenceSeconds` of silence (which is trimmed off:
 * callers hang up into dead air), on a key, or on abort. The session's frame clock ticks it too, so
 * a far end that sends nothing at all (silence suppression, a dead line) still ends it.
 */
export class Recording {
  readonly #chunks: Int16Array[] = [];
  readonly #silence: SilenceDetector;
  readonly #maxSamples: number;
  readonly #silenceSeconds: number | undefined;
  readonly #interruptingKeys: boolean | string;
  readonly #signal: AbortSignalLike | undefined;
  readonly #onAbort = () => this.finish('stopped');
  readonly #resolve: (result: RecordResult) => void;
  readonly #reject: (error: Error) => void;
  #samples = 0;
  #ticks = 0;
  #quietTicks = 0;
  #ended = false;
  /** Told when the recording ends, however it ends. */
  onEnd: (() => void) | undefined;

  constructor(options: RecordOptions, resolve: (result: RecordResult) => void, reject: (error: Error) => void) {
    this.#silence = new SilenceDetector({ thresholdDb: options.silenceThresholdDb });
    this.#maxSamples = Math.round((options.maxSeconds ?? defaultMaxRecordSeconds) * 8000);
    this.#silenceSeconds = options.silenceSeconds;
    this.#interruptingKeys = options.interruptOnDigit ?? true;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#signal = options.signal;
    if (this.#signal?.aborted === true) this.finish('stopped');
    else this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether `digit` ends this recording. */
  interruptedBy(digit: DtmfDigit): boolean {
    const keys = this.#interruptingKeys;
    return typeof keys === 'string' ? keys.includes(digit) : keys;
  }

  /** Adds one frame of received audio. */
  audio(samples: Int16Array): void {
    if (this.#ended) return;
    this.#quietTicks = 0;
    const room = this.#maxSamples - this.#samples;
    const kept = samples.length > room ? samples.subarray(0, room) : samples;
    this.#chunks.push(kept);
    this.#samples += kept.length;
    const silentSeconds = this.#silence.push(kept);
    if (this.#samples >= this.#maxSamples) this.finish('maxSeconds');
    else if (this.#silenceSeconds !== undefined && silentSeconds >= this.#silenceSeconds) this.finish('silence');
  }

  /** One 20 ms tick of the session's clock. */
  tick(): void {
    if (this.#ended) return;
    this.#ticks += 1;
    this.#quietTicks += 1;
    const quietSeconds = (this.#quietTicks * frameMs) / 1000;
    if (this.#ticks >= this.#maxSamples / samplesPerFrame + slackFrames) this.finish('maxSeconds');
    else if (this.#silenceSeconds !== undefined && quietSeconds >= this.#silenceSeconds) this.finish('silence');
  }

  finish(reason: RecordResult['reason'], digit?: DtmfDigit): void {
    if (!this.#end()) return;
    let total = this.#samples;
    if (reason === 'silence') total = Math.max(0, total - Math.round(this.#silence.silentSeconds * 8000));
    const samples = new Int16Array(total);
    let at = 0;
    for (const chunk of this.#chunks) {
      if (at >= total) break;
      const part = chunk.subarray(0, total - at);
      samples.set(part, at);
      at += part.length;
    }
    this.#resolve({
      reason,
      ...(digit === undefined ? {} : { digit }),
      samples,
      seconds: total / 8000,
      heardSound: this.#silence.heardSound,
    });
  }

  fail(error: Error): void {
    if (this.#end()) this.#reject(error);
  }

  #end(): boolean {
    if (this.#ended) return false;
    this.#ended = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.onEnd?.();
    return true;
  }
}
