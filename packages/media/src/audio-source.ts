import { ErrorCode, StrowgerError } from '@strowger/core';
import { encodeG711, g711Silence, type G711Law } from './g711.js';
import { samplesPerFrame } from './pacing-clock.js';
import type { AudioFiles } from './transport.js';
import { readWav } from './wav.js';

/**
 * What `play()` accepts: a file name (read through the session's AudioFiles), the bytes of a WAV
 * file, or 8 kHz 16-bit samples.
 */
export type AudioSource = string | Uint8Array | Int16Array;

/** The samples of a source, at 8 kHz mono. */
export async function loadAudio(source: AudioSource, files: AudioFiles | undefined): Promise<Int16Array> {
  if (source instanceof Int16Array) return source;
  if (source instanceof Uint8Array) return readWav(source, 'the audio');
  if (files === undefined) {
    throw new StrowgerError(
      ErrorCode.Unsupported,
      `cannot read ${source}: this media session has no file access; pass the audio as samples or WAV bytes`,
    );
  }
  return readWav(await files.read(source), source);
}

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
