import { parse, write, type SessionDescription as ParsedSession } from 'sdp-transform';
import type { MediaDirection } from './media-direction.js';

/** One audio format of an m-line: its RTP payload type and encoding name (upper case). */
export interface AudioFormat {
  readonly payloadType: number;
  readonly name: string;
  readonly rate: number;
}

/** What a server endpoint needs of a device's audio description: where to send and what it takes. */
export interface AudioDescription {
  readonly address: string;
  readonly port: number;
  readonly direction: MediaDirection;
  /** In the device's order of preference. */
  readonly formats: readonly AudioFormat[];
}

/** RFC 3551 §6's static payload types that a rtpmap may leave out. */
const staticFormats: Readonly<Record<number, AudioFormat>> = {
  0: { payloadType: 0, name: 'PCMU', rate: 8000 },
  8: { payloadType: 8, name: 'PCMA', rate: 8000 },
  9: { payloadType: 9, name: 'G722', rate: 8000 },
  18: { payloadType: 18, name: 'G729', rate: 8000 },
};

/** Reads the first audio stream of a description; throws with the reason when it has none usable. */
export function readAudio(sdp: string): AudioDescription {
  let session: ParsedSession;
  try {
    session = parse(sdp);
  } catch (error) {
    throw new Error(`the session description cannot be read: ${(error as Error).message}`);
  }
  const audio = session.media.find((media) => media.type === 'audio' && media.port !== 0);
  if (audio === undefined) throw new Error('the session description has no active audio stream');
  const address = audio.connection?.ip ?? session.connection?.ip;
  if (address === undefined) throw new Error('the audio stream has no connection address');
  const formats = String(audio.payloads ?? '')
    .split(' ')
    .filter((value) => value.length > 0)
    .map(Number)
    .flatMap((payloadType): AudioFormat[] => {
      const map = audio.rtp.find((rtp) => rtp.payload === payloadType);
      if (map !== undefined) return [{ payloadType, name: map.codec.toUpperCase(), rate: map.rate ?? 8000 }];
      const known = staticFormats[payloadType];
      return known === undefined ? [] : [known];
    });
  const direction = address === '0.0.0.0' ? 'inactive' : (audio.direction ?? session.direction ?? 'sendrecv');
  return { address, port: audio.port, direction, formats };
}

/** Writes a one-stream audio description for a server endpoint (RFC 4566, RFC 3264). */
export function writeAudio(options: {
  sessionId: string;
  version: number;
  address: string;
  port: number;
  formats: readonly AudioFormat[];
  direction: MediaDirection;
}): string {
  const ipVersion = options.address.includes(':') ? 6 : 4;
  return write({
    version: 0,
    origin: {
      username: 'strowger',
      sessionId: options.sessionId,
      sessionVersion: options.version,
      netType: 'IN',
      ipVer: ipVersion,
      address: options.address,
    },
    name: '-',
    connection: { version: ipVersion, ip: options.address },
    timing: { start: 0, stop: 0 },
    media: [
      {
        type: 'audio',
        port: options.port,
        protocol: 'RTP/AVP',
        payloads: options.formats.map((format) => format.payloadType).join(' '),
        rtp: options.formats.map((format) => ({ payload: format.payloadType, codec: format.name, rate: format.rate })),
        // RFC 4733 §7.1.1: telephone-event names the events it carries; DTMF's are 0–15 (and flash, 16).
        fmtp: options.formats
          .filter((format) => format.name === 'TELEPHONE-EVENT')
          .map((format) => ({ payload: format.payloadType, config: '0-16' })),
        ptime: 20,
        direction: options.direction,
      },
    ],
  });
}
