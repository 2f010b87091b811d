import type { Logger } from '@strowger/core';

/**
 * One ordered queue for everything the application is told. Work is run in the order it was
 * enqueued, one item at a time; an item enqueued while another runs (a listener that shuts the
 * provider down, a model change that raises a further event) runs after it, never inside it, so
 * listeners always see events in the server's order and the model consistent with the event at hand.
 */
export class DispatchQueue {
  readonly #items: (() => void)[] = [];
  readonly #logger: Logger;
  #draining = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  enqueue(item: () => void): void {
    this.#items.push(item);
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let next = this.#items.shift(); next !== undefined; next = this.#items.shift()) {
        try {
          next();
        } catch (err) {
          // A failing item (a model inconsistency the SDK did not foresee) must not stop the ones after it.
          this.#logger.error({ err }, 'CTI event dispatch failed; later events are still delivered');
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  get length(): number {
    return this.#items.length;
  }
}
