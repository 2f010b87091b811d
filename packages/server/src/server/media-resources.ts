import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  EncodedAudio,
  LoopPlayer,
  Mixer,
  PacingClock,
  g711PayloadType,
  readWav,
  type G711Law,
  type RtpSession,
} from '@strowger/media';
import { RtpStream, openRtpSession } from '@strowger/media/node';
import { readAudio, writeAudio, type AudioFormat } from '../sdp/index.js';
import type { ConferenceBridge, DigitSender, MediaEndpoint, MediaResources } from '../switch/index.js';

/** The music on hold that ships with Strowger: a six-second G.711 loop. */
export const defaultMusicOnHold = fileURLToPath(new URL('../../media/music-on-hold.wav', import.meta.url));

const formats: Readonly<Record<G711Law, AudioFormat>> = {
  pcmu: { payloadType: g711PayloadType.pcmu, name: 'PCMU', rate: 8000 },
  pcma: { payloadType: g711PayloadType.pcma, name: 'PCMA', rate: 8000 },
};

/** The G.711 law of a format the device chose, if it is one. */
function lawOf(format: AudioFormat): G711Law | undefined {
  if (format.rate !== 8000) return undefined;
  if (format.name === 'PCMU') return 'pcmu';
  if (format.name === 'PCMA') return 'pcma';
  return undefined;
}

/**
 * The engine's media resources on this server: music on hold played from a WAV file, and G.711
 * conference bridges. Every endpoint is an RTP port of its own on the media address; one frame clock
 * paces them all.
 */
export class ServerMediaResources implements MediaResources {
  readonly #address: string;
  readonly #bind: string;
  readonly #music: EncodedAudio;
  readonly #clock = new PacingClock();
  readonly #open = new Set<ServerEndpoint>();
  readonly #digitSenders = new Set<DigitSenderEndpoint>();

  private constructor(address: string, bind: string, music: EncodedAudio) {
    this.#address = address;
    this.#bind = bind;
    this.#music = music;
  }

