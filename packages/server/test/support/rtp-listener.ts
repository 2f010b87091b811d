import { createSocket, type Socket } from 'node:dgram';
import { decodeRtp } from '@strowger/media';

/** One RTP packet as a far end received it. */
export interface ReceivedRtp {
  readonly at: number;
  readonly payloadType: number;
  readonly sequence: number;
  readonly payload: Uint8Array;
}

/**
 * A far end's RTP receiver for tests: a UDP socket on loopback that keeps every RTP packet with its
 * arrival time (high resolution), so a test can check what an application sent: how many packets,
 * how evenly paced, and what audio.
 */
export class RtpListener {
  readonly packets: ReceivedRtp[] = [];
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      const packet = decodeRtp(new Uint8Array(data));
      if (packet === undefined) return;
      this.packets.push({
        at: Number(process.hrtime.bigint()) / 1e6,
        payloadType: packet.payloadType,
        sequence: packet.sequence,
        payload: packet.payload.slice(),
      });
    });
  }

  static async open(): Promise<RtpListener> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new RtpListener(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /** Sends a datagram from this socket (as the far end's own RTP, so a symmetric peer keeps sending here). */
  send(data: Uint8Array, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#socket.send(data, port, address, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** The audio payloads in arrival order, joined (one G.711 byte per sample). */
  audioBytes(payloadType: number): Uint8Array {
    const frames = this.packets.filter((p) => p.payloadType === payloadType).map((p) => p.payload);
    const out = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
    let offset = 0;
    for (const frame of frames) {
      out.set(frame, offset);
      offset += frame.length;
    }
    return out;
  }

  /** Gaps between consecutive packets, in ms. */
  interArrivalMs(): number[] {
    return this.packets.slice(1).map((packet, i) => packet.at - (this.packets[i]?.at ?? packet.at));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

/** The value below which `fraction` of the values lie. */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

/** Where `needle` first occurs in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
