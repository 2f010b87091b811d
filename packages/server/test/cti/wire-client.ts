import WebSocket from 'ws';
import { validators, type Event } from '@strowger/protocol';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = any;

/**
 * A plain WebSocket client speaking the CTI protocol by hand, so the tests see exactly what travels.
 * Every frame the server sends is checked against the protocol's schema as it arrives.
 */
export class WireClient {
  readonly frames: Frame[] = [];
  readonly invalid: Array<{ frame: Frame; problem: unknown }> = [];
  closed: { code: number; reason: string } | undefined;
  readonly socket: WebSocket;
  #nextId = 1;
  #waiters: Array<() => void> = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (!validators.serverFrame.check(frame)) {
        this.invalid.push({ frame, problem: validators.serverFrame.problem(frame) });
      }
      this.frames.push(frame);
      this.#wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.#wake();
    });
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      socket.once('open', () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a request and resolves with its response frame (result or error). */
  async request(method: string, params: unknown = {}): Promise<Frame> {
    const id = this.#nextId++;
    this.send({ kind: 'request', id, method, params });
    return this.waitFor((frame) => frame.kind === 'response' && frame.id === id);
  }

  async hello(): Promise<Frame> {
    const response = await this.request('hello', { protocols: [1], client: 'test' });
    if (response.error !== undefined) throw new Error(`hello refused: ${JSON.stringify(response.error)}`);
    return response.result;
  }

  async open(user: string, password: string, resume?: { providerId: string; afterSeq: number }): Promise<Frame> {
    const response = await this.request('provider.open', {
      user,
      password,
      ...(resume === undefined ? {} : { resume }),
    });
    if (response.error !== undefined) throw new Error(`provider.open refused: ${JSON.stringify(response.error)}`);
    return response.result;
  }

  /** The first frame (already received or still to come) that matches. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.frames.find(match);
        if (found !== undefined) {
          resolve(found);
          return true;
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const waiter = (): void => {
        if (check()) {
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
        }
      };
      this.#waiters.push(waiter);
    });
  }

  waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return new Promise((resolve, reject) => {
      if (this.closed !== undefined) return resolve(this.closed);
      const timer = setTimeout(() => reject(new Error('the connection did not close')), timeoutMs);
      const waiter = (): void => {
        if (this.closed !== undefined) {
          clearTimeout(timer);
          resolve(this.closed);
        }
      };
      this.#waiters.push(waiter);
    });
  }

  /** Every event of a provider received so far, in arrival order. */
  events(providerId: string): Event[] {
    return this.frames
      .filter((frame) => frame.kind === 'events' && frame.providerId === providerId)
      .flatMap((frame) => frame.events as Event[]);
  }

  async waitForEvent(providerId: string, match: (event: Event) => boolean, timeoutMs = 5000): Promise<Event> {
    await this.waitFor(
      (frame) => frame.kind === 'events' && frame.providerId === providerId && frame.events.some(match),
      timeoutMs,
    );
    return this.events(providerId).find(match) as Event;
  }

  close(): Promise<void> {
    if (this.closed !== undefined) return Promise.resolve();
    const closed = this.waitClosed().then(
      () => undefined,
      () => undefined,
    );
    this.socket.close();
    return closed;
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
