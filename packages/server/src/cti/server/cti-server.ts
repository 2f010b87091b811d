import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ErrorCode, StrowgerError, type Clock, type Logger } from '../../core/index.js';
import type { ProviderService } from '../provider/provider-service.js';
import { CtiSession, type KeepAliveRange, type SessionLimits } from './session.js';

export interface CtiServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM certificate chain and key: the server speaks wss instead of ws. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  clock: Clock;
  logger: Logger;
  providers: ProviderService;
  /** `Strowger/x.y.z`, sent in the hello result. */
  serverName: string;
  limits?: Partial<SessionLimits>;
  keepAlive?: Partial<KeepAliveRange>;
}

export const defaultSessionLimits: SessionLimits = {
  maxFrameBytes: 65_536,
  maxPendingRequests: 64,
  requestsPerSecond: 200,
  maxQueuedBytes: 4 * 1024 * 1024,
  maxQueuedFrames: 10_000,
};

export const defaultKeepAlive: KeepAliveRange = { defaultSeconds: 30, minSeconds: 5, maxSeconds: 120 };

/** The paths a client may connect to. */
const paths = new Set(['/', '/cti']);

/**
 * The CTI listener: WebSocket (or WebSocket over TLS) on its own port, one session per connection.
 * A frame above 16 times the session's frame limit is refused by the WebSocket layer itself (close
 * 1009), so a huge frame never reaches memory whole; anything smaller gets a coded error frame.
 */
export class CtiServer {
  readonly #options: CtiServerOptions;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Set<CtiSession>();
  readonly #limits: SessionLimits;
  readonly #keepAlive: KeepAliveRange;
  #address: { address: string; port: number; protocol: 'ws' | 'wss' } | undefined;
  #closing: Promise<void> | undefined;

  private constructor(options: CtiServerOptions) {
    this.#options = options;
    this.#limits = { ...defaultSessionLimits, ...options.limits };
    this.#keepAlive = { ...defaultKeepAlive, ...options.keepAlive };
    const refuse = (_request: IncomingMessage, response: ServerResponse): void => {
      response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      response.end('This is the Strowger CTI port: connect with a WebSocket client.\n');
    };
    this.#http = options.tls === undefined ? createHttpServer(refuse) : createHttpsServer({ ...options.tls }, refuse);
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.#limits.maxFrameBytes * 16 });
    this.#http.on('upgrade', (request, socket, head) => this.#upgrade(request, socket, head));
    this.#http.on('clientError', (_error, socket) => socket.destroy());
  }

  static async start(options: CtiServerOptions): Promise<CtiServer> {
    const server = new CtiServer(options);
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        reject(
          new StrowgerError(
            ErrorCode.ResourceUnavailable,
            `cannot listen for CTI on ${options.host}:${options.port}: ${error.message}; choose another --cti-port`,
            { cause: error },
          ),
        );
      };
      server.#http.once('error', failed);
      server.#http.listen(options.port, options.host, () => {
        server.#http.off('error', failed);
        resolve();
      });
    });
    const address = server.#http.address() as AddressInfo;
    server.#address = {
      address: address.address,
      port: address.port,
      protocol: options.tls === undefined ? 'ws' : 'wss',
    };
    return server;
  }

  get address(): { address: string; port: number; protocol: 'ws' | 'wss' } {
    if (this.#address === undefined) throw new StrowgerError(ErrorCode.InvalidState, 'the CTI server is not listening');
    return this.#address;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Closes every session (1001) and stops listening. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const session of [...this.#sessions]) session.close(1001, 'server shutting down');
      this.#wss.close();
      await new Promise<void>((resolve) => {
        this.#http.close(() => resolve());
        this.#http.closeAllConnections();
      });
    })();
    return this.#closing;
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://cti').pathname;
    if (!paths.has(path) || this.#closing !== undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const source = request.socket.remoteAddress ?? 'unknown';
      const session = new CtiSession({
        id: `s-${randomUUID()}`,
        socket: ws,
        source,
        clock: this.#options.clock,
        logger: this.#options.logger,
        limits: this.#limits,
        keepAlive: this.#keepAlive,
        providers: this.#options.providers,
        serverName: this.#options.serverName,
        onClosed: (closed) => this.#sessions.delete(closed),
      });
      this.#sessions.add(session);
      this.#options.logger.debug({ session: session.id, source }, 'CTI session opened');
    });
  }
}
