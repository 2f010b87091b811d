import { parse, write } from 'sdp-transform';

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/**
 * The direction a session description offers for its audio: the first audio stream's attribute,
 * else the session-level one, else sendrecv (RFC 3264 §5.1). A connection address of 0.0.0.0 is the
 * RFC 2543 way of putting a call on hold and reads as inactive (RFC 3264 §8.4).
 */
export function audioDirection(sdp: string): MediaDirection {
  const session = parse(sdp);
  const audio = session.media.find((media) => media.type === 'audio');
  const address = audio?.connection?.ip ?? session.connection?.ip;
  if (address === '0.0.0.0') return 'inactive';
  return audio?.direction ?? session.direction ?? 'sendrecv';
}

/** Whether an offer puts the other party on hold: it stops receiving the other side's audio. */
export function isHoldOffer(sdp: string): boolean {
  const direction = audioDirection(sdp);
  return direction === 'sendonly' || direction === 'inactive';
}

/**
 * The same session description with its audio streams set to `direction` (RFC 3264 §5.1), the way a
 * back-to-back user agent turns a phone's own offer into a hold (sendonly) or resume (sendrecv) offer
 * for it. The session-level attribute, if any, is dropped so the stream's own one decides.
 */
export function withAudioDirection(sdp: string, direction: MediaDirection): string {
  const session = parse(sdp);
  delete session.direction;
  for (const media of session.media) if (media.type === 'audio') media.direction = direction;
  return write(session);
}
