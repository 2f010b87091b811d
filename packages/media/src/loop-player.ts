import { ErrorCode, StrowgerError } from '@strowger/core';
import type { EncodedAudio } from './encoded-audio.js';
import type { G711Law } from './g711.js';
import { samplesPerFrame, type PacingClock } from './pacing-clock.js';
import type { RtpEndpoint } from './rtp-endpoint.js';

/**
 * Plays audio into an RTP stream in a loop, one 20 ms frame per clock tick: music on hold. The
 * audio is encoded once per law and shared by every player of it.
 */
export class LoopPlayer {
  readonly #stream: RtpEndpoint;
  readonly #frames: readonly Uint8Array[];
  #next = 0;
  #lastFrame = -1;
  readonly #unsubscribe: () => void;

  constructor(clock: PacingClock, stream: RtpEndpoint, audio: EncodedAudio, law: G711Law) {
    this.#stream = stream;
    this.#frames = audio.frames(law);
    if (this.#frames.length === 0)
      throw new StrowgerError(ErrorCode.InvalidArgument, 'the music is empty; give a longer file');
    this.#unsubscribe = clock.subscribe((frame) => this.#tick(frame));
  }

  #tick(frameNumber: number): void {
    // Frames the clock skipped after a stall are skipped in the music too, and in media time.
    const skipped = frameNumber - this.#lastFrame - 1;
    this.#lastFrame = frameNumber;
    if (skipped > 0) {
      this.#stream.skip(skipped * samplesPerFrame);
      this.#next = (this.#next + skipped) % this.#frames.length;
    }
    const frame = this.#frames[this.#next];
    if (frame === undefined) return;
    this.#stream.send(frame, samplesPerFrame);
    this.#next = (this.#next + 1) % this.#frames.length;
  }

  stop(): void {
    this.#unsubscribe();
  }
}
