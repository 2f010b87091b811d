/**
 * @strowger/sdk/node — what only Node.js can do: terminate a CTI port's RTP in this process.
 *
 *   const port = await MediaPort.open(provider, 'IVR_PORT_1');
 *   port.onCall(async ({ media }) => { await media.play('welcome.wav'); … });
 */
export { MediaPort, type MediaPortOptions, type PortCall } from './media-port.js';
export type { RtpSession, PlayResult, RecordResult, CollectDigitsResult } from '@strowger/media';
