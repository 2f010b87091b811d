import type { Clock } from '../../core/index.js';
import type { SipTraceFilter, SipTraceItem, SipTraceSource } from '../../admin/index.js';

/** How much the trace keeps: in all (messages and bytes), and of one SIP call (Call-ID). */
export interface SipTraceLimits {
  maxMessages: number;
  maxBytes: number;
  /** A call's first messages are kept (its setup, the interesting part); later ones are counted as dropped. */
  perCallMessages: number;
}

/** About 16 MB at most: some 200 calls' worth of a dozen messages of 1–2 kB each, kept whole. */
export const defaultSipTraceLimits: SipTraceLimits = {
  maxMessages: 10_000,
  maxBytes: 16 * 1024 * 1024,
  perCallMessages: 200,
};

interface Endpoint {
  readonly address: string;
  readonly port: number;
}

interface Captured {
  readonly seq: number;
  readonly at: number;
  readonly direction: 'received' | 'sent';
  readonly transport: 'udp' | 'tcp';
  /** The transport's own endpoint objects, formatted only when read. */
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly call: TracedCall;
  /** The bytes as they crossed the wire: decoded only when someone asks for them. */
  readonly bytes: Buffer;
}

/** One SIP Call-ID's messages, and what the upper layers told of it: the engine's call, the device. */
interface TracedCall {
  readonly sipCallId: string;
  readonly messages: Captured[];
  callId: string | undefined;
  device: string | undefined;
}

/** What the upper layers know of a SIP Call-ID: the engine's call and the device. */
export interface TraceLabels {
  callId?: string;
  device?: string;
}

/** Labels waiting for their Call-ID's first message: a burst of calls' worth. */
const maxEarlyLabels = 1000;

interface Subscriber {
  readonly filter: SipTraceFilter;
  readonly listener: (item: SipTraceItem) => void;
}

/**
 * The recent SIP messages, kept as the transport had them, indexed by SIP Call-ID and — once the
 * device driver says which call and device a Call-ID is — by the engine's call id and device name.
 * Bounded in messages and bytes overall (the oldest go first) and per call. Capturing is a few
 * field writes and an array push; decoding and summarising happen only when someone reads.
 */
export class SipTraceBuffer implements SipTraceSource {
  readonly #clock: Clock;
  readonly #limits: SipTraceLimits;
  /** Oldest first; entries before #head are already evicted (compacted now and then). */
  #ring: Captured[] = [];
  #head = 0;
  #bytes = 0;
  #seq = 0;
  #dropped = 0;
  readonly #calls = new Map<string, TracedCall>();
  readonly #byCallId = new Map<string, Set<TracedCall>>();
  readonly #byDevice = new Map<string, Set<TracedCall>>();
  readonly #subscribers = new Set<Subscriber>();
  /** Labels of Call-IDs not seen yet, oldest first, at most maxEarlyLabels. */
  readonly #early = new Map<string, TraceLabels>();

  constructor(options: { clock: Clock; limits?: Partial<SipTraceLimits> }) {
    this.#clock = options.clock;
    this.#limits = { ...defaultSipTraceLimits, ...options.limits };
  }

