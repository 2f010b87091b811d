import type { Logger } from '@strowger/core';
import type { MailboxStore } from './mailbox-store.js';
import type { IvrPlatform } from './platform.js';

/**
 * Keeps each mailbox's message-waiting lamp in line with its new messages: lit while one is new,
 * cleared when none is. A lamp whose update failed is sent again at the next `sync` of that mailbox
 * (the directory refresh syncs all of them).
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

  sync(extension: string): Promise<void> {
    const next = (this.#queues.get(extension) ?? Promise.resolve()).then(() => this.#update(extension));
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

  async #update(extension: string): Promise<void> {
    const waiting = (await this.#store.counts(extension)).new > 0;
    if (this.#shown.get(extension) === waiting) return;
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

  async syncAll(extensions: readonly string[]): Promise<void> {
    for (const extension of extensions) await this.sync(extension);
  }
}
