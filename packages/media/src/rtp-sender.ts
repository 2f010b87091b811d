import { randomUint32 } from './host.js';
import { encodeRtpInto, rtpHeaderLength, type RtpPacket } from './rtp-packet.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
  /** The header fields of the packet being written, reused from packet to packet. */
  readonly #packet: Mutable<RtpPacket>;

  constructor(options: { ssrc?: number; sequence?: number; timestampOffset?: number } = {}) {
    this.ssrc = (options.ssrc ?? randomUint32()) >>> 0;
    this.#sequence = (options.sequence ?? randomUint32()) & 0xffff;
    this.#timestampOffset = (options.timestampOffset ?? randomUint32()) >>> 0;
    this.#packet = {
      payloadType: 0,
      sequence: 0,
      timestamp: 0,
      ssrc: this.ssrc,
      marker: false,
      payload: new Uint8Array(0),
    };
  }

  /** The wire timestamp of a moment `samples` after the stream's start. */
  timestampAt(samples: number): number {
    return (this.#timestampOffset + samples) >>> 0;
  }

  /** Encodes the next packet; `samples` is its media time since the stream's start. */
  packet(payloadType: number, samples: number, payload: Uint8Array, marker = false): Uint8Array {
    const timestamp = this.timestampAt(samples);
    // A buffer per packet, since the transport may still hold the last one; nothing else is allocated.
    const bytes = new Uint8Array(rtpHeaderLength + payload.length);
    this.#packet.payloadType = payloadType;
    this.#packet.sequence = this.#sequence;
    this.#packet.timestamp = timestamp;
    this.#packet.marker = marker;
    this.#packet.payload = payload;
    encodeRtpInto(this.#packet, bytes);
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
