import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createConnection, createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { Clock, Logger, TimerHandle } from '../../core/index.js';
import {
  ErrorCode,
  StrowgerError,
  TypedEmitter,
  interfaceAddresses,
  isWildcardAddress,
  localAddressTowards,
  primaryAddress,
  silentLogger,
  unmapAddress,
  type LocalAddress,
} from '../../core/index.js';
import { createResponse, serializeMessage, type SipRequest, type SipResponse } from '../message/index.js';
import { acceptIncoming } from './incoming.js';
import { StreamFramer } from './stream-framer.js';
import { TcpGuard, type TcpCloseReason, type TcpLimits } from './tcp-limits.js';
import type {
  Endpoint,
  IncomingSource,
  SendTarget,
  SipTransport,
  SipTransportEvents,
  TransportObserver,
  TransportProtocol,
} from './types.js';

/** Asked of the kernel for the UDP socket (capped by net.core.rmem_max / wmem_max). */
const udpReceiveBufferBytes = 8 * 1024 * 1024;

/** Tries at one free port for every interface's UDP socket before giving up (port 0 with a wildcard bind). */
const sharedPortAttempts = 10;

export interface TransportLayerOptions {
  clock: Clock;
  logger?: Logger;
  observer?: TransportObserver;
  /** RFC 3261 §18.1.1: a request larger than this (path MTU − 200) must not go over UDP. */
  maxUdpSize?: number;
  tcp?: Partial<TcpLimits>;
  /** The addresses a wildcard bind opens UDP sockets on; the machine's interfaces unless given. */
  interfaceAddresses?: (wildcard: string) => LocalAddress[];
}

interface Connection {
  readonly id: string;
  readonly socket: Socket;
  readonly framer: StreamFramer;
  readonly remote: { address: string; port: number };
  readonly local: { address: string; port: number };
  idleTimer: TimerHandle | undefined;
  /** Runs from the first byte of a message until it is complete (§18.3 framing). */
  deadline: TimerHandle | undefined;
  /** The framer's holding as last counted into the budget. */
  buffered: number;
  closing: boolean;
}

const CRLF = Buffer.from('\r\n');

function endpointKey(address: string, port: number): string {
  return `${address}|${port}`;
}

/**
 * The SIP transport layer of RFC 3261 §18 over UDP and TCP: receives and frames messages, stamps
 * `received`/`rport`, answers unparseable requests with 400, routes responses back the way requests
 * came, and reuses TCP connections in both directions.
 */
export class TransportLayer implements SipTransport {
  readonly #events: TypedEmitter<SipTransportEvents>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #observer: TransportObserver;
  readonly #maxUdpSize: number;
  readonly #tcpLimits: TcpLimits;
  readonly #guard: TcpGuard;
  readonly #interfaceAddresses: (wildcard: string) => LocalAddress[];
  /** UDP sockets by local address: one for a specific bind, one per interface address for a wildcard. */
  readonly #udp = new Map<string, UdpSocket>();
  #udpAddresses: LocalAddress[] = [];
  #tcp: Server | undefined;
  #udpEndpoint: Endpoint | undefined;
  #tcpEndpoint: Endpoint | undefined;
  /** Written into Via and Contact whatever the peer reached: `advertise`, or a specific bind address. */
  #fixedHost: string | undefined = '127.0.0.1';
  /** With a wildcard bind, for a peer whose reached address is not known. */
  #defaultHost = '127.0.0.1';
  readonly #connections = new Map<string, Connection>();
  readonly #byRemote = new Map<string, Connection>();
  #nextConnectionId = 1;
  #closed = false;

  constructor(options: TransportLayerOptions) {
    this.#clock = options.clock;
    this.#logger = (options.logger ?? silentLogger).child({ layer: 'sip-transport' });
    this.#events = new TypedEmitter(this.#logger);
    this.#observer = options.observer ?? {};
    this.#maxUdpSize = options.maxUdpSize ?? 1300;
    this.#interfaceAddresses = options.interfaceAddresses ?? interfaceAddresses;
    this.#guard = new TcpGuard({ clock: this.#clock, logger: this.#logger, limits: options.tcp ?? {} });
    this.#tcpLimits = this.#guard.limits;
  }

  get tcpLimits(): Readonly<TcpLimits> {
    return this.#tcpLimits;
  }

