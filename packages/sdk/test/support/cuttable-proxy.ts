import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a CTI server: the first address of a provider's server list. `cut()` drops
 * every connection at once and stops listening, so the address refuses from then on — a CTI server
 * lost mid-call, as far as the client can tell.
 */
export class CuttableProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(targetPort: number): Promise<CuttableProxy> {
    const server = createServer();
    const proxy = new CuttableProxy(server);
    server.on('connection', (client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      proxy.#sockets.add(client).add(upstream);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          to.destroy();
          proxy.#sockets.delete(from);
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening');
    return `ws://127.0.0.1:${address.port}`;
  }

  /** Drops every relayed connection and refuses new ones. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }
}
