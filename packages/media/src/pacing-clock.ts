import { systemClock, type Clock } from '@strowger/core';
import { monotonicNow } from './host.js';

/** One 20 ms frame of 8 kHz audio: what every stream here sends per tick (RFC 3551's default ptime). */
export const frameMs = 20;
export const samplesPerFrame = 160;

/** The host's timers with a monotonic, sub-millisecond `now()`: what pacing needs. */
export const monotonicClock: Clock = {
  now: monotonicNow,
  setTimer: (ms, callback) => systemClock.setTimer(ms, callback),
};

/** Receives frame `frame` of its subscription (0, 1, 2, … with gaps after a stall) at its due time. */
export type FrameListener = (frame: number) => void;

export interface PacingClockOptions {
  /** Time and timers; a monotonic clock by default, a FakeClock in tests. */
  readonly clock?: Clock;
  /** Frames a late subscriber is caught up by sending them back to back; further behind, it skips ahead. */
  readonly maxCatchUpFrames?: number;
  /** A frame may go this much before its due time rather than wait for another timer (ms). */
  readonly earlyMs?: number;
  /**
   * Start each new stream in the millisecond of the 20 ms frame that the fewest streams use (up to
   * 19 ms later than asked), so that streams started together — calls answered in one turn — do not
   * all send in the same instant, each waiting behind the others' sends. Off by default (a stream
   * starts at once); the process-wide clock RTP sessions share has it on.
   */
  readonly spreadStarts?: boolean;
}

interface Subscription {
  readonly listener: FrameListener;
  readonly start: number;
  frame: number;
  due: number;
  active: boolean;
}

export interface PacingStats {
  /** Frames delivered back to back to catch up after the process was late. */
  readonly caughtUp: number;
  /** Frames skipped because the process was too late to send them in time. */
  readonly skipped: number;
}

/**
 * The pacing timer for every media stream of a process. Each subscription has its own start, and
 * frame n of it is due at start + n × 20 ms, computed from the start every time, so lateness of one
 * timer never adds up into drift. A process that was late a little sends the missed frames at once
 * (a receiver's jitter buffer absorbs that); one that stalled longer skips to the frame due now, so
 * the far end hears a gap instead of seconds of audio at once and the RTP timestamps, computed from
 * the frame number, stay true to time. One timer serves all subscriptions, set for the earliest due
 * frame; subscriptions started at different moments spread their work over the 20 ms.
 */
export class PacingClock {
  readonly #clock: Clock;
  readonly #maxCatchUp: number;
  readonly #early: number;
  /** Subscriptions ordered by due time (a binary min-heap). */
  readonly #heap: Subscription[] = [];
  #timer: { cancel(): void } | undefined;
  #timerDue = Infinity;
  #stats = { caughtUp: 0, skipped: 0 };
  readonly #spread: boolean;
  /** How many streams send in each millisecond of the frame (by their start time), when spreading. */
  readonly #phaseLoad: number[] = new Array<number>(frameMs).fill(0);

  constructor(options: PacingClockOptions = {}) {
    this.#clock = options.clock ?? monotonicClock;
    this.#maxCatchUp = options.maxCatchUpFrames ?? 3;
    this.#early = options.earlyMs ?? 0.5;
    this.#spread = options.spreadStarts ?? false;
  }

  /**
   * Starts a subscription whose frame 0 is due now — or, spreading starts, in the quietest
   * millisecond of the next 20 — and the returned function ends it.
   */
  subscribe(listener: FrameListener): () => void {
    const now = this.#clock.now();
    const start = this.#spread ? now + this.#quietestOffset(now) : now;
    const phase = phaseOf(start);
    if (this.#spread) this.#phaseLoad[phase] = (this.#phaseLoad[phase] ?? 0) + 1;
    const subscription: Subscription = { listener, start, frame: 0, due: start, active: true };
    this.#push(subscription);
    this.#arm();
    return () => {
      if (!subscription.active) return;
      subscription.active = false;
      if (this.#spread) this.#phaseLoad[phase] = Math.max(0, (this.#phaseLoad[phase] ?? 0) - 1);
      const index = this.#heap.indexOf(subscription);
      if (index >= 0) this.#removeAt(index);
      if (this.#heap.length === 0) this.#disarm();
    };
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  get size(): number {
    return this.#heap.length;
  }

  get stats(): PacingStats {
    return { ...this.#stats };
  }

  /** How many milliseconds from `now` the least used millisecond of the frame begins (the nearest of equals). */
  #quietestOffset(now: number): number {
    const from = phaseOf(now);
    let best = 0;
    for (let offset = 1; offset < frameMs; offset++) {
      if ((this.#phaseLoad[(from + offset) % frameMs] ?? 0) < (this.#phaseLoad[(from + best) % frameMs] ?? 0))
        best = offset;
    }
    return best;
  }

  /** The time frame `frame` of a subscription started at `start` is due: what senders measure lateness against. */
  static due(start: number, frame: number): number {
    return start + frame * frameMs;
  }

  #tick(): void {
    this.#timer = undefined;
    this.#timerDue = Infinity;
    const now = this.#clock.now();
    while (this.#heap.length > 0 && this.#heap[0]!.due <= now + this.#early) {
      const subscription = this.#heap[0]!;
      const behind = Math.floor((now - subscription.due) / frameMs);
      if (behind > this.#maxCatchUp) {
        this.#stats.skipped += behind;
        subscription.frame += behind;
      }
      this.#deliver(subscription);
      if (!subscription.active) continue;
      if (behind > 0 && behind <= this.#maxCatchUp) this.#stats.caughtUp += 1;
      subscription.frame += 1;
      subscription.due = PacingClock.due(subscription.start, subscription.frame);
      // A listener may have subscribed another stream, so find this one rather than assume the top.
      const index = this.#heap[0] === subscription ? 0 : this.#heap.indexOf(subscription);
      if (index >= 0) this.#siftDown(index);
    }
    this.#arm();
  }

  #deliver(subscription: Subscription): void {
    try {
      subscription.listener(subscription.frame);
    } catch {
      // A listener that throws must not stop the others' audio; it is the listener's to report.
    }
  }

  #arm(): void {
    const next = this.#heap[0];
    if (next === undefined) return;
    if (this.#timer !== undefined && this.#timerDue <= next.due) return;
    this.#timer?.cancel();
    this.#timerDue = next.due;
    const delay = Math.max(0, next.due - this.#clock.now());
    this.#timer = this.#clock.setTimer(delay, () => this.#tick());
  }

  #disarm(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerDue = Infinity;
  }

  #push(subscription: Subscription): void {
    this.#heap.push(subscription);
    this.#siftUp(this.#heap.length - 1);
  }

  #removeAt(index: number): void {
    const last = this.#heap.pop()!;
    if (index === this.#heap.length) return;
    this.#heap[index] = last;
    this.#siftDown(index);
    this.#siftUp(index);
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.due <= heap[index]!.due) return;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left]!.due < heap[smallest]!.due) smallest = left;
      if (right < heap.length && heap[right]!.due < heap[smallest]!.due) smallest = right;
      if (smallest === index) return;
      [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
      index = smallest;
    }
  }
}

/** Which millisecond of the 20 ms frame a time falls in. */
function phaseOf(time: number): number {
  return ((Math.floor(time) % frameMs) + frameMs) % frameMs;
}