  on<K extends keyof SipTransportEvents>(event: K, listener: (payload: SipTransportEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Opens the listening sockets. Port 0 picks a free port; the bound endpoints are returned.
   * `advertise` is the host written into Via sent-by and Contact. Without it a specific bind address
   * is written; with a wildcard bind, the address each peer reached (see `sentBy`). Node cannot tell
   * which address a datagram to a wildcard socket was sent to, so a wildcard UDP bind opens one socket
   * per interface address, all on one port; a TCP connection knows its local address.
   */
  async listen(options: {
    host: string;
    udpPort?: number;
    tcpPort?: number;
    advertise?: string;
  }): Promise<{ udp?: Endpoint; tcp?: Endpoint }> {
    const wildcard = isWildcardAddress(options.host);
    this.#fixedHost = options.advertise ?? (wildcard ? undefined : options.host);
    this.#defaultHost = wildcard ? primaryAddress() : options.host;
    if (options.udpPort !== undefined) {
      const addresses: LocalAddress[] = wildcard
        ? this.#interfaceAddresses(options.host)
        : [{ address: options.host, cidr: null, internal: false }];
      if (addresses.length === 0) {
        throw new StrowgerError(
          ErrorCode.ResourceUnavailable,
          `no network interface has an address to listen for SIP over UDP on; bring one up or bind a specific address`,
        );
      }
      const port = await this.#bindUdp(addresses, options.udpPort);
      const address = wildcard ? options.host : (this.#udpAddresses[0]?.address ?? options.host);
      this.#udpEndpoint = { protocol: 'udp', address, port };
    }
    if (options.tcpPort !== undefined) {
      const server = createServer((socket) => this.#accept(socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error) => reject(bindError('TCP', options.host, options.tcpPort ?? 0, error)));
        server.listen(options.tcpPort, options.host, () => resolve());
      });
      server.on('error', (error) => this.#logger.warn({ err: error }, 'TCP server error'));
      this.#tcp = server;
      const address = server.address();
      if (address !== null && typeof address === 'object') {
        this.#tcpEndpoint = { protocol: 'tcp', address: address.address, port: address.port };
      }
    }
    return {
      ...(this.#udpEndpoint ? { udp: this.#udpEndpoint } : {}),
      ...(this.#tcpEndpoint ? { tcp: this.#tcpEndpoint } : {}),
    };
  }

  /**
   * UDP and TCP on one port. With port 0 the system picks the UDP port and TCP follows it; when
   * another process holds that port for TCP, the UDP sockets are let go and a new port tried.
   */
  async listenUdpAndTcp(options: {
    host: string;
    port: number;
    advertise?: string;
  }): Promise<{ udp: Endpoint; tcp: Endpoint }> {
    const { host, port } = options;
    const advertise = options.advertise === undefined ? {} : { advertise: options.advertise };
    for (let attempt = 1; ; attempt++) {
      const { udp } = await this.listen({ host, udpPort: port, ...advertise });
      if (udp === undefined) throw new StrowgerError(ErrorCode.Internal, 'UDP was bound but reported no endpoint');
      try {
        const { tcp } = await this.listen({ host, tcpPort: udp.port, ...advertise });
        if (tcp === undefined) throw new StrowgerError(ErrorCode.Internal, 'TCP was bound but reported no endpoint');
        return { udp, tcp };
      } catch (error) {
        const inUse = (error as { cause?: { code?: string } }).cause?.code === 'EADDRINUSE';
        if (port !== 0 || !inUse || attempt >= sharedPortAttempts) throw error;
        await closeUdp([...this.#udp.values()]);
        this.#udp.clear();
        this.#udpEndpoint = undefined;
      }
    }
  }

  sentBy(protocol: TransportProtocol, local?: string): { host: string; port: number } {
    const endpoint = protocol === 'udp' ? this.#udpEndpoint : this.#tcpEndpoint;
    const reached = local === undefined || local.length === 0 ? undefined : unmapAddress(local);
    return { host: this.#fixedHost ?? reached ?? this.#defaultHost, port: endpoint?.port ?? 5060 };
  }

  /**
   * Our address a message to `target` leaves from: a TCP connection's local address, the address
   * the target says the peer reached, or the one routing would choose.
   */
  localAddressFor(target: SendTarget): string {
    if (target.protocol === 'tcp') {
      const connection =
        (target.connectionId === undefined ? undefined : this.#connections.get(target.connectionId)) ??
        this.#byRemote.get(endpointKey(target.address, target.port));
      if (connection !== undefined) return connection.local.address;
    }
    const reached = target.localAddress === undefined ? '' : unmapAddress(target.localAddress);
    // Over UDP only an address we still have a socket on will do (an interface can go away).
    if (reached.length > 0 && (target.protocol === 'tcp' || this.#udp.has(reached))) return reached;
    return localAddressTowards(target.address, this.#udpAddresses) ?? this.#defaultHost;
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  get openConnections(): number {
    return this.#connections.size;
  }

  /** Bytes of unfinished messages held over all TCP connections (bounded by the buffer budget). */
  get bufferedBytes(): number {
    return this.#guard.bufferedBytes;
  }

  async send(message: SipRequest | SipResponse, target: SendTarget): Promise<void> {
    if (this.#closed) throw new StrowgerError(ErrorCode.SipTransportError, 'the SIP transport is closed');
    const bytes = serializeMessage(message);
    if (target.protocol === 'udp') {
      if (message.kind === 'request' && bytes.length > this.#maxUdpSize) {
        throw new StrowgerError(
          ErrorCode.SipTransportError,
          `request of ${bytes.length} bytes is over the ${this.#maxUdpSize}-byte UDP limit (RFC 3261 §18.1.1); send it over TCP`,
          { details: { reason: 'message-too-large' } },
        );
      }
      await this.#sendDatagram(bytes, target);
      if (this.#observer.messageSent !== undefined) {
        const local = { address: this.localAddressFor(target), port: this.#udpEndpoint?.port ?? 0 };
        this.#observer.messageSent(message, target, { bytes, local });
      }
    } else {
      const connection = await this.#connectionFor(target);
      await this.#write(connection, bytes);
      this.#observer.messageSent?.(message, target, { bytes, local: connection.local });
    }
  }

  async sendResponse(response: SipResponse, source: IncomingSource): Promise<void> {
    if (source.protocol === 'tcp') {
      // §18.2.2: over a reliable transport the response goes back on the request's connection if it
      // is still open; otherwise to the address in `received` and the sent-by port.
      const connection = source.connectionId === undefined ? undefined : this.#connections.get(source.connectionId);
      if (connection !== undefined) {
        const bytes = serializeMessage(response);
        await this.#write(connection, bytes);
        this.#observer.messageSent?.(
          response,
          { protocol: 'tcp', address: connection.remote.address, port: connection.remote.port },
          { bytes, local: connection.local },
        );
        return;
      }
    }
    let via;
    try {
      via = response.topVia;
    } catch {
      // Only a 400 to a request with a broken Via (RFC 4475 "badinv01") gets here: the sender is
      // the one place it can go.
      await this.send(response, { protocol: source.protocol, ...source.remote, localAddress: source.local.address });
      return;
    }
    const received = via.params.get('received');
    const rport = via.params.get('rport');
    // NOTE: maddr (§18.2.2 multicast responses) is not honoured; phones do not use it.
    const address = received ?? via.host;
    const port = rport !== undefined && rport !== null ? Number(rport) : (via.port ?? 5060);
    // The response leaves from the address the request reached, which is the one its peer expects.
    await this.send(response, { protocol: source.protocol, address, port, localAddress: source.local.address });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const connection of [...this.#connections.values()]) connection.socket.destroy();
    const tcp = this.#tcp;
    await closeUdp([...this.#udp.values()]);
    this.#udp.clear();
    if (tcp !== undefined) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  /**
   * Binds a UDP socket on every address, all on one port: the port asked for, or with port 0 the one
   * the first socket got (tried again a few times when another address has that port taken).
   */
  async #bindUdp(addresses: readonly LocalAddress[], port: number): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      let shared = port;
      const opened: Array<{ local: LocalAddress; socket: UdpSocket }> = [];
      try {
        for (const local of addresses) {
          const socket = await this.#openUdp(local.address, shared);
          if (socket === undefined) continue;
          // Keyed by the address as the socket reports it ("localhost" bound is "127.0.0.1").
          opened.push({ local: { ...local, address: socket.address().address }, socket });
          shared = socket.address().port;
        }
      } catch (error) {
        await closeUdp(opened.map((entry) => entry.socket));
        const retry = port === 0 && attempt < sharedPortAttempts && (error as { code?: string }).code === 'EADDRINUSE';
        if (retry) continue;
        throw bindError(
          'UDP',
          addresses.length === 1 ? (addresses[0]?.address ?? '') : 'every interface',
          shared,
          error as Error,
        );
      }
      if (opened.length === 0) {
        throw new StrowgerError(
          ErrorCode.ResourceUnavailable,
          'no interface address could be bound for SIP over UDP; check the machine has its addresses up',
        );
      }
      for (const { local, socket } of opened) {
        const { address } = local;
        socket.on('error', (error) => this.#logger.warn({ err: error, address }, 'UDP socket error'));
        socket.on('message', (bytes, info) => this.#onDatagram(bytes, info.address, info.port, address));
        this.#udp.set(address, socket);
      }
      this.#udpAddresses = opened.map((entry) => entry.local);
      return shared;
    }
  }

  /** One UDP socket; undefined for an interface address that has gone away since it was listed. */
  async #openUdp(address: string, port: number): Promise<UdpSocket | undefined> {
    // A large receive buffer rides out a pause of the event loop (a GC, a database write) at
    // thousands of datagrams per second; the kernel default drops them after a few hundred kB.
    const socket = createSocket({
      type: isIPv6(address) ? 'udp6' : 'udp4',
      reuseAddr: false,
      recvBufferSize: udpReceiveBufferBytes,
      sendBufferSize: udpReceiveBufferBytes,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, address, () => resolve());
      });
    } catch (error) {
      await closeUdp([socket]);
      if ((error as { code?: string }).code === 'EADDRNOTAVAIL') {
        this.#logger.warn({ address }, 'an interface address could not be bound for SIP over UDP; skipping it');
        return undefined;
      }
      throw error;
    }
    socket.removeAllListeners('error');
    return socket;
  }

  #sendDatagram(bytes: Buffer, target: SendTarget): Promise<void> {
    const { address, port } = target;
    const socket = this.#udp.get(this.localAddressFor(target)) ?? this.#udp.values().next().value;
    if (socket === undefined) {
      return Promise.reject(
        new StrowgerError(ErrorCode.SipTransportError, 'no UDP socket is open; listen with a UDP port first'),
      );
    }
    return new Promise((resolve, reject) => {
      socket.send(bytes, port, address, (error) => {
        if (error)
          reject(
            new StrowgerError(ErrorCode.SipTransportError, `UDP send to ${address}:${port} failed: ${error.message}`, {
              cause: error,
            }),
          );
        else resolve();
      });
    });
  }

  #onDatagram(bytes: Buffer, address: string, port: number, localAddress: string): void {
    const localPort = this.#udpEndpoint?.port ?? 0;
    // A lone CRLF or double CRLF over UDP is a keep-alive (RFC 5626 §4.4.1 uses STUN; CRLF is common).
    if (bytes.length <= 4 && bytes.every((b) => b === 13 || b === 10)) return;
    this.#deliver(bytes, {
      protocol: 'udp',
      remote: { address, port },
      local: { address: localAddress, port: localPort },
    });
  }

  #deliver(bytes: Buffer, source: IncomingSource): void {
    const outcome = acceptIncoming(bytes, source);
    switch (outcome.kind) {
      case 'request':
        this.#observer.messageReceived?.(outcome.request, source, { bytes, local: source.local });
        this.#events.emit('request', { request: outcome.request, source });
        return;
      case 'response': {
        // §18.1.2: a response whose top Via is not ours is discarded.
        const via = outcome.response.via[0];
        const ours = via !== undefined && (via.port ?? 5060) === this.sentBy(source.protocol).port;
        if (!ours) {
          this.#observer.dropped?.(source, 'response Via sent-by is not ours');
          return;
        }
        this.#observer.messageReceived?.(outcome.response, source, { bytes, local: source.local });
        this.#events.emit('response', { response: outcome.response, source });
        return;
      }
      case 'reject': {
        this.#observer.parseError?.(source, outcome.error);
        const partial = outcome.error.partial;
        if (partial === undefined) return;
        const reason =
          outcome.error.responseStatus === 505
            ? 'Version Not Supported'
            : `Bad Request - ${shortReason(outcome.error.message)}`;
        const response = createResponse(partial, outcome.error.responseStatus, reason);
        this.sendResponse(response, source).catch((error: unknown) =>
          this.#logger.debug({ err: error }, 'could not answer a malformed request'),
        );
        return;
      }
      case 'drop':
        this.#observer.dropped?.(source, outcome.reason);
    }
  }

  /**
   * A connection from a peer: refused (destroyed unread) when its source or everyone together is at
   * the limit, so a flood of idle connections cannot take the file descriptors the HTTP and CTI
   * listeners need.
   */
  #accept(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const refusal = this.#guard.refusalFor(address);
    if (refusal !== undefined) {
      socket.destroy();
      this.#observer.connectionRefused?.({ address, port: socket.remotePort ?? 0 }, refusal);
      return;
    }
    this.#adopt(socket);
  }

  #adopt(socket: Socket): Connection {
    const limits = this.#tcpLimits;
    const connection: Connection = {
      id: `tcp-${this.#nextConnectionId++}`,
      socket,
      framer: new StreamFramer({ maxHeaderBytes: limits.maxHeaderBytes, maxBodyBytes: limits.maxBodyBytes }),
      remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      // A dual-stack listener reports an IPv4 peer's connection as "::ffff:a.b.c.d"; Via wants a.b.c.d.
      local: { address: unmapAddress(socket.localAddress ?? ''), port: socket.localPort ?? 0 },
      idleTimer: undefined,
      deadline: undefined,
      buffered: 0,
      closing: false,
    };
    this.#connections.set(connection.id, connection);
    this.#byRemote.set(endpointKey(connection.remote.address, connection.remote.port), connection);
    this.#guard.opened(connection.remote.address);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onStreamData(connection, chunk));
    socket.on('error', (error) =>
      this.#logger.debug({ err: error, connection: connection.id }, 'TCP connection error'),
    );
    socket.on('close', () => this.#forget(connection));
    this.#touch(connection);
    return connection;
  }

  #onStreamData(connection: Connection, chunk: Buffer): void {
    if (connection.closing) return;
    this.#touch(connection);
    const source: IncomingSource = {
      protocol: 'tcp',
      remote: connection.remote,
      local: connection.local,
      connectionId: connection.id,
    };
    const wasHolding = connection.framer.bufferedBytes > 0;
    const events = connection.framer.push(chunk);
    const completed = events.some((event) => event.kind === 'message');
    if (this.#account(connection)) {
      this.#abandon(connection, 'buffer-budget');
      return;
    }
    for (const event of events) {
      if (connection.closing) return;
      if (event.kind === 'ping') {
        connection.socket.write(CRLF);
      } else if (event.kind === 'message') {
        this.#deliver(event.bytes, source);
      } else {
        this.#logger.info(
          { connection: connection.id, source: connection.remote.address, reason: event.reason },
          'closing a TCP connection that broke SIP framing',
        );
        const answer =
          event.headerBytes === undefined ? undefined : badRequestFor(event.headerBytes, source, event.reason);
        const answerBytes = answer === undefined ? undefined : serializeMessage(answer);
        this.#abandon(connection, 'framing-error', answerBytes);
        if (answer !== undefined && answerBytes !== undefined) {
          const wire = { bytes: answerBytes, local: connection.local };
          this.#observer.messageSent?.(answer, { protocol: 'tcp', ...connection.remote }, wire);
        }
        return;
      }
    }
    this.#watchDeadline(connection, wasHolding && !completed);
  }

  /**
   * §18.3 gives a stream no time limit, but a peer that trickles bytes would otherwise hold its
   * connection and buffer for ever (slowloris): a message must be complete within the deadline from
   * its first byte, and further bytes of the same message do not extend it.
   */
  #watchDeadline(connection: Connection, sameMessage: boolean): void {
    const holding = connection.framer.bufferedBytes > 0;
    if (!holding) {
      connection.deadline?.cancel();
      connection.deadline = undefined;
      return;
    }
    if (sameMessage && connection.deadline !== undefined) return;
    connection.deadline?.cancel();
    connection.deadline = this.#clock.setTimer(this.#tcpLimits.messageDeadlineMs, () => {
      connection.deadline = undefined;
      this.#logger.info(
        { connection: connection.id, source: connection.remote.address, held: connection.framer.bufferedBytes },
        `closing a TCP connection whose message was not complete within ${this.#tcpLimits.messageDeadlineMs} ms`,
      );
      this.#abandon(connection, 'message-deadline');
    });
  }

  /** Counts a connection's framer's holding into the budget; true when the budget is now exceeded. */
  #account(connection: Connection): boolean {
    const now = connection.framer.bufferedBytes;
    const over = this.#guard.held(now - connection.buffered);
    connection.buffered = now;
    return over;
  }

  /**
   * Closes a connection for abuse: nothing more is read or scanned, what it held is let go at once,
   * and `last` (a 400) is written before the socket is destroyed.
   */
  #abandon(connection: Connection, reason: TcpCloseReason, last?: Buffer): void {
    if (connection.closing) return;
    connection.closing = true;
    connection.framer.close();
    this.#account(connection);
    connection.deadline?.cancel();
    connection.deadline = undefined;
    connection.socket.pause();
    connection.socket.removeAllListeners('data');
    this.#observer.connectionClosed?.(connection.remote, reason);
    if (last === undefined) {
      connection.socket.destroy();
      return;
    }
    // The 400 gets a moment to leave; a peer that does not read it does not keep the socket.
    const fallback = this.#clock.setTimer(1000, () => connection.socket.destroy());
    connection.socket.write(last, () => {
      fallback.cancel();
      connection.socket.destroy();
    });
  }

  async #connectionFor(target: SendTarget): Promise<Connection> {
    const byId = target.connectionId === undefined ? undefined : this.#connections.get(target.connectionId);
    if (byId !== undefined) return byId;
    const existing = this.#byRemote.get(endpointKey(target.address, target.port));
    if (existing !== undefined) return existing;
    // From the address the peer reached us on, so the connection matches the Via and Contact we send.
    const socket = createConnection({
      host: target.address,
      port: target.port,
      ...(target.localAddress ? { localAddress: target.localAddress } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', (error) =>
        reject(
          new StrowgerError(
            ErrorCode.SipTransportError,
            `TCP connect to ${target.address}:${target.port} failed: ${error.message}`,
            { cause: error },
          ),
        ),
      );
    });
    return this.#adopt(socket);
  }

