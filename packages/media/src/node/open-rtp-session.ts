import { RtpSession, type RtpSessionOptions } from '../rtp-session.js';
import { nodeAudioFiles } from './files.js';
import { openUdpPair } from './udp-transport.js';

export interface OpenRtpSessionOptions extends Omit<RtpSessionOptions, 'rtp' | 'rtcp' | 'files'> {
  /** The local address to bind (default 0.0.0.0, every IPv4 interface). */
  readonly address?: string;
  /** An even RTP port (RTCP takes the next); default a free pair chosen at random. */
  readonly port?: number;
  /** Prompt and recording files (default the file system). */
  readonly files?: RtpSessionOptions['files'];
}

/** An RTP session on a UDP port pair of this machine, reading and writing WAV files on disk. */
export async function openRtpSession(options: OpenRtpSessionOptions = {}): Promise<RtpSession> {
  const { address = '0.0.0.0', port = 0, files = nodeAudioFiles, ...session } = options;
  const { rtp, rtcp } = await openUdpPair(address, port);
  return new RtpSession({ ...session, rtp, rtcp, files });
}
