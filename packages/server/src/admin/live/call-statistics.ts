import { Type, type Static } from '@sinclair/typebox';
import type { Clock } from '../../core/index.js';

/** How long one point of the series covers, and how far back the series reaches. */
export const bucketSeconds = 10;
export const seriesSeconds = 3600;
const bucketCount = seriesSeconds / bucketSeconds;

export const CallStatisticsSchema = Type.Object({
  bucketSeconds: Type.Integer({ description: 'Seconds each point covers.' }),
  concurrentCalls: Type.Integer({ minimum: 0, description: 'Calls in progress now.' }),
  items: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time', description: 'Start of the interval.' }),
      callsStarted: Type.Integer({ minimum: 0 }),
      callsPerSecond: Type.Number({ minimum: 0, description: 'callsStarted divided by the interval.' }),
      concurrentCalls: Type.Integer({ minimum: 0, description: 'The most calls in progress at once in the interval.' }),
      failedCalls: Type.Integer({
        minimum: 0,
        description: 'Call legs that ended in failure (unallocated number, unavailable, rejected, congestion, error).',
      }),
    }),
    { description: 'Oldest first; intervals with no traffic are included, so the series has no gaps.' },
  ),
});

export type CallStatisticsView = Static<typeof CallStatisticsSchema>;

interface Bucket {
  /** The interval's index: its start in ms divided by the interval length. */
  index: number;
  started: number;
  peak: number;
  failed: number;
  /** Calls in progress at the interval's last event. */
  endConcurrent: number;
}

/**
 * Calls started, concurrent calls and failures over the last hour in 10-second intervals, for the
 * dashboard's charts. Kept in memory only (a ring of 360 intervals), so it starts empty at every
 * start; Prometheus at /metrics is the place for longer history.
 */
export class CallStatistics {
  readonly #clock: Clock;
  readonly #buckets: Bucket[] = [];
  #concurrent = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  callStarted(): void {
    const bucket = this.#current();
    this.#concurrent += 1;
    bucket.started += 1;
    bucket.peak = Math.max(bucket.peak, this.#concurrent);
    bucket.endConcurrent = this.#concurrent;
  }

  callEnded(): void {
    const bucket = this.#current();
    // An end without a start (a call that began before this was attached) must not go below zero.
    this.#concurrent = Math.max(0, this.#concurrent - 1);
    bucket.endConcurrent = this.#concurrent;
  }

  callLegFailed(): void {
    this.#current().failed += 1;
  }

  view(): CallStatisticsView {
    const latest = this.#indexAt(this.#clock.now());
    const byIndex = new Map(this.#buckets.map((bucket) => [bucket.index, bucket]));
    const items: CallStatisticsView['items'] = [];
    // An interval without events still had the calls that were going on through it.
    let carried = this.#concurrentBefore(latest - bucketCount + 1);
    for (let index = latest - bucketCount + 1; index <= latest; index += 1) {
      const bucket = byIndex.get(index);
      const concurrent = bucket === undefined ? carried : bucket.peak;
      if (bucket !== undefined) carried = bucket.endConcurrent;
      items.push({
        at: new Date(index * bucketSeconds * 1000).toISOString(),
        callsStarted: bucket?.started ?? 0,
        callsPerSecond: (bucket?.started ?? 0) / bucketSeconds,
        concurrentCalls: concurrent,
        failedCalls: bucket?.failed ?? 0,
      });
    }
    return { bucketSeconds, concurrentCalls: this.#concurrent, items };
  }

  #indexAt(ms: number): number {
    return Math.floor(ms / (bucketSeconds * 1000));
  }

  /**
   * The interval now, created on first use with the calls in progress as it begins; intervals older
   * than the series are dropped.
   */
  #current(): Bucket {
    const index = this.#indexAt(this.#clock.now());
    let bucket = this.#buckets.at(-1);
    if (bucket === undefined || bucket.index !== index) {
      bucket = { index, started: 0, peak: this.#concurrent, failed: 0, endConcurrent: this.#concurrent };
      this.#buckets.push(bucket);
      while (this.#buckets.length > 0 && this.#buckets[0]!.index <= index - bucketCount) this.#buckets.shift();
    }
    return bucket;
  }

  #concurrentBefore(index: number): number {
    let concurrent = 0;
    for (const bucket of this.#buckets) {
      if (bucket.index >= index) break;
      concurrent = bucket.endConcurrent;
    }
    return concurrent;
  }
}
