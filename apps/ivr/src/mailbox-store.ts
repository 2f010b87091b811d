import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Clock, Logger } from '@strowger/core';
import { readWav } from '@strowger/media';
import { isPartialFile, syncDirectory, writeFileAtomic } from './atomic-file.js';

const StoredMessageSchema = Type.Object({
  id: Type.String({ pattern: '^[0-9a-z-]+$' }),
  state: Type.Union([Type.Literal('new'), Type.Literal('saved')]),
  /** The caller's number ('' when unknown). */
  caller: Type.String(),
  callerName: Type.Optional(Type.String()),
  /** ISO 8601. */
  receivedAt: Type.String(),
  seconds: Type.Number({ minimum: 0 }),
});
const MailboxIndexSchema = Type.Object({ version: Type.Literal(1), messages: Type.Array(StoredMessageSchema) });

export type StoredMessage = Static<typeof StoredMessageSchema>;
type MailboxIndex = Static<typeof MailboxIndexSchema>;

export interface NewMessage {
  /** The recorded WAV, from `incomingFile()`; it is moved into the mailbox. */
  readonly file: string;
  readonly caller: string;
  readonly callerName?: string;
  readonly seconds: number;
}

/** A mailbox's folder name: digits and + as they are, anything else escaped. */
const folderName = (extension: string) => (/^[0-9+]+$/.test(extension) ? extension : encodeURIComponent(extension));

/**
 * Voicemail messages on disk, per mailbox: `<ext>/messages/<id>.wav` (8 kHz WAV) and `<ext>/index.json`
 * (state, caller, time, duration), plus `<ext>/greeting.wav` and `<ext>/incoming/` for recordings in
 * progress. Every file is written atomically (temporary file, flush, rename), and a message's WAV is
 * in place before the index names it, so a crash at any moment leaves either the old index and an
 * unlisted WAV — which `recover` lists again as new — or both. A deleted message's WAV goes first, so a
 * crash never brings a deleted message back. Changes to one mailbox are made one at a time.
 */
export class MailboxStore {
  readonly #root: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #recovered = new Set<string>();

