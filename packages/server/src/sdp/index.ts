/** Session descriptions (SDP, RFC 4566) as call control needs them, over sdp-transform. */
export { audioDirection, isHoldOffer, withAudioDirection, type MediaDirection } from './media-direction.js';
export { SessionOrigin } from './session-origin.js';
export { readAudio, writeAudio, type AudioDescription, type AudioFormat } from './audio-session.js';
