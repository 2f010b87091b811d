import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { ErrorCode, StrowgerError } from '@strowger/core';
import type { DatagramAddress, DatagramTransport } from '../transport.js';

/** A datagram transport over a bound UDP socket. */
export class UdpTransport implements DatagramTransport {
  readonly #socket: Socket;
  readonly local: DatagramAddress;
  onDatagram: ((data: Uint8Array, from: DatagramAddress) => void) | undefined;
  #closed = false;

  constructor(socket: Socket) {
    this.#socket = socket;
    const { address, port } = socket.address();
    this.local = { address, port };
    // Node's remote info has the address and port already: handed on as it is, nothing allocated.
    socket.on('message', (data, from) => this.onDatagram?.(data, from));
    // A far end that has gone away answers with ICMP; the stream goes on until it is closed.
    socket.on('error', () => undefined);
  }

  send(data: Uint8Array, to: DatagramAddress): void {
    if (!this.#closed) this.#socket.send(data, to.port, to.address);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onDatagram = undefined;
    this.#socket.close();
  }
}

const familyOf = (address: string) => (address.includes(':') ? 'udp6' : 'udp4');

function bind(address: string, port: number): Promise<Socket | undefined> {
  const socket = createSocket({ type: familyOf(address) });
  return new Promise((resolve) => {
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** Binds one UDP transport on `address`, on `port` or (0) one the system picks. */
export async function openUdpTransport(address: string, port = 0): Promise<UdpTransport> {
  const socket = await bind(address, port);
  if (socket === undefined) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `cannot bind UDP ${address}:${port}; check that the address is this machine's and the port is free`,
    );
  }
  return new UdpTransport(socket);
}

/**
 * Binds an RTP/RTCP pair: an even port for RTP and the next one for RTCP (RFC 3550 §11), chosen at
 * random among the free ones, or exactly `port` (which must be even) when given.
 */
export async function openUdpPair(address: string, port = 0): Promise<{ rtp: UdpTransport; rtcp: UdpTransport }> {
  if (port % 2 !== 0) throw new StrowgerError(ErrorCode.InvalidArgument, `the RTP port ${port} must be even`);
  const attempts = port === 0 ? 50 : 1;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const rtpPort = port === 0 ? 2 * randomInt(10_000, 30_000) : port;
    const rtp = await bind(address, rtpPort);
    if (rtp === undefined) continue;
    const rtcp = await bind(address, rtpPort + 1);
    if (rtcp === undefined) {
      rtp.close();
      continue;
    }
    return { rtp: new UdpTransport(rtp), rtcp: new UdpTransport(rtcp) };
  }
  throw new StrowgerError(
    ErrorCode.ResourceUnavailable,
    `no free RTP/RTCP port pair on ${address}${port === 0 ? '' : ` at ${port}`}; check that the address is this machine's`,
  );
}