  #write(connection: Connection, bytes: Buffer): Promise<void> {
    this.#touch(connection);
    return new Promise((resolve, reject) => {
      connection.socket.write(bytes, (error) => {
        if (error)
          reject(
            new StrowgerError(
              ErrorCode.SipTransportError,
              `TCP write to ${connection.remote.address}:${connection.remote.port} failed: ${error.message}`,
              { cause: error },
            ),
          );
        else resolve();
      });
    });
  }

  #touch(connection: Connection): void {
    connection.idleTimer?.cancel();
    connection.idleTimer = this.#clock.setTimer(this.#tcpLimits.idleTimeoutMs, () => connection.socket.destroy());
  }

  #forget(connection: Connection): void {
    if (!this.#connections.has(connection.id)) return;
    connection.idleTimer?.cancel();
    connection.deadline?.cancel();
    connection.framer.close();
    this.#account(connection);
    this.#guard.closed(connection.remote.address);
    this.#connections.delete(connection.id);
    const key = endpointKey(connection.remote.address, connection.remote.port);
    if (this.#byRemote.get(key) === connection) this.#byRemote.delete(key);
  }
}

/** A 400 for a framing failure, when the headers are good enough to answer (§18.3). */
function badRequestFor(headerBytes: Buffer, source: IncomingSource, reason: string): SipResponse | undefined {
  const outcome = acceptIncoming(headerBytes, source);
  const request =
    outcome.kind === 'request' ? outcome.request : outcome.kind === 'reject' ? outcome.error.partial : undefined;
  return request === undefined ? undefined : createResponse(request, 400, `Bad Request - ${shortReason(reason)}`);
}

function bindError(kind: string, host: string, port: number, error: Error): StrowgerError {
  return new StrowgerError(
    ErrorCode.ResourceUnavailable,
    `cannot listen for SIP over ${kind} on ${host}:${port} (${error.message}); choose another port with --sip-port, or 0 for a free one`,
    { cause: error },
  );
}

function shortReason(message: string): string {
  const text = message.replace(/[\r\n]+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

async function closeUdp(sockets: readonly UdpSocket[]): Promise<void> {
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
}
