import { isDtmfDigit, type EncodedAudio, type G711Law, type RtpSession } from '@strowger/media';
import { openRtpSession } from '@strowger/media/node';
import { randomInt } from 'node:crypto';
import { ErrorCode, StrowgerError, type Logger } from '../core/index.js';
import { readAudio, writeAudio, type AudioFormat } from '../sdp/index.js';
import {
  dtmfDigitOf,
  type FeatureCall,
  type FeatureName,
  type FeatureServices,
  type FeatureSession,
  type MidCallInfo,
} from '../switch/index.js';
import type { FeaturePromptId, FeaturePrompts } from './feature-prompts.js';

/** What a feature's dialogue does with the caller: speak prompts and read the keys pressed. */
export interface FeatureMedia {
  /** Aborted when the caller hangs up: the dialogue stops at its next step. */
  readonly signal: AbortSignal;
  /** Plays prompts one after the other, to the end (a key does not cut them short). */
  say(...prompts: FeaturePromptId[]): Promise<void>;
  /**
   * Plays a prompt (a key cuts it short: a caller who knows it may type ahead) and collects keys up
   * to `#` (or a pause after the last key); resolves with what was keyed — empty for `#` alone — or
   * undefined when nothing came in time.
   */
  ask(prompt: FeaturePromptId): Promise<string | undefined>;
}

/** A feature's dialogue with the caller; the server hangs up when it resolves. */
export type FeatureDialogue = (call: FeatureCall, media: FeatureMedia) => Promise<void>;

/** How long a caller has to start keying, and between two keys (CUCM's interdigit timer is 15 s). */
export const featureKeyTimeouts = { firstMs: 10_000, betweenMs: 8_000 } as const;

/**
 * The server's FeatureServices (switch/ports.ts): a call to a feature code gets an RTP session of
 * its own on the media address (@strowger/media's RtpSession: paced G.711 prompts, RFC 4733 keys),
 * and the feature's dialogue runs on it. Keys sent as SIP INFO join the same collection.
 */
