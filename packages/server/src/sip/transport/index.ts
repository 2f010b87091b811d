export type {
  TransportProtocol,
  Endpoint,
  SendTarget,
  IncomingSource,
  SipTransport,
  SipTransportEvents,
  TransportObserver,
  WireMessage,
} from './types.js';
export { TransportLayer, type TransportLayerOptions } from './transport-layer.js';
export { defaultTcpLimits, type TcpLimits, type TcpCloseReason, type TcpRefusalReason } from './tcp-limits.js';
export { StreamFramer, type FrameEvent } from './stream-framer.js';
export { acceptIncoming, type IncomingOutcome } from './incoming.js';
