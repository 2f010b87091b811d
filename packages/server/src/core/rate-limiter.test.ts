import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { KeyedRateLimiter } from './rate-limiter.js';

describe('KeyedRateLimiter', () => {
  it('allows the burst at once, then the rate, per key', () => {
    const clock = new FakeClock(0);
    const limiter = new KeyedRateLimiter({ clock, ratePerSecond: 2, burst: 3 });
    const first = Array.from({ length: 5 }, () => limiter.take('a'));
    expect(first).toEqual([true, true, true, false, false]);
    expect(limiter.take('b')).toBe(true);
    clock.advance(500);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  it('keeps at most maxTracked keys, forgetting the least recently used', () => {
    const clock = new FakeClock(0);
    const limiter = new KeyedRateLimiter({ clock, ratePerSecond: 1, burst: 1, maxTracked: 10 });
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`);
    expect(limiter.tracked).toBe(10);
    // k0 was forgotten, so it starts with a full bucket again; k99, just used, has none left.
    expect(limiter.take('k0')).toBe(true);
    expect(limiter.take('k99')).toBe(false);
  });
});
