/**
 * An async iterator over events pushed to it: `for await (const ev of provider.events())`. Events are
 * buffered until read; the stream ends when the provider shuts down, the signal aborts, or the loop
 * is left (break/return).
 */
export class EventStream<T> implements AsyncIterableIterator<T> {
  readonly #buffer: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void) | undefined;
  #done = false;
  readonly #onEnd: () => void;

  constructor(onEnd: () => void, signal?: AbortSignal) {
    this.#onEnd = onEnd;
    if (signal?.aborted === true) this.end();
    else signal?.addEventListener('abort', () => this.end(), { once: true });
  }

  push(value: T): void {
    if (this.#done) return;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting({ value, done: false });
    } else {
      this.#buffer.push(value);
    }
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#onEnd();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.#buffer.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#buffer.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
