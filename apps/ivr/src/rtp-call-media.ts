import { readFile, stat } from 'node:fs/promises';
import { EncodedAudio, readWav, writeWav, type RtpSession } from '@strowger/media';
import { writeFileAtomic } from './atomic-file.js';
import type {
  CollectOptions,
  CollectOutcome,
  IvrCallMedia,
  PlayOutcome,
  RecordOptions,
  RecordOutcome,
} from './platform.js';

/**
 * Prompts read and encoded once, shared by every call that plays them (the media layer keeps each
 * law's frames): an IVR serving many calls reads a menu from the disk once. The least recently used
 * are forgotten past `maxEntries`, so recorded messages played once do not pile up.
 */
export class AudioCache {
  readonly #entries = new Map<string, Promise<EncodedAudio>>();
  readonly #maxEntries: number;

  constructor(maxEntries = 500) {
    this.#maxEntries = maxEntries;
  }

  /** The file's audio; a file changed since it was read (a greeting recorded again) is read again. */
  async load(file: string): Promise<EncodedAudio> {
    const { mtimeMs, size } = await stat(file);
    const key = `${file}\0${mtimeMs}\0${size}`;
    let entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
    } else {
      entry = readFile(file).then((bytes) => new EncodedAudio(readWav(bytes, file)));
      // A file that could not be read is tried again next time.
      entry.catch(() => this.#entries.delete(key));
    }
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    return entry;
  }
}

/**
 * The media half of an IVR call over an RTP session connected to the caller (a CTI port's call): play
 * prompts, collect RFC 4733 digits, record to an 8 kHz 16-bit WAV written atomically. `end()` — called
 * when the call leaves the port — stops what is going on, and it and everything after it report
 * `hangup`, as a caller gone is the usual way an IVR's media ends.
 */
export class RtpCallMedia implements IvrCallMedia {
  readonly #session: RtpSession;
  readonly #cache: AudioCache;
  readonly #ended = new AbortController();

  constructor(session: RtpSession, cache: AudioCache = new AudioCache()) {
    this.#session = session;
    this.#cache = cache;
  }

  get ended(): boolean {
    return this.#ended.signal.aborted || this.#session.closed;
  }

  /** The call left the port: whatever plays, records or waits for digits stops with `hangup`. */
  end(): void {
    this.#ended.abort();
  }

  async play(files: readonly string[], options: { readonly interruptible?: boolean } = {}): Promise<PlayOutcome> {
    for (const file of files) {
      if (this.ended) return { reason: 'hangup' };
      const audio = await this.#cache.load(file);
      const result = await this.#whileConnected(
        () =>
          this.#session.play(audio, {
            interruptOnDigit: options.interruptible === true,
            signal: this.#ended.signal,
          }),
        undefined,
      );
      if (result === undefined || result.reason === 'stopped') return { reason: 'hangup' };
      if (result.reason === 'digit')
        return { reason: 'digit', ...(result.digit === undefined ? {} : { interruptedBy: result.digit }) };
    }
    return { reason: 'finished' };
  }

  async collectDigits(options: CollectOptions): Promise<CollectOutcome> {
    const result = await this.#whileConnected(
      () =>
        this.#session.collectDigits({
          max: options.max,
          timeout: options.timeoutSeconds * 1000,
          ...(options.interDigitSeconds === undefined ? {} : { interDigitTimeout: options.interDigitSeconds * 1000 }),
          ...(options.terminator === undefined ? {} : { terminator: options.terminator }),
          signal: this.#ended.signal,
        }),
      undefined,
    );
    if (result === undefined || result.reason === 'stopped') return { digits: result?.digits ?? '', reason: 'hangup' };
    return { digits: result.digits, reason: result.reason === 'interDigitTimeout' ? 'timeout' : result.reason };
  }

  async record(file: string, options: RecordOptions): Promise<RecordOutcome> {
    const result = await this.#whileConnected(
      () =>
        this.#session.record(undefined, {
          maxSeconds: options.maxSeconds,
          silenceSeconds: options.silenceSeconds,
          interruptOnDigit: options.terminator ?? true,
          signal: this.#ended.signal,
        }),
      undefined,
    );
    if (result === undefined) return { seconds: 0, reason: 'hangup', heardSound: false };
    if (result.samples.length > 0) await writeFileAtomic(file, writeWav(result.samples, 'pcm16'));
    const reason = ({ maxSeconds: 'max', silence: 'silence', digit: 'terminator', stopped: 'hangup' } as const)[
      result.reason
    ];
    return { seconds: result.seconds, reason, heardSound: result.heardSound };
  }

  clearDigits(): void {
    if (!this.#session.closed) this.#session.clearDigits();
  }

  /** Runs a media operation; a session closed under it (the call torn down) counts as a hang-up. */
  async #whileConnected<T>(operation: () => Promise<T>, whenGone: T): Promise<T> {
    if (this.ended) return whenGone;
    try {
      return await operation();
    } catch (error) {
      if (this.ended) return whenGone;
      throw error;
    }
  }
}
