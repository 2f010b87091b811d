import { parse } from 'sdp-transform';

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
