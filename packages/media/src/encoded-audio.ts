import { encodeG711, g711Silence, type G711Law } from './g711.js';
import { samplesPerFrame } from './pacing-clock.js';

/** Samples cut into 20 ms frames of one G.711 law; the last frame is filled up with silence. */
export function encodeFrames(samples: Int16Array, law: G711Law): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let start = 0; start < samples.length; start += samplesPerFrame) {
    const frame = new Uint8Array(samplesPerFrame).fill(g711Silence[law]);
    encodeG711(law, samples.subarray(start, Math.min(samples.length, start + samplesPerFrame)), frame);
    frames.push(frame);
  }
  return frames;
}

/**
 * Audio cut into 20 ms frames, encoded lazily per law and then kept: music on hold, or a prompt many
 * sessions play, is encoded once for all of them.
 */
export class EncodedAudio {
  readonly #samples: Int16Array;
  readonly #byLaw = new Map<G711Law, Uint8Array[]>();

  constructor(samples: Int16Array) {
    this.#samples = samples;
  }

  get seconds(): number {
    return this.#samples.length / 8000;
  }

  frames(law: G711Law): Uint8Array[] {
    let frames = this.#byLaw.get(law);
    if (frames === undefined) {
      frames = encodeFrames(this.#samples, law);
      this.#byLaw.set(law, frames);
    }
    return frames;
  }
}
