/**
 * A small reordering jitter buffer for one RTP stream. Packets go in as they arrive and come out in
 * sequence order; a packet that comes after its turn (late) or twice (duplicate) is dropped; a gap
 * is waited for until `depth` later packets are held, and then given up as lost, so a lost packet
 * delays the stream by at most `depth` packets. It holds at most `capacity` packets: a jump further
 * ahead than that (a peer that skipped, or restarted its sequence) releases what is held and starts
 * again from the new packet, as does a run of `capacity` packets in a row that all look late.
 *
 * It is driven by arrivals, not by a clock: an application that records or detects digits wants
 * every frame in order, not played out in real time.
 */

export type JitterBufferVerdict = 'accepted' | 'duplicate' | 'late';

export interface JitterBufferStats {
  readonly accepted: number;
  readonly duplicates: number;
  readonly late: number;
  /** Sequence numbers given up as lost (never received in time). */
  readonly lost: number;
  /** Times the buffer started again at a sequence far from the expected one. */
  readonly resyncs: number;
}

const sequenceModulo = 0x10000;
/** The signed distance from `from` to `to` in 16-bit sequence space. */
const distance = (from: number, to: number): number => ((to - from) << 16) >> 16;

export class JitterBuffer<T extends { readonly sequence: number }> {
  readonly #depth: number;
  readonly #capacity: number;
  readonly #held = new Map<number, T>();
  #next: number | undefined;
  #lateInARow = 0;
  #stats = { accepted: 0, duplicates: 0, late: 0, lost: 0, resyncs: 0 };

  constructor(options: { depth?: number; capacity?: number } = {}) {
    this.#depth = options.depth ?? 3;
    this.#capacity = Math.max(this.#depth + 1, options.capacity ?? 32);
  }

  get stats(): JitterBufferStats {
    return { ...this.#stats };
  }

  get size(): number {
    return this.#held.size;
  }

  /**
   * Takes one arrival; `release` is called with each packet now ready, in order (often just this
   * one). Nothing is allocated for a packet that arrives in order.
   */
  push(packet: T, release: (packet: T) => void): JitterBufferVerdict {
    const sequence = packet.sequence & 0xffff;
    if (this.#next === undefined) this.#next = sequence;
    const ahead = distance(this.#next, sequence);
    if (ahead === 0 && this.#held.size === 0) {
      // The common case: the packet expected, nothing waiting.
      this.#lateInARow = 0;
      this.#stats.accepted += 1;
      this.#next = (sequence + 1) % sequenceModulo;
      release(packet);
      return 'accepted';
    }
    if (ahead < 0) {
      this.#lateInARow += 1;
      if (this.#lateInARow < this.#capacity) {
        this.#stats.late += 1;
        return 'late';
      }
      // Every packet for a while has been "late": the peer has started its sequence again.
      this.#resync(sequence, release);
    } else if (ahead >= this.#capacity) {
      this.#resync(sequence, release);
    } else if (this.#held.has(sequence)) {
      this.#stats.duplicates += 1;
      return 'duplicate';
    }
    this.#lateInARow = 0;
    this.#held.set(sequence, packet);
    this.#stats.accepted += 1;
    this.#release(release, false);
    return 'accepted';
  }

  /** Releases everything held, in order, giving up the gaps: the end of a stream. */
  flush(release: (packet: T) => void): void {
    this.#release(release, true);
  }

  /** Forgets everything, as for a new stream (another SSRC). */
  reset(): void {
    this.#held.clear();
    this.#next = undefined;
    this.#lateInARow = 0;
  }

  #resync(sequence: number, release: (packet: T) => void): void {
    this.#release(release, true);
    this.#stats.resyncs += 1;
    this.#next = sequence;
    this.#lateInARow = 0;
  }

  /** Moves packets from the head out in order; skips a gap when `depth` packets wait behind it (or always, flushing). */
  #release(release: (packet: T) => void, flushing: boolean): void {
    while (this.#held.size > 0 && this.#next !== undefined) {
      const packet = this.#held.get(this.#next);
      if (packet !== undefined) {
        this.#held.delete(this.#next);
        release(packet);
        this.#next = (this.#next + 1) % sequenceModulo;
        continue;
      }
      if (!flushing && this.#held.size < this.#depth) return;
      this.#stats.lost += 1;
      this.#next = (this.#next + 1) % sequenceModulo;
    }
  }
}
