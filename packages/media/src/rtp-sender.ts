import { randomUint32 } from './host.js';
import { encodeRtp } from './rtp-packet.js';

/**
 * The sending half of an RTP stream: its SSRC, the next sequence number, the random offset of its
 * timestamps (RFC 3550 §5.1: all three start random), and the counts a sender report gives.
 * Timestamps are given relative to the stream's start, in samples, and offset here.
 */
export class RtpSender {
  readonly ssrc: number;
  readonly #timestampOffset: number;
  #sequence: number;
  #packets = 0;
  #octets = 0;
  #lastTimestamp: number | undefined;

  constructor(options: { ssrc?: number; sequence?: number; timestampOffset?: number } = {}) {
    this.ssrc = (options.ssrc ?? randomUint32()) >>> 0;
    this.#sequence = (options.sequence ?? randomUint32()) & 0xffff;
    this.#timestampOffset = (options.timestampOffset ?? randomUint32()) >>> 0;
  }

  /** The wire timestamp of a moment `samples` after the stream's start. */
  timestampAt(samples: number): number {
    return (this.#timestampOffset + samples) >>> 0;
  }

  /** Encodes the next packet; `samples` is its media time since the stream's start. */
  packet(payloadType: number, samples: number, payload: Uint8Array, marker = false): Uint8Array {
    const timestamp = this.timestampAt(samples);
    const bytes = encodeRtp({ payloadType, sequence: this.#sequence, timestamp, ssrc: this.ssrc, marker, payload });
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#packets += 1;
    this.#octets += payload.length;
    this.#lastTimestamp = timestamp;
    return bytes;
  }

  get packetsSent(): number {
    return this.#packets;
  }

  /** Payload octets sent (RFC 3550 §6.4.1's sender's octet count: headers not counted). */
  get octetsSent(): number {
    return this.#octets;
  }

  get lastTimestamp(): number | undefined {
    return this.#lastTimestamp;
  }
}
