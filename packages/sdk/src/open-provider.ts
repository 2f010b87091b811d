import { silentLogger, type Logger } from '@strowger/core';
import { systemClock, type Clock } from '@strowger/core';
import { InvalidArgumentError } from './errors.js';
import { defaultBackoff, type Backoff } from './fail-over.js';
import { createProvider, openCreatedProvider, type Provider } from './provider.js';
import type { WebSocketConstructor } from './transport.js';

export interface OpenProviderOptions {
  /**
   * CTI servers in order of preference (`ws://host:2748`, `wss://…`). The provider opens on the first
   * that answers and, when a connection is lost, moves on to the next, as JTAPI does with the
   * CTIManagers of its provider string.
   */
  readonly servers: readonly string[];
  /** An end user's or application user's user id; the user needs "Standard CTI Enabled". */
  readonly user: string;
  readonly password: string;
  /** Free text naming the application in the server's logs (JTAPI's appinfo). */
  readonly appInfo?: string;
  /** How long a request may go unanswered (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** How long connecting and the hello exchange may take per server (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** The keep-alive interval to ask for (default 30 s; the server clamps it to 5..120). */
  readonly keepAliveSeconds?: number;
  /** Delays between rounds over the server list while reconnecting. */
  readonly backoff?: Partial<Backoff>;
  /** How many rounds over the server list openProvider makes before it gives up (default 1). */
  readonly openRounds?: number;
  /** Cancels the open. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Timers; tests pass a fake clock to drive keep-alive and backoff. */
  readonly clock?: Clock;
  /** A WebSocket implementation to use instead of the runtime's (the global one, else `ws`). */
  readonly webSocket?: WebSocketConstructor;
}

/**
 * Opens a provider (JTAPI getProvider) and resolves once it is IN_SERVICE, with its terminals and
 * addresses listed. Rejects with AuthenticationFailedError, LoginNotAllowedError (the user lacks
 * "Standard CTI Enabled"), or ConnectionLostError when no server answered.
 */
export async function openProvider(options: OpenProviderOptions): Promise<Provider> {
  const servers = validServers(options.servers);
  for (const key of ['user', 'password'] as const) {
    if (typeof options[key] !== 'string' || options[key] === '')
      throw new InvalidArgumentError(`openProvider needs a non-empty ${key}.`, { details: { path: key } });
  }
  const provider = createProvider({
    servers,
    user: options.user,
    password: options.password,
    appInfo: options.appInfo,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    keepAliveSeconds: options.keepAliveSeconds ?? 30,
    backoff: { ...defaultBackoff, ...options.backoff },
    openRounds: options.openRounds ?? 1,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    webSocket: options.webSocket,
  });
  try {
    await openCreatedProvider(provider, options.signal);
  } catch (err) {
    await provider.shutdown();
    throw err;
  }
  return provider;
}

function validServers(servers: unknown): string[] {
  if (!Array.isArray(servers) || servers.length === 0)
    throw new InvalidArgumentError('openProvider needs at least one server, e.g. servers: ["ws://host:2748"].', {
      details: { path: 'servers' },
    });
  return servers.map((server: unknown, i) => {
    if (typeof server !== 'string' || !/^wss?:\/\/[^/]+/.test(server))
      throw new InvalidArgumentError(
        `servers[${i}] must be a ws:// or wss:// URL such as "ws://host:2748"; got ${JSON.stringify(server)}.`,
        { details: { path: `servers/${i}` } },
      );
    return server;
  });
}
