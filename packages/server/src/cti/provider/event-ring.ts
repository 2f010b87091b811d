import type { Addressed, SharedEvent } from './shared-event.js';

/**
 * The last `capacity` events of a provider, for resume: a circular buffer in sequence order. It keeps
 * each event as two slots (the shared body and the observer id) rather than an object per event:
 * a hundred providers each keeping ten thousand events would otherwise hold a million small objects
 * that every new event turns into old-generation garbage.
 */
export class EventRing {
  readonly #events: Array<SharedEvent | undefined>;
  readonly #observers: Array<string | null>;
  #count = 0;
  #next = 0;

  constructor(readonly capacity: number) {
    this.#events = new Array<SharedEvent | undefined>(capacity);
    this.#observers = new Array<string | null>(capacity).fill(null);
  }

  push(event: SharedEvent, observerId: string | null): void {
    this.#events[this.#next] = event;
    this.#observers[this.#next] = observerId;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count = Math.min(this.capacity, this.#count + 1);
  }

  /**
   * Every event with a sequence number above `seq` (the last being `lastSeq`), oldest first;
   * undefined when the ring no longer holds all of them (the gap cannot be filled).
   */
  after(seq: number, lastSeq: number): Addressed[] | undefined {
    const missing = lastSeq - seq;
    if (missing < 0 || missing > this.#count) return undefined;
    const events: Addressed[] = [];
    for (let i = missing; i > 0; i -= 1) {
      const slot = (this.#next - i + this.capacity) % this.capacity;
      const event = this.#events[slot];
      if (event === undefined) return undefined;
      events.push({ event, observerId: this.#observers[slot] ?? null });
    }
    return events;
  }
}
