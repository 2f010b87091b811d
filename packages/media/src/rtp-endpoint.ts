import type { RtpPacket } from './rtp-packet.js';

/**
 * The raw stream a player or mixer works on: frames out, packets in. The Node.js entry's RtpStream
 * is one over UDP.
 */
export interface RtpEndpoint {
  /** Sends one frame's payload; the timestamp then advances by the frame's samples. */
  send(payload: Uint8Array, samples: number): void;
  /** Advances the timestamp without sending: frames skipped after a stall leave a gap in media time. */
  skip(samples: number): void;
  /** Receives the far end's packets. */
  onPacket: ((packet: RtpPacket) => void) | undefined;
}
