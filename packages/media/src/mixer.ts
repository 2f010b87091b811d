import { decodeG711, encodeG711, g711Silence, type G711Law } from './g711.js';
import { samplesPerFrame, type PacingClock } from './pacing-clock.js';
import type { RtpEndpoint } from './rtp-endpoint.js';

/** Frames a party may run ahead of the mixer before the oldest are dropped (60 ms of jitter). */
const maxQueued = 3;

interface Party {
  readonly stream: RtpEndpoint;
  readonly law: G711Law;
  readonly queue: Int16Array[];
  /** This tick's frame from the party (silence when it sent none). */
  current: Int16Array;
}

/**
 * A G.711 conference mixer: every 20 ms it takes one frame from each party (a short queue absorbs
 * jitter), and sends each party the sum of everyone else's audio, clipped to 16 bits, in the party's
 * own law. A party that sends nothing contributes silence.
 */
export class Mixer {
  readonly #parties = new Map<RtpEndpoint, Party>();
  readonly #unsubscribe: () => void;
  readonly #sum = new Int32Array(samplesPerFrame);
  readonly #out = new Int16Array(samplesPerFrame);

  #lastFrame = -1;

  constructor(clock: PacingClock) {
    this.#unsubscribe = clock.subscribe((frame) => this.#tick(frame));
  }

  /** Adds a party, whose audio is sent back in `law`. */
  add(stream: RtpEndpoint, law: G711Law): void {
    const party: Party = { stream, law, queue: [], current: new Int16Array(samplesPerFrame) };
    stream.onPacket = (packet) => {
      const law = packet.payloadType === 0 ? 'pcmu' : packet.payloadType === 8 ? 'pcma' : undefined;
      if (law === undefined || packet.payload.length !== samplesPerFrame) return; // only 20 ms G.711 frames
      party.queue.push(decodeG711(law, packet.payload));
      if (party.queue.length > maxQueued) party.queue.shift();
    };
    this.#parties.set(stream, party);
  }

  remove(stream: RtpEndpoint): void {
    stream.onPacket = undefined;
    this.#parties.delete(stream);
  }

  get size(): number {
    return this.#parties.size;
  }

  close(): void {
    this.#unsubscribe();
    for (const stream of [...this.#parties.keys()]) this.remove(stream);
  }

  #tick(frame: number): void {
    // Frames the clock skipped after a stall leave a gap in every party's media time.
    const skipped = frame - this.#lastFrame - 1;
    this.#lastFrame = frame;
    if (skipped > 0) for (const party of this.#parties.values()) party.stream.skip(skipped * samplesPerFrame);
    const sum = this.#sum;
    sum.fill(0);
    for (const party of this.#parties.values()) {
      const frame = party.queue.shift();
      if (frame === undefined) party.current.fill(0);
      else party.current.set(frame);
      for (let i = 0; i < samplesPerFrame; i++) sum[i]! += party.current[i]!;
    }
    for (const party of this.#parties.values()) {
      const out = this.#out;
      for (let i = 0; i < samplesPerFrame; i++) {
        const value = sum[i]! - party.current[i]!;
        out[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
      }
      const payload = this.#parties.size > 1 ? encodeG711(party.law, out) : silence(party.law);
      party.stream.send(payload, samplesPerFrame);
    }
  }
}

const silenceFrames = new Map<G711Law, Uint8Array>();
function silence(law: G711Law): Uint8Array {
  let frame = silenceFrames.get(law);
  if (frame === undefined) {
    frame = new Uint8Array(samplesPerFrame).fill(g711Silence[law]);
    silenceFrames.set(law, frame);
  }
  return frame;
}
