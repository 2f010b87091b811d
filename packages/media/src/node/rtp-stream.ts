import { ErrorCode, StrowgerError } from '@strowger/core';
import type { RtpEndpoint } from '../rtp-endpoint.js';
import { decodeRtp, type RtpPacket } from '../rtp-packet.js';
import { RtpSender } from '../rtp-sender.js';
import { openUdpPair, type UdpTransport } from './udp-transport.js';

export interface RtpTarget {
  readonly address: string;
  readonly port: number;
  readonly payloadType: number;
}

/**
 * A raw RTP stream on a UDP port of its own: the far end it sends to, and its own SSRC, sequence
 * and timestamp (random starts, RFC 3550 §5.1). Packets that arrive are handed to `onPacket`;
 * nothing is sent until a target is set. It is what the server's music on hold and conference
 * mixer drive; applications use RtpSession.
 */
export class RtpStream implements RtpEndpoint {
  readonly #transport: UdpTransport;
  readonly #rtcp: UdpTransport;
  readonly localAddress: string;
  readonly localPort: number;
  readonly #sender = new RtpSender();
  #target: RtpTarget | undefined;
  #samples = 0;
  #closed = false;
  onPacket: ((packet: RtpPacket) => void) | undefined;
  packetsReceived = 0;

  private constructor(transport: UdpTransport, rtcp: UdpTransport) {
    this.#transport = transport;
    this.#rtcp = rtcp;
    this.localAddress = transport.local.address;
    this.localPort = transport.local.port;
    transport.onDatagram = (data) => {
      const packet = decodeRtp(data);
      if (packet === undefined) return;
      this.packetsReceived += 1;
      this.onPacket?.(packet);
    };
  }

  /** Opens a stream on a free even port of `address`, keeping the next port (RTCP's) from other use. */
  static async open(address: string): Promise<RtpStream> {
    try {
      const { rtp, rtcp } = await openUdpPair(address);
      return new RtpStream(rtp, rtcp);
    } catch (error) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `no free RTP port on ${address}; check that the address is this machine's`,
        { cause: error },
      );
    }
  }

  set target(target: RtpTarget | undefined) {
    this.#target = target;
  }

  get target(): RtpTarget | undefined {
    return this.#target;
  }

  get packetsSent(): number {
    return this.#sender.packetsSent;
  }

  send(payload: Uint8Array, samples: number): void {
    const target = this.#target;
    if (target !== undefined && !this.#closed) {
      const first = this.#sender.packetsSent === 0;
      this.#transport.send(this.#sender.packet(target.payloadType, this.#samples, payload, first), target);
    }
    this.#samples += samples;
  }

  skip(samples: number): void {
    this.#samples += samples;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onPacket = undefined;
    this.#transport.close();
    this.#rtcp.close();
  }
}
