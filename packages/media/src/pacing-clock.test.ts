import { FakeClock } from '@strowger/core';
import { describe, expect, it } from 'vitest';
import { PacingClock } from './pacing-clock.js';

describe('pacing clock', () => {
  it('frame n MUST be delivered at start + n × 20 ms, however late each timer fires', () => {
    const clock = new FakeClock(0);
    const lateClock = {
      now: () => clock.now(),
      // Every timer fires 3 ms late, as a busy event loop makes it.
      setTimer: (ms: number, callback: () => void) => clock.setTimer(ms + 3, callback),
    };
    const pacing = new PacingClock({ clock: lateClock, earlyMs: 0 });
    const at: number[] = [];
    const stop = pacing.subscribe(() => at.push(clock.now()));
    clock.advance(1000);
    stop();
    // Lateness never accumulates: frame 40 is 3 ms late, not 40 × 3.
    expect(at.length).toBe(50);
    at.forEach((time, frame) => expect(time - frame * 20).toBeLessThanOrEqual(3));
    expect(pacing.running).toBe(false);
  });

  /** A clock whose next timer can be made to fire late, as a stalled event loop does. */
  function stallable(clock: FakeClock) {
    let extra = 0;
    return {
      clock: {
        now: () => clock.now(),
        setTimer: (ms: number, callback: () => void) => {
          const timer = clock.setTimer(ms + extra, callback);
          extra = 0;
          return timer;
        },
      },
      stallNextTimer: (ms: number) => (extra = ms),
    };
  }

  it('after a short stall it MUST send the missed frames at once, losing none', () => {
    const clock = new FakeClock(0);
    const { clock: stalling, stallNextTimer } = stallable(clock);
    const pacing = new PacingClock({ clock: stalling, maxCatchUpFrames: 3, earlyMs: 0 });
    const frames: number[] = [];
    pacing.subscribe((frame) => frames.push(frame));
    clock.advance(99);
    stallNextTimer(65);
    clock.advance(161);
    expect(frames).toEqual([...Array(14).keys()]);
    expect(pacing.stats).toEqual({ caughtUp: 3, skipped: 0 });
  });

  it('after a long stall it MUST skip to the frame due now instead of sending seconds of audio at once', () => {
    const clock = new FakeClock(0);
    const { clock: stalling, stallNextTimer } = stallable(clock);
    const pacing = new PacingClock({ clock: stalling, maxCatchUpFrames: 3, earlyMs: 0 });
    const frames: number[] = [];
    pacing.subscribe((frame) => frames.push(frame));
    clock.advance(99);
    stallNextTimer(1000);
    clock.advance(1061);
    // Frame 6 was due at 120 and the timer fired at 1120: frames 6–55 are skipped, 56 goes on time.
    expect(frames).toEqual([0, 1, 2, 3, 4, 5, 56, 57, 58]);
    expect(pacing.stats.skipped).toBe(50);
  });

  it('subscriptions MUST each keep their own phase, and ending one MUST leave the others running', () => {
    const clock = new FakeClock(0);
    const pacing = new PacingClock({ clock, earlyMs: 0 });
    const a: number[] = [];
    const b: number[] = [];
    const stopA = pacing.subscribe(() => a.push(clock.now()));
    clock.advance(7);
    const stopB = pacing.subscribe(() => b.push(clock.now()));
    clock.advance(100);
    expect(a).toEqual([0, 20, 40, 60, 80, 100]);
    expect(b).toEqual([7, 27, 47, 67, 87, 107]);
    stopA();
    clock.advance(40);
    expect(a.length).toBe(6);
    expect(b.at(-1)).toBe(147);
    stopB();
    stopB();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a listener that starts another subscription MUST keep both on their own schedules', () => {
    const clock = new FakeClock(0);
    const pacing = new PacingClock({ clock, earlyMs: 0 });
    const first: number[] = [];
    const second: number[] = [];
    pacing.subscribe((frame) => {
      first.push(clock.now());
      if (frame === 1) pacing.subscribe(() => second.push(clock.now()));
    });
    clock.advance(100);
    expect(first).toEqual([0, 20, 40, 60, 80, 100]);
    expect(second).toEqual([20, 40, 60, 80, 100]);
  });

  it('a listener that throws MUST not stop the others', () => {
    const clock = new FakeClock(0);
    const pacing = new PacingClock({ clock });
    let ticks = 0;
    pacing.subscribe(() => {
      throw new Error('broken listener');
    });
    pacing.subscribe(() => (ticks += 1));
    clock.advance(60);
    expect(ticks).toBe(4);
  });

  it('spreading starts, streams started together MUST each take the quietest millisecond of the frame', () => {
    const clock = new FakeClock(0);
    const pacing = new PacingClock({ clock, spreadStarts: true });
    const firstSends: number[] = [];
    for (let i = 0; i < 40; i++) {
      let sent = false;
      pacing.subscribe(() => {
        if (!sent) firstSends.push(clock.now());
        sent = true;
      });
    }
    clock.advance(20);
    // Forty streams over twenty milliseconds: two in each, none more than 19 ms late to start.
    const perMillisecond = new Map<number, number>();
    for (const at of firstSends) perMillisecond.set(at % 20, (perMillisecond.get(at % 20) ?? 0) + 1);
    expect([...perMillisecond.values()]).toEqual(new Array(20).fill(2));
    expect(Math.max(...firstSends)).toBeLessThan(20);
  });
});
