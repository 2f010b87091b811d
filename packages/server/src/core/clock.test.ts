import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';

describe('FakeClock', () => {
  it('fires timers in due order, each seeing its own due time', () => {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    clock.setTimer(200, () => seen.push(`b@${clock.now()}`));
    clock.setTimer(100, () => {
      seen.push(`a@${clock.now()}`);
      clock.setTimer(50, () => seen.push(`c@${clock.now()}`));
    });
    clock.advance(1000);
    expect(seen).toEqual(['a@100', 'c@150', 'b@200']);
    expect(clock.now()).toBe(1000);
  });

  it('never fires a cancelled timer, and cancelling twice is harmless', () => {
    const clock = new FakeClock(0);
    let fired = false;
    const timer = clock.setTimer(10, () => (fired = true));
    timer.cancel();
    timer.cancel();
    clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });
});
