import { ErrorCode, StrowgerError } from '@strowger/core';
import type { AudioFiles } from './transport.js';
import { EncodedAudio } from './encoded-audio.js';
import { readWav } from './wav.js';

/**
 * What `play()` accepts: a file name (read through the session's AudioFiles), the bytes of a WAV
 * file, 8 kHz 16-bit samples, or EncodedAudio — a prompt encoded once and shared by every session
 * that plays it, which is what an application serving many calls should pass.
 */
export type AudioSource = string | Uint8Array | Int16Array | EncodedAudio;

/** A source as audio that encodes itself once per law. */
export async function loadPrompt(source: AudioSource, files: AudioFiles | undefined): Promise<EncodedAudio> {
  return source instanceof EncodedAudio ? source : new EncodedAudio(await loadAudio(source, files));
}

/** The samples of a source, at 8 kHz mono. */
export async function loadAudio(
  source: Exclude<AudioSource, EncodedAudio>,
  files: AudioFiles | undefined,
): Promise<Int16Array> {
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
