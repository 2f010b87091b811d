/**
 * Energy-based silence detection, for ending a recording when the caller stops speaking. Each 20 ms
 * frame's level is its RMS in dBFS (0 dB is a full-scale square wave); a frame below the threshold
 * is silent, and the detector counts how long the silence has lasted. Speech sits around −20 to
 * −35 dBFS on a telephone line; line noise and comfort noise well below −45.
 */

export interface SilenceDetectorOptions {
  /** Frames at or below this level are silent, in dBFS (default −45). */
  readonly thresholdDb?: number;
  readonly sampleRate?: number;
}

/** The RMS level of samples in dBFS; −Infinity for digital silence. */
export function levelDb(samples: ArrayLike<number>): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sum / samples.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms / 32768);
}

export class SilenceDetector {
  readonly #threshold: number;
  readonly #sampleRate: number;
  #silentSamples = 0;
  #heardSound = false;

  constructor(options: SilenceDetectorOptions = {}) {
    this.#threshold = options.thresholdDb ?? -45;
    this.#sampleRate = options.sampleRate ?? 8000;
  }

  /** Takes one frame; returns how many seconds of silence end here (0 when this frame is sound). */
  push(frame: ArrayLike<number>): number {
    if (levelDb(frame) > this.#threshold) {
      this.#silentSamples = 0;
      this.#heardSound = true;
    } else {
      this.#silentSamples += frame.length;
    }
    return this.silentSeconds;
  }

  /** Seconds of silence up to the last frame. */
  get silentSeconds(): number {
    return this.#silentSamples / this.#sampleRate;
  }

  /** Whether any frame so far was sound: a recording that never heard speech is not a message. */
  get heardSound(): boolean {
    return this.#heardSound;
  }
}
