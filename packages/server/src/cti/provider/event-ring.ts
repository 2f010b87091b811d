import type { Stamped } from './shared-event.js';

/** The last `capacity` events of a provider, for resume: a circular buffer in sequence order. */
export class EventRing {
  readonly #slots: Array<Stamped | undefined>;
  #count = 0;
  #next = 0;

  constructor(readonly capacity: number) {
    this.#slots = new Array<Stamped | undefined>(capacity);
  }

  push(event: Stamped): void {
    this.#slots[this.#next] = event;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count = Math.min(this.capacity, this.#count + 1);
  }

  /**
   * Every event with a sequence number above `seq`, oldest first; undefined when the ring no longer
   * holds all of them (the gap cannot be filled).
   */
  after(seq: number, lastSeq: number): Stamped[] | undefined {
    const missing = lastSeq - seq;
    if (missing < 0 || missing > this.#count) return undefined;
    const events: Stamped[] = [];
    for (let i = missing; i > 0; i -= 1) {
      const event = this.#slots[(this.#next - i + this.capacity) % this.capacity];
      if (event === undefined) return undefined;
      events.push(event);
    }
    return events;
  }
}
