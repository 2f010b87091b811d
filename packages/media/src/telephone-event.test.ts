import { describe, expect, it } from 'vitest';
import {
  TelephoneEventReceiver,
  decodeTelephoneEvent,
  dtmfDigits,
  encodeTelephoneEvent,
  telephoneEventFrames,
  type TelephoneEvent,
} from './telephone-event.js';

const payload = (event: number, end: boolean, duration: number) =>
  encodeTelephoneEvent({ event, end, volume: 10, duration });

describe('RFC 4733 telephone-events', () => {
  it('an event MUST encode as the RFC lays it out and read back, for every key', () => {
    // Key 5, E bit set, volume 10, duration 800: 05 8a 03 20.
    expect([...encodeTelephoneEvent({ event: 5, end: true, volume: 10, duration: 800 })]).toEqual([5, 0x8a, 3, 0x20]);
    dtmfDigits.forEach((_, code) => {
      for (const event of [
        { event: code, end: false, volume: 63, duration: 0 },
        { event: code, end: true, volume: 0, duration: 0xffff },
      ] satisfies TelephoneEvent[]) {
        expect(decodeTelephoneEvent(encodeTelephoneEvent(event))).toEqual(event);
      }
    });
    expect(decodeTelephoneEvent(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });

  it('a generated key press MUST grow its duration by a frame per packet and end with three identical end packets', () => {
    const frames = telephoneEventFrames('#', { durationMs: 100 });
    expect(frames.map((f) => f.duration)).toEqual([160, 320, 480, 640, 800, 800, 800]);
    expect(frames.map((f) => f.end)).toEqual([false, false, false, false, true, true, true]);
    expect(new Set(frames.map((f) => f.event))).toEqual(new Set([11]));
    // A press shorter than two frames is still long enough for Q.24 (40 ms).
    expect(telephoneEventFrames('1', { durationMs: 10 }).at(-1)!.duration).toBe(320);
  });

  it('a receiver MUST report a key once for its updates and its three end packets', () => {
    const receiver = new TelephoneEventReceiver();
    const reported = telephoneEventFrames('7').map((event) => receiver.receive(1000, encodeTelephoneEvent(event)));
    expect(reported[0]).toEqual({ digit: '7', timestamp: 1000 });
    expect(reported.slice(1).every((r) => r === undefined)).toBe(true);
  });

  it('the same key pressed twice MUST be reported twice (two events, two timestamps)', () => {
    const receiver = new TelephoneEventReceiver();
    expect(receiver.receive(1000, payload(1, false, 160))?.digit).toBe('1');
    expect(receiver.receive(1000, payload(1, true, 800))).toBeUndefined();
    expect(receiver.receive(3000, payload(1, false, 160))?.digit).toBe('1');
  });

  it('a key whose first packets were lost MUST be reported from its first end packet, once', () => {
    const receiver = new TelephoneEventReceiver();
    expect(receiver.receive(5000, payload(10, true, 800))?.digit).toBe('*');
    expect(receiver.receive(5000, payload(10, true, 800))).toBeUndefined();
    expect(receiver.receive(5000, payload(10, true, 800))).toBeUndefined();
  });

  it('a late packet of an event already reported MUST not report it again after a newer event', () => {
    const receiver = new TelephoneEventReceiver();
    expect(receiver.receive(1000, payload(2, false, 160))?.digit).toBe('2');
    expect(receiver.receive(2000, payload(3, false, 160))?.digit).toBe('3');
    expect(receiver.receive(1000, payload(2, true, 800))).toBeUndefined();
  });

  it('a long press split into segments at the 16-bit duration limit MUST be one key press (§2.5.1.3)', () => {
    const receiver = new TelephoneEventReceiver();
    expect(receiver.receive(0, payload(0, false, 0xffff))?.digit).toBe('0');
    expect(receiver.receive(0xffff, payload(0, false, 800))).toBeUndefined();
  });

  it('events that are not DTMF keys (flash, tones) MUST not be reported as digits', () => {
    const receiver = new TelephoneEventReceiver();
    expect(receiver.receive(100, payload(16, false, 160))).toBeUndefined();
    expect(receiver.receive(200, Uint8Array.of(1))).toBeUndefined();
  });
});
