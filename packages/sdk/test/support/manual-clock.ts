import type { Clock, TimerHandle } from '../../src/index.js';

/** A clock that moves only when told to; due timers fire in order of due time. */
export class ManualClock implements Clock {
  #now = 1_700_000_000_000;
  #nextId = 1;
  readonly #pending = new Map<number, { due: number; callback: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const id = this.#nextId++;
    this.#pending.set(id, { due: this.#now + Math.max(0, delayMs), callback });
    return { cancel: () => this.#pending.delete(id) };
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let next: { due: number; callback: () => void } | undefined;
      for (const [id, timer] of this.#pending)
        if (timer.due <= target && (next === undefined || timer.due < next.due)) {
          next = timer;
          nextId = id;
        }
      if (next === undefined || nextId === undefined) break;
      this.#pending.delete(nextId);
      this.#now = next.due;
      next.callback();
    }
    this.#now = target;
  }
}
