import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { decodeRtp, encodeRtp, type RtpPacket } from './rtp-packet.js';

export interface RtpTarget {
  readonly address: string;
  readonly port: number;
  readonly payloadType: number;
}

/**
 * One RTP stream of the server: a UDP socket of its own, the far end it sends to, and its own
 * SSRC, sequence and timestamp (random starts, RFC 3550 §5.1). Packets that arrive are handed to
 * `onPacket`; nothing is sent until a target is set.
 */
export class RtpStream {
  readonly #socket: Socket;
  readonly localAddress: string;
  readonly localPort: number;
  #target: RtpTarget | undefined;
  readonly #ssrc = randomInt(0, 2 ** 32);
  #sequence = randomInt(0, 2 ** 16);
  #timestamp = randomInt(0, 2 ** 32);
  #closed = false;
  onPacket: ((packet: RtpPacket) => void) | undefined;
  packetsSent = 0;
  packetsReceived = 0;

  private constructor(socket: Socket, address: string, port: number) {
    this.#socket = socket;
    this.localAddress = address;
    this.localPort = port;
    socket.on('message', (data) => {
      const packet = decodeRtp(data);
      if (packet === undefined) return;
      this.packetsReceived += 1;
      this.onPacket?.(packet);
    });
    // A far end that has gone away answers with ICMP; the stream goes on until it is closed.
    socket.on('error', () => undefined);
  }

  /** Opens a stream on a free even port of `address` (RTP's convention; RTCP is not sent). */
  static async open(address: string): Promise<RtpStream> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4' });
      const port = 2 * randomInt(10_000, 30_000);
      const bound = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind(port, address, () => resolve(true));
      });
      if (bound) return new RtpStream(socket, address, port);
      socket.close();
    }
    throw new Error(`no free RTP port on ${address}; check that the address is this machine's`);
  }

  set target(target: RtpTarget | undefined) {
    this.#target = target;
  }

  get target(): RtpTarget | undefined {
    return this.#target;
  }

  /** Sends one frame's payload; the timestamp advances by the frame's samples whether or not it is sent. */
  send(payload: Uint8Array, samples: number): void {
    const target = this.#target;
    if (target !== undefined && !this.#closed) {
      const packet = encodeRtp({
        payloadType: target.payloadType,
        sequence: this.#sequence,
        timestamp: this.#timestamp,
        ssrc: this.#ssrc,
        marker: this.packetsSent === 0,
        payload,
      });
      this.#socket.send(packet, target.port, target.address);
      this.#sequence = (this.#sequence + 1) & 0xffff;
      this.packetsSent += 1;
    }
    this.#timestamp = (this.#timestamp + samples) >>> 0;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onPacket = undefined;
    this.#socket.close();
  }
}
