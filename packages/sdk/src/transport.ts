/**
 * The WebSocket under a CTI session. In a browser (and in any runtime with a global WebSocket) the
 * global one is used; in Node, which has none by default, the `ws` package is loaded on first use.
 * The dynamic import keeps `ws` out of browser bundles: a bundler marks it external and the code
 * path that loads it never runs there.
 */

/** What the SDK needs of a WebSocket: the WHATWG shape, which `ws` implements as well. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** WebSocket.OPEN in both implementations (RFC 6455 connection established). */
export const OPEN = 1;

let cached: WebSocketConstructor | undefined;
const WS_PACKAGE = 'ws';

/** The WebSocket constructor of this runtime: the global one if present, else `ws`. */
export async function webSocketConstructor(): Promise<WebSocketConstructor> {
  if (cached !== undefined) return cached;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global !== undefined) {
    cached = global;
  } else {
    // The specifier is held in a variable so that neither the compiler (which would pull in Node's
    // types) nor a browser bundler (which would try to bundle it) follows it.
    const ws = (await import(/* @vite-ignore */ WS_PACKAGE)) as { WebSocket: WebSocketConstructor };
    cached = ws.WebSocket;
  }
  return cached;
}
