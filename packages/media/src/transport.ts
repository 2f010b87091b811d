/**
 * What an RTP session needs from the network: a datagram socket, as an interface, so the session
 * itself runs anywhere (the Node.js entry supplies UDP; tests can pair two in memory).
 */
export interface DatagramAddress {
  readonly address: string;
  readonly port: number;
}

export interface DatagramTransport {
  /** Where this transport receives. */
  readonly local: DatagramAddress;
  /** Sends a datagram; the caller does not touch `data` afterwards, so it may be sent without a copy. */
  send(data: Uint8Array, to: DatagramAddress): void;
  /**
   * The one receiver of incoming datagrams; set by the session that owns the transport. The
   * receiver may keep `data` (a jitter buffer holds packets): a transport hands over a buffer it
   * will not reuse, as Node.js's dgram does.
   */
  onDatagram: ((data: Uint8Array, from: DatagramAddress) => void) | undefined;
  close(): void;
}

/** Where prompts are read from and recordings written to: the file system in Node.js, anything elsewhere. */
export interface AudioFiles {
  read(name: string): Promise<Uint8Array>;
  write(name: string, data: Uint8Array): Promise<void>;
}

export const sameAddress = (a: DatagramAddress | undefined, b: DatagramAddress | undefined): boolean =>
  a !== undefined && b !== undefined && a.address === b.address && a.port === b.port;
