export type {
  TransportProtocol,
  Endpoint,
  IncomingSource,
  SipTransport,
  SipTransportEvents,
  TransportObserver,
} from './types.js';
export {
  TransportLayer,
  defaultTcpLimits,
  type TransportLayerOptions,
  type TcpLimits,
  type TcpCloseReason,
  type TcpRefusalReason,
} from './transport-layer.js';
export { StreamFramer, type FrameEvent } from './stream-framer.js';
export { acceptIncoming, type IncomingOutcome } from './incoming.js';
