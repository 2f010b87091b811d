/**
 * Cuts SIP messages out of a byte stream (RFC 3261 §18.3): the header section ends at CRLFCRLF and the
 * body is exactly Content-Length bytes, which is mandatory on streams. CRLFs between messages are
 * keep-alives (RFC 5626 §3.5.1): a double CRLF "ping" is reported so it can be answered with a "pong".
 */
export type FrameEvent =
  { kind: 'message'; bytes: Buffer } | { kind: 'ping' } | { kind: 'error'; reason: string; headerBytes?: Buffer };

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*)$/im;

export class StreamFramer {
  #buffer: Buffer = Buffer.alloc(0);
  readonly #maxHeaderBytes: number;
  readonly #maxBodyBytes: number;

  constructor(options: { maxHeaderBytes?: number; maxBodyBytes?: number } = {}) {
    this.#maxHeaderBytes = options.maxHeaderBytes ?? 65_536;
    this.#maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  }

  /** Feeds received bytes; returns every complete frame. After an error the stream must be closed. */
  push(chunk: Buffer): FrameEvent[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const events: FrameEvent[] = [];
    for (;;) {
      let start = 0;
      let crlfs = 0;
      while (start + 1 < this.#buffer.length && this.#buffer[start] === 13 && this.#buffer[start + 1] === 10) {
        start += 2;
        crlfs++;
      }
      if (crlfs >= 2) events.push({ kind: 'ping' });
      if (start > 0) this.#buffer = this.#buffer.subarray(start);
      if (this.#buffer.length === 0) return events;
      const headerEnd = this.#buffer.indexOf(CRLFCRLF);
      if (headerEnd < 0) {
        if (this.#buffer.length > this.#maxHeaderBytes) {
          events.push({ kind: 'error', reason: `no end of headers within ${this.#maxHeaderBytes} bytes` });
        }
        return events;
      }
      const head = this.#buffer.toString('latin1', 0, headerEnd);
      const match = CONTENT_LENGTH.exec(head);
      const length =
        match === null ? undefined : /^\d{1,10}$/.test((match[1] ?? '').trim()) ? Number((match[1] ?? '').trim()) : NaN;
      if (length === undefined || Number.isNaN(length)) {
        const headerBytes = Buffer.from(this.#buffer.subarray(0, headerEnd + 4));
        events.push({
          kind: 'error',
          reason: length === undefined ? 'Content-Length is required on a stream' : 'invalid Content-Length',
          headerBytes,
        });
        return events;
      }
      if (length > this.#maxBodyBytes) {
        events.push({ kind: 'error', reason: `body of ${length} bytes is over the ${this.#maxBodyBytes}-byte limit` });
        return events;
      }
      const total = headerEnd + 4 + length;
      if (this.#buffer.length < total) return events;
      events.push({ kind: 'message', bytes: Buffer.from(this.#buffer.subarray(0, total)) });
      this.#buffer = this.#buffer.subarray(total);
    }
  }

  get bufferedBytes(): number {
    return this.#buffer.length;
  }
}
