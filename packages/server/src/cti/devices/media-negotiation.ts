import type { Codec } from '@strowger/protocol';
import { readAudio, writeAudio, type AudioFormat, type MediaDirection } from '../../sdp/index.js';

/**
 * SDP offer/answer for a device whose media the application terminates (a CTI port, a route point
 * registered with media): the server negotiates with the far end on the application's behalf, and
 * tells the application what was agreed (domain reference §1.3: CUCM chooses one common codec and
 * signals the endpoints). G.711 only, with RFC 4733 telephone-event when the far end has it.
 */

/** Where the application receives RTP for a call. */
export interface RtpEndpoint {
  readonly address: string;
  readonly port: number;
}

/** What both sides agreed for one call's audio. */
export interface AgreedMedia {
  readonly codec: Codec;
  readonly payloadType: number;
  readonly telephoneEventPayloadType: number | null;
  /** Where the far end receives RTP: the application sends there. */
  readonly remote: RtpEndpoint;
  /** The far end's direction: sendonly/inactive means the far end holds the call. */
  readonly direction: MediaDirection;
}

const staticPayload: Readonly<Record<Codec, number>> = { PCMU: 0, PCMA: 8 };
/** The telephone-event payload type this side offers when it makes the offer (a common choice). */
const offeredTelephoneEvent = 101;

/** What the application registered: its codecs in order of preference, both laws when it named none. */
export function codecsOf(codecs: readonly Codec[] | undefined): readonly Codec[] {
  return codecs === undefined || codecs.length === 0 ? ['PCMU', 'PCMA'] : codecs;
}

/** The codecs of an offer the application may use, in the application's order of preference. */
export function usableCodecs(offer: string, codecs: readonly Codec[]): Codec[] {
  const names = new Set(readAudio(offer).formats.map((format) => format.name));
  return codecs.filter((codec) => names.has(codec));
}

/**
 * Answers the far end's offer for the application: the first of the application's codecs the offer
 * has, with the offer's own payload numbers (RFC 3264 §6.1), and telephone-event when offered.
 * Throws with the reason when nothing in the offer is usable.
 */
export function answerOffer(
  offer: string,
  local: RtpEndpoint,
  codecs: readonly Codec[],
  session: { id: string; version: number },
): { sdp: string; agreed: AgreedMedia } {
  const far = readAudio(offer);
  const chosen = codecs
    .map((codec) => far.formats.find((format) => format.name === codec))
    .find((format): format is AudioFormat => format !== undefined);
  if (chosen === undefined) {
    const offered = far.formats.map((format) => format.name).join(', ') || 'none';
    throw new Error(`the far end offers ${offered}; this device takes ${codecs.join(', ')} only`);
  }
  const events = far.formats.find((format) => format.name === 'TELEPHONE-EVENT' && format.rate === 8000);
  const formats = events === undefined ? [chosen] : [chosen, events];
  const sdp = writeAudio({
    sessionId: session.id,
    version: session.version,
    address: local.address,
    port: local.port,
    formats,
    direction: answerDirection(far.direction),
  });
  return {
    sdp,
    agreed: {
      codec: chosen.name as Codec,
      payloadType: chosen.payloadType,
      telephoneEventPayloadType: events?.payloadType ?? null,
      remote: { address: far.address, port: far.port },
      direction: far.direction,
    },
  };
}

/** An offer from the application's endpoint (a call that reached it without one, a re-offer). */
export function makeOffer(
  local: RtpEndpoint,
  codecs: readonly Codec[],
  session: { id: string; version: number },
): string {
  const formats: AudioFormat[] = codecs.map((codec) => ({
    payloadType: staticPayload[codec],
    name: codec,
    rate: 8000,
  }));
  formats.push({ payloadType: offeredTelephoneEvent, name: 'telephone-event', rate: 8000 });
  return writeAudio({
    sessionId: session.id,
    version: session.version,
    address: local.address,
    port: local.port,
    formats,
    direction: 'sendrecv',
  });
}

/** Reads the far end's answer to `makeOffer`: what was agreed. Throws when it chose nothing usable. */
export function readAnswer(answer: string, codecs: readonly Codec[]): AgreedMedia {
  const far = readAudio(answer);
  const chosen = far.formats.find((format) => (codecs as readonly string[]).includes(format.name));
  if (chosen === undefined) throw new Error('the far end’s answer has no G.711 codec this device offered');
  const events = far.formats.find((format) => format.name === 'TELEPHONE-EVENT');
  return {
    codec: chosen.name as Codec,
    payloadType: chosen.payloadType,
    telephoneEventPayloadType: events?.payloadType ?? null,
    remote: { address: far.address, port: far.port },
    direction: far.direction,
  };
}

/** RFC 3264 §6.1: the answer's direction mirrors the offer's. */
function answerDirection(offered: MediaDirection): MediaDirection {
  switch (offered) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    default:
      return offered;
  }
}

/** Whether the far end, by this direction, sends the application audio / wants audio from it. */
export function flows(direction: MediaDirection): { input: boolean; output: boolean } {
  return {
    input: direction === 'sendrecv' || direction === 'sendonly',
    output: direction === 'sendrecv' || direction === 'recvonly',
  };
}
