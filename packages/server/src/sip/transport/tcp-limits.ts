import type { Clock, Logger } from '../../core/index.js';

/**
 * What one peer, and all of them together, may hold of the server over TCP. Every limit exists
 * because a peer can otherwise take the resource from everyone else: file descriptors (the HTTP and
 * CTI listeners need some too), memory for unfinished messages, and time.
 */
export interface TcpLimits {
  /** Open connections at once, both directions; new ones beyond it are refused at accept. */
  maxConnections: number;
  /** Open connections from one address; a NAT with many phones behind it needs headroom. */
  maxConnectionsPerSource: number;
  /** A message must be complete this long after its first byte, however slowly its bytes come. */
  messageDeadlineMs: number;
  /** A connection with nothing in progress is closed after this long without traffic. */
  idleTimeoutMs: number;
  maxHeaderBytes: number;
  maxBodyBytes: number;
  /** Bytes of unfinished messages held over all connections; the one that would go over is closed. */
  bufferBudgetBytes: number;
}

export const defaultTcpLimits: TcpLimits = {
  maxConnections: 4096,
  maxConnectionsPerSource: 256,
  messageDeadlineMs: 32_000,
  idleTimeoutMs: 300_000,
  maxHeaderBytes: 65_536,
  maxBodyBytes: 65_536,
  bufferBudgetBytes: 32 * 1024 * 1024,
};

/** How often a refusal from one source is logged at most. */
const refusalLogIntervalMs = 60_000;

/** Why the server closed or refused a connection, as metrics and logs name it. */
export type TcpCloseReason = 'framing-error' | 'message-deadline' | 'buffer-budget';
export type TcpRefusalReason = 'per-source-limit' | 'total-limit';

interface TcpGuardOptions {
  clock: Clock;
  logger: Logger;
  limits: Partial<TcpLimits>;
}

/**
 * The bookkeeping behind the limits: connections per source and in all, bytes of unfinished messages
 * over all connections, and refusals logged once per source per interval. The transport asks it
 * before adopting a connection and tells it what each connection opens, holds and closes.
 */
export class TcpGuard {
  readonly limits: TcpLimits;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #perSource = new Map<string, number>();
  readonly #refusalLogged = new Map<string, number>();
  #open = 0;
  #buffered = 0;

  constructor(options: TcpGuardOptions) {
    this.limits = { ...defaultTcpLimits, ...options.limits };
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /** Bytes of unfinished messages held over all connections. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Why a new connection from `address` must be refused (logged once per interval), or undefined. */
  refusalFor(address: string): TcpRefusalReason | undefined {
    const reason: TcpRefusalReason | undefined =
      this.#open >= this.limits.maxConnections
        ? 'total-limit'
        : (this.#perSource.get(address) ?? 0) >= this.limits.maxConnectionsPerSource
          ? 'per-source-limit'
          : undefined;
    if (reason !== undefined) this.#logRefusal(address, reason);
    return reason;
  }

  opened(address: string): void {
    this.#open += 1;
    this.#perSource.set(address, (this.#perSource.get(address) ?? 0) + 1);
  }

  closed(address: string): void {
    this.#open -= 1;
    const left = (this.#perSource.get(address) ?? 1) - 1;
    if (left <= 0) this.#perSource.delete(address);
    else this.#perSource.set(address, left);
  }

  /** Adds a change in bytes held; true when the total is now over the budget. */
  held(delta: number): boolean {
    this.#buffered += delta;
    return this.#buffered > this.limits.bufferBudgetBytes;
  }

  /** One line per source per interval, however many connections it tries. */
  #logRefusal(address: string, reason: TcpRefusalReason): void {
    const now = this.#clock.now();
    const last = this.#refusalLogged.get(address);
    if (last !== undefined && now - last < refusalLogIntervalMs) return;
    this.#refusalLogged.delete(address);
    this.#refusalLogged.set(address, now);
    for (const [key, at] of this.#refusalLogged) {
      if (now - at < refusalLogIntervalMs && this.#refusalLogged.size <= 10_000) break;
      this.#refusalLogged.delete(key);
    }
    const limits = this.limits;
    this.#logger.warn(
      {
        source: address,
        reason,
        fromSource: this.#perSource.get(address) ?? 0,
        open: this.#open,
        maxConnections: limits.maxConnections,
        maxConnectionsPerSource: limits.maxConnectionsPerSource,
      },
      reason === 'total-limit'
        ? `refusing SIP TCP connections: ${limits.maxConnections} are open (raise --sip-tcp-max-connections if this is real load); logged once a minute per source`
        : `refusing SIP TCP connections from ${address}: it has ${limits.maxConnectionsPerSource} open (raise --sip-tcp-max-per-source for a large NAT); logged once a minute per source`,
    );
  }
}