  /** Messages and bytes held now, and messages not kept because their call had its fill. */
  get stats(): { messages: number; bytes: number; dropped: number } {
    return { messages: this.#ring.length - this.#head, bytes: this.#bytes, dropped: this.#dropped };
  }

  capture(
    direction: 'received' | 'sent',
    transport: 'udp' | 'tcp',
    local: Endpoint,
    remote: Endpoint,
    sipCallId: string,
    bytes: Buffer,
  ): void {
    let call = this.#calls.get(sipCallId);
    if (call === undefined) {
      const early = this.#early.get(sipCallId);
      this.#early.delete(sipCallId);
      call = { sipCallId, messages: [], callId: undefined, device: undefined };
      this.#calls.set(sipCallId, call);
      if (early !== undefined) this.#setLabels(call, early);
    } else if (call.messages.length >= this.#limits.perCallMessages) {
      this.#dropped++;
      return;
    }
    const entry: Captured = {
      seq: ++this.#seq,
      at: this.#clock.now(),
      direction,
      transport,
      local,
      remote,
      call,
      bytes,
    };
    call.messages.push(entry);
    this.#ring.push(entry);
    this.#bytes += bytes.length;
    this.#evict();
    if (this.#subscribers.size > 0) this.#publish([entry]);
  }

  /**
   * Tells which engine call and device a SIP Call-ID belongs to (the device driver knows when it
   * makes a leg). Subscribers that now match hear the call's messages captured before.
   */
  label(sipCallId: string, labels: TraceLabels): void {
    const call = this.#calls.get(sipCallId);
    if (call === undefined) {
      // A call we send the first message of is labelled just before it goes: kept for a while.
      this.#early.set(sipCallId, labels);
      if (this.#early.size > maxEarlyLabels) this.#early.delete(this.#early.keys().next().value!);
      return;
    }
    const before = new Set([...this.#subscribers].filter((s) => matches(s.filter, call)));
    this.#setLabels(call, labels);
    for (const subscriber of this.#subscribers) {
      if (!before.has(subscriber) && matches(subscriber.filter, call)) {
        for (const entry of call.messages) subscriber.listener(itemOf(entry));
      }
    }
  }

  /** The most recent `limit` messages that match, oldest first. */
  items(filter: SipTraceFilter, limit: number): SipTraceItem[] {
    let entries: Captured[];
    if (filter.callId === undefined && filter.device === undefined) {
      entries = this.#ring.slice(Math.max(this.#head, this.#ring.length - limit));
    } else {
      const calls = new Set<TracedCall>();
      if (filter.callId !== undefined) for (const call of this.#byCallId.get(filter.callId) ?? []) calls.add(call);
      if (filter.device !== undefined) for (const call of this.#byDevice.get(filter.device) ?? []) calls.add(call);
      entries = [...calls]
        .flatMap((call) => call.messages)
        .sort((a, b) => a.seq - b.seq)
        .slice(-limit);
    }
    return entries.map(itemOf);
  }

  /** Every message from now on that matches, as it is captured (and a call's earlier ones when it comes to match). */
  subscribe(filter: SipTraceFilter, listener: (item: SipTraceItem) => void): () => void {
    const subscriber = { filter, listener };
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  #publish(entries: readonly Captured[]): void {
    for (const subscriber of this.#subscribers) {
      for (const entry of entries) if (matches(subscriber.filter, entry.call)) subscriber.listener(itemOf(entry));
    }
  }

  #evict(): void {
    const { maxMessages, maxBytes } = this.#limits;
    while (this.#ring.length - this.#head > maxMessages || this.#bytes > maxBytes) {
      const oldest = this.#ring[this.#head]!;
      this.#head++;
      this.#bytes -= oldest.bytes.length;
      const call = oldest.call;
      call.messages.shift();
      if (call.messages.length === 0) this.#forget(call);
    }
    // Drop the evicted prefix once it is as long as what is kept: amortised O(1) per message.
    if (this.#head > 1024 && this.#head * 2 > this.#ring.length) {
      this.#ring = this.#ring.slice(this.#head);
      this.#head = 0;
    }
  }

  #setLabels(call: TracedCall, labels: TraceLabels): void {
    if (labels.callId !== undefined && call.callId === undefined) {
      call.callId = labels.callId;
      addTo(this.#byCallId, labels.callId, call);
    }
    if (labels.device !== undefined && call.device === undefined) {
      call.device = labels.device;
      addTo(this.#byDevice, labels.device, call);
    }
  }

  #forget(call: TracedCall): void {
    this.#calls.delete(call.sipCallId);
    if (call.callId !== undefined) removeFrom(this.#byCallId, call.callId, call);
    if (call.device !== undefined) removeFrom(this.#byDevice, call.device, call);
  }
}

function matches(filter: SipTraceFilter, call: TracedCall): boolean {
  if (filter.callId === undefined && filter.device === undefined) return true;
  return (
    (filter.callId !== undefined && call.callId === filter.callId) ||
    (filter.device !== undefined && call.device === filter.device)
  );
}

function itemOf(entry: Captured): SipTraceItem {
  const message = entry.bytes.toString('utf8');
  const lineEnd = message.indexOf('\r\n');
  return {
    seq: entry.seq,
    at: new Date(entry.at).toISOString(),
    direction: entry.direction,
    transport: entry.transport,
    local: endpointText(entry.local),
    remote: endpointText(entry.remote),
    device: entry.call.device,
    callId: entry.call.callId,
    sipCallId: entry.call.sipCallId,
    summary: lineEnd < 0 ? message : message.slice(0, lineEnd),
    message,
  };
}

function endpointText(endpoint: Endpoint): string {
  return endpoint.address.includes(':')
    ? `[${endpoint.address}]:${endpoint.port}`
    : `${endpoint.address}:${endpoint.port}`;
}

function addTo(index: Map<string, Set<TracedCall>>, key: string, call: TracedCall): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(call);
}

function removeFrom(index: Map<string, Set<TracedCall>>, key: string, call: TracedCall): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(call);
  if (set.size === 0) index.delete(key);
}
