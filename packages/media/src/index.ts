/**
 * @strowger/media: RTP and RTCP packets, G.711, RFC 4733 telephone-events and in-band DTMF, WAV
 * files, a jitter buffer, silence detection, a drift-free pacing clock, and the RTP session that
 * plays, records and collects digits over any datagram transport. Runs in browsers and Node.js;
 * UDP lives in @strowger/media/node.
 */
export { decodeG711, encodeG711, g711PayloadType, g711Silence, type G711Law } from './g711.js';
export {
  decodeRtp,
  encodeRtp,
  encodeRtpInto,
  rtpEncodedLength,
  rtpHeaderLength,
  type RtpPacket,
} from './rtp-packet.js';
export {
  RtcpType,
  decodeRtcp,
  encodeRtcp,
  encodeRtcpInto,
  ntpMiddle,
  ntpTimestamp,
  rtcpEncodedLength,
  type Goodbye,
  type ReceiverReport,
  type ReceptionReport,
  type RtcpPacket,
  type SenderReport,
  type SourceDescription,
} from './rtcp-packet.js';
export { RtpSender } from './rtp-sender.js';
export { RtpReceiverStatistics } from './rtp-statistics.js';
export { readWav, writeWav, telephonyRate, type WavEncoding } from './wav.js';
export { resample } from './resample.js';
export {
  TelephoneEventReceiver,
  decodeTelephoneEvent,
  defaultTelephoneEventPayloadType,
  dtmfDigits,
  encodeTelephoneEvent,
  encodeTelephoneEventInto,
  isDtmfDigit,
  telephoneEventFrames,
  telephoneEventLength,
  telephoneEventName,
  type DtmfDigit,
  type ReceivedDigit,
  type TelephoneEvent,
} from './telephone-event.js';
export { InbandDtmfDetector, dtmfFrequencies, dtmfTone, type InbandDtmfOptions } from './inband-dtmf.js';
export { JitterBuffer, type JitterBufferStats, type JitterBufferVerdict } from './jitter-buffer.js';
export { SilenceDetector, levelDb, type SilenceDetectorOptions } from './silence-detector.js';
export {
  PacingClock,
  frameMs,
  monotonicClock,
  samplesPerFrame,
  type FrameListener,
  type PacingClockOptions,
  type PacingStats,
} from './pacing-clock.js';
export { EncodedAudio, encodeFrames } from './encoded-audio.js';
export { LoopPlayer } from './loop-player.js';
export { Mixer } from './mixer.js';
export type { RtpEndpoint } from './rtp-endpoint.js';
export type { AudioFiles, DatagramAddress, DatagramTransport } from './transport.js';
export { type AudioSource } from './audio-source.js';
export { type CollectDigitsOptions, type CollectDigitsResult } from './digit-collector.js';
export { type SendDigitsOptions } from './digit-sender.js';
export { type PlayOptions, type PlayResult } from './prompt-queue.js';
export { type RecordOptions, type RecordResult } from './recording.js';
export {
  RtpSession,
  defaultPacingClock,
  type DigitSource,
  type MediaTarget,
  type RtpSessionEvents,
  type RtpSessionOptions,
  type RtpSessionStats,
} from './rtp-session.js';
