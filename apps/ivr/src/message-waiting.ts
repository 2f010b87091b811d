import type { Logger } from '@strowger/core';
import type { MailboxStore } from './mailbox-store.js';
import type { IvrPlatform } from './platform.js';

/**
 * Keeps each mailbox's message-waiting lamp in line with its new messages: lit while one is new,
 * cleared when none is. `sync` after a change sends only what changed; `refreshAll` (at start and at
 * each directory refresh) lights every mailbox with new messages again, whatever was sent before —
 * the server keeps lamps only until it restarts — and clears only lamps this IVR lit, so a large
 * directory costs one request per waiting mailbox, not one per mailbox.
 */
export class MessageWaitingLamps {
  readonly #platform: IvrPlatform;
  readonly #store: MailboxStore;
  readonly #logger: Logger;
  readonly #shown = new Map<string, boolean>();
  /** Updates of one lamp run one after another, so a late one never overtakes a newer state. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(platform: IvrPlatform, store: MailboxStore, logger: Logger) {
    this.#platform = platform;
    this.#store = store;
    this.#logger = logger;
  }

  /** Sends the lamp's state when it differs from what was last sent (or `force`d). */
  sync(extension: string, options: { readonly force?: boolean } = {}): Promise<void> {
    const next = (this.#queues.get(extension) ?? Promise.resolve()).then(() => this.#update(extension, options));
    const tail: Promise<void> = next.then(
      () => {
        if (this.#queues.get(extension) === tail) this.#queues.delete(extension);
      },
      () => {
        if (this.#queues.get(extension) === tail) this.#queues.delete(extension);
      },
    );
    this.#queues.set(extension, tail);
    return next;
  }

  async #update(extension: string, options: { readonly force?: boolean }): Promise<void> {
    const waiting = (await this.#store.counts(extension)).new > 0;
    const shown = this.#shown.get(extension);
    if (shown === waiting && !(options.force === true && waiting)) return;
    // A lamp never lit by this IVR is off already: nothing to clear.
    if (!waiting && shown === undefined && options.force === true) return;
    try {
      await this.#platform.setMessageWaiting(extension, waiting);
      this.#shown.set(extension, waiting);
    } catch (error) {
      this.#shown.delete(extension);
      this.#logger.warn(
        { err: error, extension, waiting },
        'message-waiting lamp not updated; it is tried again later',
      );
    }
  }

  /** Lights every mailbox with new messages again and clears the lamps lit for ones without. */
  async refreshAll(extensions: readonly string[]): Promise<void> {
    for (const extension of extensions) await this.sync(extension, { force: true });
  }
}
