import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import { CallStatistics } from './call-statistics.js';

describe('the call series for the dashboard', () => {
  it('MUST cover the last hour in 360 ten-second intervals, with no gaps', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 30, 8, 0, 0));
    const view = new CallStatistics(clock).view();
    expect(view.bucketSeconds).toBe(10);
    expect(view.items).toHaveLength(360);
    expect(view.items.at(-1)?.at).toBe('2026-11-30T08:00:00.000Z');
    expect(view.items.every((point) => point.callsStarted === 0 && point.concurrentCalls === 0)).toBe(true);
  });

  it('MUST count calls started per interval, calls per second and the most at once', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 30, 8, 0, 0));
    const stats = new CallStatistics(clock);
    for (let i = 0; i < 5; i += 1) stats.callStarted();
    stats.callEnded();
    stats.callLegFailed();
    clock.advance(10_000);
    stats.callEnded();
    const [previous, latest] = stats.view().items.slice(-2);
    expect(previous).toMatchObject({ callsStarted: 5, callsPerSecond: 0.5, concurrentCalls: 5, failedCalls: 1 });
    expect(latest).toMatchObject({ callsStarted: 0, concurrentCalls: 4, failedCalls: 0 });
    expect(stats.view().concurrentCalls).toBe(3);
  });

  it('an interval without events MUST show the calls still going on through it', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 30, 8, 0, 0));
    const stats = new CallStatistics(clock);
    stats.callStarted();
    stats.callStarted();
    clock.advance(60_000);
    expect(
      stats
        .view()
        .items.slice(-6)
        .map((point) => point.concurrentCalls),
    ).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('intervals older than an hour MUST be dropped, and an end without a start MUST not go below zero', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 30, 8, 0, 0));
    const stats = new CallStatistics(clock);
    stats.callStarted();
    clock.advance(3_600_000);
    stats.callEnded();
    stats.callEnded();
    const view = stats.view();
    expect(view.items.reduce((sum, point) => sum + point.callsStarted, 0)).toBe(0);
    expect(view.concurrentCalls).toBe(0);
  });
});
