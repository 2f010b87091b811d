/**
 * Cuts SIP messages out of a byte stream (RFC 3261 §18.3): the header section ends at CRLFCRLF and the
 * body is exactly Content-Length bytes, which is mandatory on streams. CRLFs between messages are
 * keep-alives (RFC 5626 §3.5.1): a double CRLF "ping" is reported so it can be answered with a "pong".
 *
 * A framing error ends the stream: the framer lets go of what it holds and takes nothing more, so a
 * peer that keeps sending after it cannot make us copy or scan its bytes again.
 */
export type FrameEvent =
  { kind: 'message'; bytes: Buffer } | { kind: 'ping' } | { kind: 'error'; reason: string; headerBytes?: Buffer };

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*)$/im;

export interface StreamFramerOptions {
  maxHeaderBytes?: number;
  maxBodyBytes?: number;
}

export class StreamFramer {
  /** Received bytes live in `#store[#start, #end)`; the store grows by doubling, so appends are amortised O(1). */
  #store: Buffer = Buffer.alloc(0);
  #start = 0;
  #end = 0;
  /** Where the search for CRLFCRLF resumes, so a header arriving in small pieces is scanned once. */
  #scanFrom = 0;
  #failed = false;
  readonly #maxHeaderBytes: number;
  readonly #maxBodyBytes: number;

  constructor(options: StreamFramerOptions = {}) {
    this.#maxHeaderBytes = options.maxHeaderBytes ?? 65_536;
    this.#maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  }

  /** Feeds received bytes; returns every complete frame. After an error nothing more is taken. */
  push(chunk: Buffer): FrameEvent[] {
    if (this.#failed) return [];
    this.#append(chunk);
    const events: FrameEvent[] = [];
    for (;;) {
      let crlfs = 0;
      while (this.#end - this.#start >= 2 && this.#store[this.#start] === 13 && this.#store[this.#start + 1] === 10) {
        this.#start += 2;
        this.#scanFrom = this.#start;
        crlfs++;
      }
      if (crlfs >= 2) events.push({ kind: 'ping' });
      if (this.#start === this.#end) {
        this.#start = this.#end = this.#scanFrom = 0;
        return events;
      }
      const view = this.#store.subarray(this.#start, this.#end);
      const resume = Math.max(0, this.#scanFrom - this.#start - 3);
      const headerEnd = view.indexOf(CRLFCRLF, resume);
      if (headerEnd < 0) {
        this.#scanFrom = this.#end;
        if (view.length > this.#maxHeaderBytes) {
          events.push(
            this.#fail(
              `no end of headers within ${this.#maxHeaderBytes} bytes`,
              truncatedHead(view, this.#maxHeaderBytes),
            ),
          );
        }
        return events;
      }
      const headerBytes = () => Buffer.from(view.subarray(0, headerEnd + 4));
      const head = view.toString('latin1', 0, headerEnd);
      const match = CONTENT_LENGTH.exec(head);
      const length =
        match === null ? undefined : /^\d{1,10}$/.test((match[1] ?? '').trim()) ? Number((match[1] ?? '').trim()) : NaN;
      if (length === undefined || Number.isNaN(length)) {
        events.push(
          this.#fail(
            length === undefined ? 'Content-Length is required on a stream' : 'invalid Content-Length',
            headerBytes(),
          ),
        );
        return events;
      }
      if (length > this.#maxBodyBytes) {
        events.push(this.#fail(`body of ${length} bytes is over the ${this.#maxBodyBytes}-byte limit`, headerBytes()));
        return events;
      }
      const total = headerEnd + 4 + length;
      if (view.length < total) {
        // The header is whole; only the body is awaited, and the search need not start again.
        this.#scanFrom = this.#start + headerEnd;
        return events;
      }
      events.push({ kind: 'message', bytes: Buffer.from(view.subarray(0, total)) });
      this.#start += total;
      this.#scanFrom = this.#start;
    }
  }

  /** Bytes held for a message not yet complete. */
  get bufferedBytes(): number {
    return this.#end - this.#start;
  }

  /** Lets go of everything held; the framer takes nothing more. */
  close(): void {
    this.#failed = true;
    this.#store = Buffer.alloc(0);
    this.#start = this.#end = this.#scanFrom = 0;
  }

  #fail(reason: string, headerBytes: Buffer | undefined): FrameEvent {
    this.close();
    return headerBytes === undefined ? { kind: 'error', reason } : { kind: 'error', reason, headerBytes };
  }

  #append(chunk: Buffer): void {
    const held = this.#end - this.#start;
    if (held === 0) {
      // The common case on a quiet connection: nothing held, so the chunk is copied once.
      if (this.#store.length < chunk.length || this.#store.length > 4 * Math.max(chunk.length, 4096)) {
        this.#store = Buffer.allocUnsafe(Math.max(chunk.length, 4096));
      }
      chunk.copy(this.#store, 0);
      this.#start = this.#scanFrom = 0;
      this.#end = chunk.length;
      return;
    }
    if (this.#end + chunk.length > this.#store.length) {
      const capacity = Math.max(2 * this.#store.length, held + chunk.length);
      const grown = held + chunk.length <= this.#store.length ? this.#store : Buffer.allocUnsafe(capacity);
      this.#store.copy(grown, 0, this.#start, this.#end);
      this.#store = grown;
      this.#scanFrom -= this.#start;
      this.#end = held;
      this.#start = 0;
    }
    chunk.copy(this.#store, this.#end);
    this.#end += chunk.length;
  }
}

/**
 * The start of an over-long header cut at its last complete line, closed as a header section: when
 * the request line and the mandatory headers came first (they do), the 400 can still be addressed.
 */
function truncatedHead(view: Buffer, limit: number): Buffer | undefined {
  const lastLine = view.subarray(0, limit).lastIndexOf('\r\n');
  if (lastLine <= 0) return undefined;
  return Buffer.concat([view.subarray(0, lastLine), CRLFCRLF]);
}
