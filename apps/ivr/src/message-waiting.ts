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

  constructor(platform: IvrPlatform, store: MailboxStore, logger: Logger) {
    this.#platform = platform;
    this.#store = store;
    this.#logger = logger;
  }

  async sync(extension: string): Promise<void> {
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
