/**
 * Media on the server: RTP streams, G.711, WAV files, a looped player (music on hold) and a
 * conference mixer, paced by one 20 ms frame clock.
 */
export { decodeG711, encodeG711, g711PayloadType, g711Silence, type G711Law } from './g711.js';
export { decodeRtp, encodeRtp, type RtpPacket } from './rtp-packet.js';
export { readWav } from './wav.js';
export { FrameClock, frameMs, samplesPerFrame } from './frame-clock.js';
export { RtpStream, type RtpTarget } from './rtp-stream.js';
export { EncodedAudio, LoopPlayer } from './player.js';
export { Mixer } from './mixer.js';
