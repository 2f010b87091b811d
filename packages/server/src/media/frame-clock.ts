import { performance } from 'node:perf_hooks';

/** One 20 ms frame of 8 kHz audio: what every stream here sends per tick (RFC 3551's default ptime). */
export const frameMs = 20;
export const samplesPerFrame = 160;

/**
 * The one pacing timer for every media stream of the process: it ticks every 20 ms and, when the
 * event loop was late, ticks again for each frame missed, so streams keep their rate instead of
 * drifting. It runs only while something listens.
 */
export class FrameClock {
  readonly #listeners = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;
  #started = 0;
  #frames = 0;

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (this.#timer === undefined) {
      this.#started = performance.now();
      this.#frames = 0;
      this.#timer = setInterval(() => this.#tick(), frameMs / 2);
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  #tick(): void {
    const due = Math.floor((performance.now() - this.#started) / frameMs);
    // After a long stall (a paused process), skip ahead rather than burst seconds of audio.
    if (due - this.#frames > 10) this.#frames = due - 1;
    while (this.#frames < due) {
      this.#frames += 1;
      for (const listener of [...this.#listeners]) listener();
    }
  }
}
