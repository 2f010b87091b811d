import type { SipParseError, SipRequest, SipResponse } from '../message/index.js';

/** Transports we speak; TLS and WebSocket (RFC 7118) slot in as further members and implementations. */
export type TransportProtocol = 'udp' | 'tcp';

export interface Endpoint {
  protocol: TransportProtocol;
  address: string;
  port: number;
}

/** Where a message is sent: the peer, a connection to reuse, and which of our addresses it leaves from. */
export interface SendTarget extends Endpoint {
  connectionId?: string;
  /**
   * Our address the peer reached us on (a phone's registration, the request being answered): with a
   * wildcard bind the datagram leaves from the socket on that address, and a new TCP connection is
   * opened from it, so the peer sees the address our Via and Contact name.
   */
  localAddress?: string;
}

/** Where a received message came from, and which of our sockets or connections it arrived on. */
export interface IncomingSource {
  protocol: TransportProtocol;
  remote: { address: string; port: number };
  local: { address: string; port: number };
  /** Set for connection-oriented transports: responses go back on this connection (§18.2.2). */
  connectionId?: string;
}

export interface SipTransportEvents extends Record<string, unknown> {
  request: { request: SipRequest; source: IncomingSource };
  response: { response: SipResponse; source: IncomingSource };
}

/** The transport as the transaction layer sees it; sockets and the in-memory test network both implement it. */
export interface SipTransport {
  /** Sends to an explicit target; a request reuses an open connection to the target when there is one. */
  send(message: SipRequest | SipResponse, target: SendTarget): Promise<void>;
  /** Sends a response where RFC 3261 §18.2.2 and RFC 3581 §4 say it goes, given where the request came from. */
  sendResponse(response: SipResponse, source: IncomingSource): Promise<void>;
  /**
   * The host and port to put in the sent-by of a new Via, and in Contact, for this transport. `local`
   * is our address the peer reached (a request's `source.local.address`, a target's `localAddress`):
   * bound to every interface, that address is the one the peer can reach us at.
   */
  sentBy(protocol: TransportProtocol, local?: string): { host: string; port: number };
  isReliable(protocol: TransportProtocol): boolean;
  on<K extends keyof SipTransportEvents>(event: K, listener: (payload: SipTransportEvents[K]) => void): () => void;
  close(): Promise<void>;
}

/**
 * A message as it crossed the wire: the bytes received or sent (the very buffer the transport had,
 * not a copy, so a tap that keeps it must not change it) and our address it arrived on or left from.
 */
export interface WireMessage {
  bytes: Buffer;
  local: { address: string; port: number };
}

/** A monitoring tap (metrics, traces), kept apart from the control events above. */
export interface TransportObserver {
  messageReceived?(message: SipRequest | SipResponse, source: IncomingSource, wire: WireMessage): void;
  messageSent?(message: SipRequest | SipResponse, target: Endpoint, wire: WireMessage): void;
  parseError?(source: IncomingSource, error: SipParseError): void;
  dropped?(source: IncomingSource, reason: string): void;
  /** A TCP connection refused at accept: its source, or everyone together, is at the limit. */
  connectionRefused?(remote: { address: string; port: number }, reason: 'per-source-limit' | 'total-limit'): void;
  /** A TCP connection the server closed for breaking a rule: framing, the message deadline, the buffer budget. */
  connectionClosed?(
    remote: { address: string; port: number },
    reason: 'framing-error' | 'message-deadline' | 'buffer-budget',
  ): void;
}
