/**
 * @strowger/media/node: the Node.js side of media — UDP transports, RTP sessions bound to UDP ports
 * with WAV files on disk, and the raw RTP stream the server's music on hold and mixer drive.
 */
export { openRtpSession, type OpenRtpSessionOptions } from './open-rtp-session.js';
export { UdpTransport, openUdpPair, openUdpTransport } from './udp-transport.js';
export { RtpStream, type RtpTarget } from './rtp-stream.js';
export { nodeAudioFiles } from './files.js';