export class FeatureAnswering implements FeatureServices {
  readonly #options: {
    readonly address: string;
    readonly bind: string;
    readonly prompts: FeaturePrompts;
    readonly dialogue: (feature: FeatureName) => FeatureDialogue | undefined;
    readonly logger: Logger;
  };
  readonly #open = new Set<FeatureCallSession>();

  constructor(options: {
    /** The address session descriptions give. */
    address: string;
    /** Where RTP ports are opened (a wildcard: each device is described the address it reaches). */
    bind?: string;
    prompts: FeaturePrompts;
    dialogue: (feature: FeatureName) => FeatureDialogue | undefined;
    logger: Logger;
  }) {
    this.#options = { ...options, bind: options.bind ?? options.address };
  }

  async open(call: FeatureCall): Promise<FeatureSession> {
    const dialogue = this.#options.dialogue(call.feature);
    if (dialogue === undefined) {
      throw new StrowgerError(ErrorCode.Unsupported, `this server does not give the feature ${call.feature}`);
    }
    // The prompts are read before answering: a server built without them fails the call, never plays silence.
    const prompts = await this.#options.prompts.load();
    // A phone that offers no telephone-event sends its keys as tones in the audio (or as SIP INFO).
    const rtp = await openRtpSession({
      address: this.#options.bind,
      logger: this.#options.logger,
      inbandDtmf: !offersTelephoneEvents(call.offer),
    });
    const session = new FeatureCallSession({
      call,
      rtp,
      prompts,
      dialogue,
      describedAt: (reachedAt) =>
        this.#options.bind === this.#options.address || reachedAt === undefined || reachedAt.length === 0
          ? this.#options.address
          : reachedAt,
      logger: this.#options.logger,
      closed: () => this.#open.delete(session),
    });
    this.#open.add(session);
    return session;
  }

  /** Feature calls whose media is open (tests check none is left). */
  get openSessions(): number {
    return this.#open.size;
  }

  close(): void {
    for (const session of [...this.#open]) session.close();
  }
}

/** One feature call: its RTP session, its description, and its dialogue, started at the first answer. */
class FeatureCallSession implements FeatureSession {
  readonly #call: FeatureCall;
  readonly #rtp: RtpSession;
  readonly #prompts: ReadonlyMap<FeaturePromptId, EncodedAudio>;
  readonly #dialogue: FeatureDialogue;
  readonly #describedAt: (reachedAt: string | undefined) => string;
  readonly #logger: Logger;
  readonly #closed: () => void;
  readonly #abort = new AbortController();
  readonly #sessionId = String(randomInt(1, 2 ** 31));
  #version = 0;
  #started = false;

  constructor(options: {
    call: FeatureCall;
    rtp: RtpSession;
    prompts: ReadonlyMap<FeaturePromptId, EncodedAudio>;
    dialogue: FeatureDialogue;
    describedAt: (reachedAt: string | undefined) => string;
    logger: Logger;
    closed: () => void;
  }) {
    this.#call = options.call;
    this.#rtp = options.rtp;
    this.#prompts = options.prompts;
    this.#dialogue = options.dialogue;
    this.#describedAt = options.describedAt;
    this.#logger = options.logger;
    this.#closed = options.closed;
  }

  answer(offer: string, direction: 'recvonly' | 'sendrecv', reachedAt?: string): string | undefined {
    let description;
    try {
      description = readAudio(offer);
    } catch {
      return undefined;
    }
    const voice = description.formats.find((format) => lawOf(format) !== undefined);
    const law = voice === undefined ? undefined : lawOf(voice);
    if (voice === undefined || law === undefined) return undefined;
    // RFC 4733 keys when the phone offers telephone-event (its payload type kept, RFC 3264 §6.1).
    const events = description.formats.find((format) => format.name === 'TELEPHONE-EVENT' && format.rate === 8000);
    this.#rtp.connect({
      address: description.address,
      port: description.port,
      law,
      payloadType: voice.payloadType,
      ...(events === undefined ? {} : { telephoneEventPayloadType: events.payloadType }),
    });
    // A holding phone hears nothing; the prompt keeps its place and resumes with the call.
    if (direction === 'recvonly') this.#rtp.disconnect();
    this.#start();
    this.#version += 1;
    return writeAudio({
      sessionId: this.#sessionId,
      version: this.#version,
      address: this.#describedAt(reachedAt),
      port: this.#rtp.local.port,
      formats: events === undefined ? [voice] : [voice, events],
      direction,
    });
  }

  info(info: MidCallInfo): number {
    const digit = dtmfDigitOf(info);
    if (digit === undefined) return 415;
    if (isDtmfDigit(digit)) this.#rtp.signalledDigit(digit);
    return 200;
  }

  close(): void {
    if (this.#rtp.closed) return;
    this.#abort.abort();
    this.#rtp.close('the call ended');
    this.#closed();
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const media = this.#media();
    this.#dialogue(this.#call, media)
      .catch((error: unknown) => {
        // The caller hanging up ends prompts and collections with an error: nothing to report then.
        if (this.#abort.signal.aborted) return;
        this.#logger.error({ err: error, callId: this.#call.callId, feature: this.#call.feature }, 'a feature failed');
      })
      .finally(() => this.#call.hangUp());
  }

  #media(): FeatureMedia {
    const rtp = this.#rtp;
    const audio = (id: FeaturePromptId) => {
      const prompt = this.#prompts.get(id);
      if (prompt === undefined) throw new StrowgerError(ErrorCode.Internal, `no prompt ${id}`);
      return prompt;
    };
    const signal = this.#abort.signal;
    return {
      signal,
      say: async (...ids) => {
        for (const id of ids) await rtp.play(audio(id), { signal });
      },
      ask: async (id) => {
        await rtp.play(audio(id), { interruptOnDigit: true, signal });
        const result = await rtp.collectDigits({
          terminator: '#',
          max: 32,
          timeout: featureKeyTimeouts.firstMs,
          interDigitTimeout: featureKeyTimeouts.betweenMs,
          signal,
        });
        return result.reason === 'timeout' || result.reason === 'stopped' ? undefined : result.digits;
      },
    };
  }
}

function offersTelephoneEvents(offer: string): boolean {
  try {
    return readAudio(offer).formats.some((format) => format.name === 'TELEPHONE-EVENT');
  } catch {
    return false;
  }
}

function lawOf(format: AudioFormat): G711Law | undefined {
  if (format.rate !== 8000) return undefined;
  if (format.name === 'PCMU') return 'pcmu';
  if (format.name === 'PCMA') return 'pcma';
  return undefined;
}
