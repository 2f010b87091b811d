import { createSocket, type Socket } from 'node:dgram';
import { answerChallenge, parseMessage, type SipResponse } from '../../src/sip/index.js';

/**
 * A bare UDP SIP peer for abuse tests: it sends exactly the bytes it is given, from the loopback
 * address it is told (127.0.0.x stands in for another machine), and keeps every answer it receives,
 * so a test can count them.
 */
export class RawSipPeer {
  readonly received: SipResponse[] = [];
  readonly #socket: Socket;
  readonly #serverPort: number;
  #waiters: Array<() => void> = [];
  #sequence = 0;

  private constructor(
    socket: Socket,
    serverPort: number,
    readonly address: string,
    readonly port: number,
  ) {
    this.#socket = socket;
    this.#serverPort = serverPort;
    socket.on('message', (bytes) => {
      try {
        const message = parseMessage(bytes);
        if (message.kind === 'response') this.received.push(message);
      } catch {
        // Not for us to judge here: a test counts what parses.
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(serverPort: number, address = '127.0.0.1'): Promise<RawSipPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
    return new RawSipPeer(socket, serverPort, address, socket.address().port);
  }

  send(text: string): void {
    this.#socket.send(Buffer.from(text), this.#serverPort, '127.0.0.1');
  }

  /** Waits for the next response matching `accept`, or resolves undefined after `timeoutMs`. */
  async next(accept: (response: SipResponse) => boolean, timeoutMs = 2000): Promise<SipResponse | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex(accept);
      if (index >= 0) return this.received.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** A request with fresh identifiers unless given; `headers` come before Content-Length. */
  request(options: {
    method: string;
    user: string;
    target?: string;
    callId?: string;
    branch?: string;
    cseq?: number;
    toTag?: string;
    headers?: string[];
  }): { text: string; callId: string; branch: string } {
    this.#sequence += 1;
    const callId =
      options.callId ?? `raw-${this.address}-${this.port}-${this.#sequence}-${Math.random().toString(16).slice(2)}`;
    const branch = options.branch ?? `z9hG4bKraw${this.#sequence}${Math.random().toString(16).slice(2)}`;
    const target = options.target ?? options.user;
    const uri = options.method === 'REGISTER' ? 'sip:127.0.0.1' : `sip:${target}@127.0.0.1`;
    const toUser = options.method === 'REGISTER' ? options.user : target;
    const text = [
      `${options.method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.address}:${this.port};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:${options.user}@127.0.0.1>;tag=raw${this.port}`,
      `To: <sip:${toUser}@127.0.0.1>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`,
      `Call-ID: ${callId}`,
      `CSeq: ${options.cseq ?? 1} ${options.method === 'ACK' ? 'ACK' : options.method}`,
      `Contact: <sip:${options.user}@${this.address}:${this.port}>`,
      ...(options.headers ?? []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    return { text, callId, branch };
  }

  /**
   * One digest login the way a guesser makes it: the request without credentials, then again with
   * an answer to the challenge for `password`. Resolves with the final answer, or 'no challenge'
   * when the first request drew none.
   */
  async login(options: {
    method: 'REGISTER' | 'INVITE';
    user: string;
    password: string;
    target?: string;
  }): Promise<SipResponse | 'no challenge'> {
    const first = this.request({
      method: options.method,
      user: options.user,
      ...(options.target ? { target: options.target } : {}),
    });
    this.send(first.text);
    const challenge = await this.next((r) => r.callId === first.callId && r.status >= 200, 1000);
    if (challenge === undefined || (challenge.status !== 401 && challenge.status !== 407)) {
      return challenge ?? 'no challenge';
    }
    this.#ackIfInvite(options.method, first, challenge);
    const header = challenge.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const credentials = answerChallenge({
      challenge: challenge.getHeaders(header)[0] ?? '',
      method: options.method,
      uri: options.method === 'REGISTER' ? 'sip:127.0.0.1' : `sip:${options.target ?? options.user}@127.0.0.1`,
      username: options.user,
      password: options.password,
    });
    const second = this.request({
      method: options.method,
      user: options.user,
      callId: first.callId,
      cseq: 2,
      ...(options.target ? { target: options.target } : {}),
      headers: [`${challenge.status === 401 ? 'Authorization' : 'Proxy-Authorization'}: ${credentials}`],
    });
    this.send(second.text);
    const answer = await this.next((r) => r.callId === first.callId && r.status >= 200);
    if (answer !== undefined) this.#ackIfInvite(options.method, second, answer);
    return answer ?? 'no challenge';
  }

  /** §17.1.1.3: a non-2xx final response to an INVITE is acknowledged on the INVITE's branch. */
  #ackIfInvite(method: string, sent: { callId: string; branch: string; text: string }, response: SipResponse): void {
    if (method !== 'INVITE' || response.status < 300) return;
    const cseq = response.cseq.seq;
    const ack = this.request({
      method: 'ACK',
      user: /From: <sip:([^@]+)@/.exec(sent.text)?.[1] ?? '',
      target: /^INVITE sip:([^@]+)@/.exec(sent.text)?.[1] ?? '',
      callId: sent.callId,
      branch: sent.branch,
      cseq,
      toTag: response.to.params.get('tag') ?? '',
    });
    this.send(ack.text);
  }

  close(): void {
    this.#socket.close();
  }
}
