import { describe, expect, it } from 'vitest';
import { SilenceDetector, levelDb } from './silence-detector.js';

const frame = (amplitude: number, seed = 1) => {
  let state = seed;
  return Int16Array.from({ length: 160 }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.round(((state / 2 ** 32) * 2 - 1) * amplitude);
  });
};

describe('silence detection', () => {
  it('levels MUST read in dBFS: full-scale square 0 dB, half scale −6 dB, digital silence −Infinity', () => {
    expect(levelDb(new Int16Array(160).fill(-32768))).toBeCloseTo(0, 5);
    expect(levelDb(new Int16Array(160).fill(16384))).toBeCloseTo(-6.02, 1);
    expect(levelDb(new Int16Array(160))).toBe(-Infinity);
  });

  it('silence MUST be counted from the last loud frame, and line noise MUST count as silence', () => {
    const detector = new SilenceDetector({ thresholdDb: -45 });
    expect(detector.heardSound).toBe(false);
    expect(detector.push(frame(8000))).toBe(0);
    expect(detector.heardSound).toBe(true);
    // Noise at about −55 dBFS (amplitude 100 uniform) is below the threshold.
    for (let i = 0; i < 49; i++) detector.push(frame(100, i + 2));
    expect(detector.push(frame(100, 99))).toBeCloseTo(1, 5);
    expect(detector.push(frame(3000))).toBe(0);
    expect(detector.silentSeconds).toBe(0);
  });
});
