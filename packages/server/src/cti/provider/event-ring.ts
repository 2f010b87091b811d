import type { Event } from '@strowger/protocol';

/** The last `capacity` events of a provider, for resume: a circular buffer in sequence order. */
export class EventRing {
  readonly #slots: Array<Event | undefined>;
  #count = 0;
  #next = 0;

  constructor(readonly capacity: number) {
    this.#slots = new Array<Event | undefined>(capacity);
  }

  push(event: Event): void {
    this.#slots[this.#next] = event;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count = Math.min(this.capacity, this.#count + 1);
  }

  /**
   * Every event with a sequence number above `seq`, oldest first; undefined when the ring no longer
   * holds all of them (the gap cannot be filled).
   */
  after(seq: number, lastSeq: number): Event[] | undefined {
    const missing = lastSeq - seq;
    if (missing < 0 || missing > this.#count) return undefined;
    const events: Event[] = [];
    for (let i = missing; i > 0; i -= 1) {
      const event = this.#slots[(this.#next - i + this.capacity) % this.capacity];
      if (event === undefined) return undefined;
      events.push(event);
    }
    return events;
  }
}