  constructor(options: { readonly directory: string; readonly clock: Clock; readonly logger: Logger }) {
    this.#root = options.directory;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  #folder(extension: string): string {
    return join(this.#root, folderName(extension));
  }

  messageFile(extension: string, id: string): string {
    return join(this.#folder(extension), 'messages', `${id}.wav`);
  }

  /** Where a recording for this mailbox is made before it becomes a message (or a greeting). */
  async incomingFile(extension: string): Promise<string> {
    // Recovery clears the leftovers of recordings a crash interrupted: it must run before this
    // process starts a recording of its own there.
    await this.#serialised(extension, () => this.#readIndex(extension));
    const folder = join(this.#folder(extension), 'incoming');
    await mkdir(folder, { recursive: true });
    return join(folder, `${this.#newId()}.wav`);
  }

  /** The mailbox's recorded greeting, when it has one. */
  async greetingFile(extension: string): Promise<string | undefined> {
    const file = join(this.#folder(extension), 'greeting.wav');
    return (await exists(file)) ? file : undefined;
  }

  async saveGreeting(extension: string, recorded: string): Promise<void> {
    await this.#serialised(extension, async () => {
      await mkdir(this.#folder(extension), { recursive: true });
      await rename(recorded, join(this.#folder(extension), 'greeting.wav'));
      await syncDirectory(this.#folder(extension));
    });
  }

  async messages(extension: string): Promise<StoredMessage[]> {
    return this.#serialised(extension, async () => (await this.#readIndex(extension)).messages);
  }

  async counts(extension: string): Promise<{ readonly new: number; readonly saved: number }> {
    const messages = await this.messages(extension);
    const fresh = messages.filter((m) => m.state === 'new').length;
    return { new: fresh, saved: messages.length - fresh };
  }

  /** Moves a recording into the mailbox as a new message. */
  async addMessage(extension: string, message: NewMessage): Promise<StoredMessage> {
    return this.#serialised(extension, async () => {
      const index = await this.#readIndex(extension);
      const stored: StoredMessage = {
        id: this.#newId(),
        state: 'new',
        caller: message.caller,
        ...(message.callerName === undefined ? {} : { callerName: message.callerName }),
        receivedAt: new Date(this.#clock.now()).toISOString(),
        seconds: Math.round(message.seconds * 10) / 10,
      };
      await mkdir(join(this.#folder(extension), 'messages'), { recursive: true });
      await rename(message.file, this.messageFile(extension, stored.id));
      await syncDirectory(join(this.#folder(extension), 'messages'));
      await this.#writeIndex(extension, { ...index, messages: [...index.messages, stored] });
      return stored;
    });
  }

  async setState(extension: string, id: string, state: StoredMessage['state']): Promise<void> {
    await this.#serialised(extension, async () => {
      const index = await this.#readIndex(extension);
      const messages = index.messages.map((m) => (m.id === id ? { ...m, state } : m));
      await this.#writeIndex(extension, { ...index, messages });
    });
  }

  async deleteMessage(extension: string, id: string): Promise<void> {
    await this.#serialised(extension, async () => {
      const index = await this.#readIndex(extension);
      await rm(this.messageFile(extension, id), { force: true });
      await this.#writeIndex(extension, { ...index, messages: index.messages.filter((m) => m.id !== id) });
    });
  }

  /**
   * Brings a mailbox back to a consistent state after a crash: leftovers of interrupted writes and
   * recordings are removed, a message WAV the index does not list is listed as new, and an entry whose
   * WAV is gone is dropped. Runs once per mailbox before its first use.
   */
  async #recover(extension: string): Promise<MailboxIndex> {
    const folder = this.#folder(extension);
    const messagesFolder = join(folder, 'messages');
    await rm(join(folder, 'incoming'), { recursive: true, force: true });
    for (const dir of [folder, messagesFolder]) {
      for (const name of await listFiles(dir)) if (isPartialFile(name)) await rm(join(dir, name), { force: true });
    }
    const index = await this.#loadIndexFile(extension);
    const wavs = new Set(
      (await listFiles(messagesFolder)).filter((n) => n.endsWith('.wav')).map((n) => n.slice(0, -'.wav'.length)),
    );
    const kept = index.messages.filter((m) => wavs.has(m.id));
    const listed = new Set(kept.map((m) => m.id));
    const found: StoredMessage[] = [];
    for (const id of wavs) {
      if (listed.has(id) || !/^[0-9a-z-]+$/.test(id)) continue;
      const file = this.messageFile(extension, id);
      try {
        const samples = readWav(await readFile(file), file);
        const { mtimeMs } = await stat(file);
        found.push({
          id,
          state: 'new',
          caller: '',
          receivedAt: new Date(mtimeMs).toISOString(),
          seconds: samples.length / 8000,
        });
      } catch (error) {
        this.#logger.warn({ err: error, extension, file }, 'an unreadable message file was left out of the mailbox');
      }
    }
    const recovered = { version: 1 as const, messages: [...kept, ...found].sort((a, b) => a.id.localeCompare(b.id)) };
    if (found.length > 0 || kept.length !== index.messages.length) {
      this.#logger.warn(
        { extension, listedAgain: found.length, dropped: index.messages.length - kept.length },
        'mailbox index repaired after an interrupted change',
      );
      await this.#writeIndex(extension, recovered);
    }
    return recovered;
  }

  async #readIndex(extension: string): Promise<MailboxIndex> {
    if (!this.#recovered.has(extension)) {
      // A mailbox that never had a message has no folder, and nothing to recover: none is made for it.
      const index = (await exists(this.#folder(extension))) ? await this.#recover(extension) : undefined;
      this.#recovered.add(extension);
      if (index !== undefined) return index;
    }
    return this.#loadIndexFile(extension);
  }

  async #loadIndexFile(extension: string): Promise<MailboxIndex> {
    const file = join(this.#folder(extension), 'index.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return { version: 1, messages: [] };
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (Value.Check(MailboxIndexSchema, parsed)) return parsed;
    } catch {
      // Handled below: an index that cannot be read is rebuilt from the message files.
    }
    this.#logger.error({ extension, file }, 'mailbox index unreadable; rebuilding it from the message files');
    return { version: 1, messages: [] };
  }

  async #writeIndex(extension: string, index: MailboxIndex): Promise<void> {
    await writeFileAtomic(join(this.#folder(extension), 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  }

  /** Runs changes to one mailbox one after another, so two ports never write its index at once. */
  #serialised<T>(extension: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(extension) ?? Promise.resolve();
    const next = previous.then(work, work);
    // The queue's tail never rejects, and removes itself once nothing was queued behind it.
    const settled: Promise<void> = next
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        if (this.#queues.get(extension) === settled) this.#queues.delete(extension);
      });
    this.#queues.set(extension, settled);
    return next;
  }

  /** Ids sort by time: milliseconds in base 36, then randomness against two in the same millisecond. */
  #newId(): string {
    return `${this.#clock.now().toString(36).padStart(9, '0')}-${randomBytes(3).toString('hex')}`;
  }
}

async function listFiles(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch {
    return [];
  }
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
