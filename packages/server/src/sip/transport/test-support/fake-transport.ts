import { TypedEmitter } from '../../../core/index.js';
import { parseMessage, serializeMessage, type SipRequest, type SipResponse } from '../../message/index.js';
import type { Endpoint, IncomingSource, SipTransport, SipTransportEvents, TransportProtocol } from '../types.js';

/**
 * A transport for unit tests: records what is sent (as re-parsed copies, so tests see the wire form)
 * and lets the test inject received messages. Reliability is chosen per instance.
 */
export class FakeTransport implements SipTransport {
  readonly sent: Array<{ message: SipRequest | SipResponse; target: Endpoint | IncomingSource }> = [];
  readonly #events = new TypedEmitter<SipTransportEvents>();
  readonly #reliable: boolean;
  failNextSend = false;

  constructor(options: { reliable?: boolean } = {}) {
    this.#reliable = options.reliable ?? false;
  }

  readonly source: IncomingSource = {
    protocol: 'udp',
    remote: { address: '192.0.2.10', port: 5062 },
    local: { address: '192.0.2.1', port: 5060 },
  };

  async send(message: SipRequest | SipResponse, target: Endpoint): Promise<void> {
    this.#record(message, target);
  }

  async sendResponse(response: SipResponse, source: IncomingSource): Promise<void> {
    this.#record(response, source);
  }

  sentBy(_protocol: TransportProtocol): { host: string; port: number } {
    return { host: '192.0.2.1', port: 5060 };
  }

  isReliable(_protocol: TransportProtocol): boolean {
    return this.#reliable;
  }

  on<K extends keyof SipTransportEvents>(event: K, listener: (payload: SipTransportEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  async close(): Promise<void> {}

  /** Delivers `text` as if it had arrived from the network. */
  receive(text: string): void {
    const message = parseMessage(Buffer.from(text));
    if (message.kind === 'request') this.#events.emit('request', { request: message, source: this.source });
    else this.#events.emit('response', { response: message, source: this.source });
  }

  /** Statuses or methods sent so far, in order: `['100', '180', 'ACK']`. */
  get log(): string[] {
    return this.sent.map(({ message }) => (message.kind === 'request' ? message.method : String(message.status)));
  }

  #record(message: SipRequest | SipResponse, target: Endpoint | IncomingSource): void {
    if (this.failNextSend) {
      this.failNextSend = false;
      throw new Error('simulated transport failure');
    }
    this.sent.push({ message: parseMessage(serializeMessage(message)), target });
  }
}