  /**
   * Loads the music-on-hold file; a file that cannot be used is refused here, at start, saying why.
   * `address` is what session descriptions give as the media address. With `bind` (a wildcard), RTP
   * ports are opened on every interface instead, and each device is given the server address it
   * reaches (as its SIP driver says), `address` only when that is not known: a server on several
   * networks is then reachable for media from each.
   */
  static async create(options: {
    address: string;
    bind?: string;
    musicOnHold?: string;
  }): Promise<ServerMediaResources> {
    const file = options.musicOnHold ?? defaultMusicOnHold;
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new Error(`cannot read the music-on-hold file ${file} (${(error as Error).message}); check the path`);
    }
    const music = new EncodedAudio(readWav(bytes, file));
    if (music.seconds < 0.02) throw new Error(`the music-on-hold file ${file} holds no audio; give a longer file`);
    // Fail at start, not at the first hold, when the media address is not one of this machine's.
    const bind = options.bind ?? options.address;
    try {
      (await RtpStream.open(bind)).close();
    } catch {
      throw new Error(`cannot open RTP ports on ${bind}; give --media-address one of this machine's addresses`);
    }
    return new ServerMediaResources(options.address, bind, music);
  }

  async musicOnHold(): Promise<MediaEndpoint> {
    const stream = await RtpStream.open(this.#bind);
    return this.#track(
      new ServerEndpoint(stream, this.#describedAt, (law) => {
        const player = new LoopPlayer(this.#clock, stream, this.#music, law);
        return () => player.stop();
      }),
    );
  }

  conferenceBridge(): ConferenceBridge {
    const mixer = new Mixer(this.#clock);
    return {
      join: async () => {
        const stream = await RtpStream.open(this.#bind);
        // The party is mixed from the moment its device says where to send, in its law; a new
        // description (a resume, a codec change) takes it out and puts it back in with the new one.
        return this.#track(
          new ServerEndpoint(stream, this.#describedAt, (law) => {
            mixer.add(stream, law);
            return () => mixer.remove(stream);
          }),
        );
      },
      close: () => mixer.close(),
    };
  }

  async digitSender(): Promise<DigitSender> {
    const session = await openRtpSession({ address: this.#bind, symmetric: false });
    const endpoint = new DigitSenderEndpoint(session, this.#describedAt);
    this.#digitSenders.add(endpoint);
    endpoint.onClose = () => this.#digitSenders.delete(endpoint);
    return endpoint;
  }

  /** Endpoints open now: tests check none is left, and it is a gauge worth having. */
  get openEndpoints(): number {
    return this.#open.size + this.#digitSenders.size;
  }

  close(): void {
    for (const endpoint of [...this.#open]) endpoint.close();
    for (const endpoint of [...this.#digitSenders]) endpoint.close();
  }

  /** The address a description gives a device: fixed, or the one the device reaches with a wildcard bind. */
  readonly #describedAt = (reachedAt: string | undefined): string =>
    this.#bind === this.#address || reachedAt === undefined || reachedAt.length === 0 ? this.#address : reachedAt;

  #track(endpoint: ServerEndpoint): ServerEndpoint {
    this.#open.add(endpoint);
    endpoint.onClose = () => this.#open.delete(endpoint);
    return endpoint;
  }
}

/**
 * One party's endpoint: it describes itself in SDP, learns from the device's description where to
 * send and in which law, and then starts what it is for (playing, or mixing).
 */
class ServerEndpoint implements MediaEndpoint {
  readonly #stream: RtpStream;
  readonly #describedAt: (reachedAt: string | undefined) => string;
  readonly #start: (law: G711Law) => () => void;
  readonly #sessionId = String(randomInt(1, 2 ** 31));
  #version = 0;
  #stop: (() => void) | undefined;
  onClose: (() => void) | undefined;

  constructor(
    stream: RtpStream,
    describedAt: (reachedAt: string | undefined) => string,
    start: (law: G711Law) => () => void,
  ) {
    this.#stream = stream;
    this.#describedAt = describedAt;
    this.#start = start;
  }

  offer(direction: 'sendonly' | 'sendrecv', reachedAt?: string): string {
    return this.#describe([formats.pcmu, formats.pcma], direction, reachedAt);
  }

  accept(answer: string): void {
    const description = readAudio(answer);
    const chosen = description.formats.map((format) => ({ format, law: lawOf(format) })).find((f) => f.law);
    if (chosen?.law === undefined) throw new Error('the device answered without PCMU or PCMA');
    this.#connect(description.address, description.port, chosen.format.payloadType, chosen.law);
  }

  answer(offer: string, direction: 'recvonly' | 'sendrecv', reachedAt?: string): string | undefined {
    let description;
    try {
      description = readAudio(offer);
    } catch {
      return undefined;
    }
    const chosen = description.formats.map((format) => ({ format, law: lawOf(format) })).find((f) => f.law);
    if (chosen?.law === undefined) return undefined;
    // A receive-only answer (to a holding phone) sends nothing back; a two-way one starts at once.
    if (direction === 'sendrecv') {
      this.#connect(description.address, description.port, chosen.format.payloadType, chosen.law);
    }
    return this.#describe([chosen.format], direction, reachedAt);
  }

  close(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#stream.close();
    this.onClose?.();
    this.onClose = undefined;
  }

  #connect(address: string, port: number, payloadType: number, law: G711Law): void {
    this.#stream.target = { address, port, payloadType };
    this.#stop?.();
    this.#stop = this.#start(law);
  }

  #describe(
    offered: readonly AudioFormat[],
    direction: 'sendonly' | 'sendrecv' | 'recvonly',
    reachedAt: string | undefined,
  ): string {
    this.#version += 1;
    return writeAudio({
      sessionId: this.#sessionId,
      version: this.#version,
      address: this.#describedAt(reachedAt),
      port: this.#stream.localPort,
      formats: offered,
      direction,
    });
  }
}

/** The telephone-event payload type offered when the server makes the offer (a common choice). */
const telephoneEventPayloadType = 101;

/**
 * An endpoint that sends DTMF as RFC 4733 telephone-events: offered to a party with G.711 and
 * telephone-event (send only), it sends the digits in the payload types the party's answer chose,
 * and silence around them.
 */
class DigitSenderEndpoint implements DigitSender {
  readonly #session: RtpSession;
  readonly #describedAt: (reachedAt: string | undefined) => string;
  readonly #sessionId = String(randomInt(1, 2 ** 31));
  #version = 0;
  #connected = false;
  onClose: (() => void) | undefined;

  constructor(session: RtpSession, describedAt: (reachedAt: string | undefined) => string) {
    this.#session = session;
    this.#describedAt = describedAt;
  }

  offer(_direction: 'sendonly' | 'sendrecv', reachedAt?: string): string {
    this.#version += 1;
    return writeAudio({
      sessionId: this.#sessionId,
      version: this.#version,
      address: this.#describedAt(reachedAt),
      port: this.#session.local.port,
      formats: [
        formats.pcmu,
        formats.pcma,
        { payloadType: telephoneEventPayloadType, name: 'telephone-event', rate: 8000 },
      ],
      direction: 'sendonly',
    });
  }

  accept(answer: string): void {
    const description = readAudio(answer);
    const chosen = description.formats.map((format) => ({ format, law: lawOf(format) })).find((f) => f.law);
    const events = description.formats.find((format) => format.name === 'TELEPHONE-EVENT');
    if (chosen?.law === undefined) throw new Error('the device answered without PCMU or PCMA');
    if (events === undefined) throw new Error('the device answered without telephone-event');
    this.#session.connect({
      address: description.address,
      port: description.port,
      law: chosen.law,
      payloadType: chosen.format.payloadType,
      telephoneEventPayloadType: events.payloadType,
    });
    this.#connected = true;
  }

  answer(): undefined {
    return undefined; // only ever offered: it answers no one
  }

  async sendDigits(digits: string): Promise<void> {
    if (!this.#connected) throw new Error('the digit sender is not connected to a device');
    await this.#session.sendDigits(digits);
  }

  close(): void {
    this.#session.close('digits sent');
    this.onClose?.();
    this.onClose = undefined;
  }
}
