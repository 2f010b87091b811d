import { describe, expect, it } from 'vitest';
import { InbandDtmfDetector, dtmfTone } from './inband-dtmf.js';
import { dtmfDigits } from './telephone-event.js';

/** A deterministic pseudo-random source, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const silence = (ms: number) => new Int16Array((ms * 8000) / 1000);

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function detect(samples: Int16Array, chunk = 160): string {
  const detector = new InbandDtmfDetector();
  let found = '';
  for (let at = 0; at < samples.length; at += chunk) found += detector.push(samples.subarray(at, at + chunk)).join('');
  return found;
}

/** Voiced speech: a wandering pitch with harmonics shaped by two formants, as a vowel sounds. */
function speechLike(ms: number, seed: number): Int16Array {
  const next = random(seed);
  const out = new Int16Array((ms * 8000) / 1000);
  let phase = 0;
  let pitch = 110 + next() * 120;
  const formants = [500 + next() * 400, 1100 + next() * 900];
  for (let i = 0; i < out.length; i++) {
    if (i % 400 === 0) {
      pitch = Math.min(260, Math.max(90, pitch + (next() - 0.5) * 40));
      formants[0] = 300 + next() * 600;
      formants[1] = 900 + next() * 1500;
    }
    phase += (2 * Math.PI * pitch) / 8000;
    let value = 0;
    for (let harmonic = 1; harmonic * pitch < 3400; harmonic++) {
      const hz = harmonic * pitch;
      const gain = formants.reduce((g, f) => g + 1 / (1 + ((hz - f) / 120) ** 2), 0.05);
      value += gain * Math.sin(harmonic * phase);
    }
    out[i] = Math.round(value * 2500);
  }
  return out;
}

describe('in-band DTMF (Goertzel)', () => {
  it('each of the 16 keys MUST be detected once from its tones, between silences', () => {
    for (const digit of dtmfDigits) {
      expect(detect(concat(silence(40), dtmfTone(digit, { durationMs: 100 }), silence(60)))).toBe(digit);
    }
  });

  it('a dialled sequence MUST come out in order, whatever size the audio arrives in', () => {
    const keys = '0123456789*#ABCD';
    const audio = concat(...[...keys].map((k) => concat(dtmfTone(k as never, { durationMs: 80 }), silence(60))));
    expect(detect(audio)).toBe(keys);
    expect(detect(audio, 97)).toBe(keys);
  });

  it('a key held for two seconds MUST be reported once, and a one-block drop-out MUST not split it', () => {
    expect(detect(dtmfTone('5', { durationMs: 2000 }))).toBe('5');
    const withDropout = concat(
      dtmfTone('5', { durationMs: 200 }),
      silence(20),
      dtmfTone('5', { durationMs: 200, startSample: 1760 }),
    );
    expect(detect(withDropout)).toBe('5');
  });

  it('tones within the allowed twist MUST be accepted, and beyond it rejected', () => {
    expect(detect(dtmfTone('8', { durationMs: 100, columnGainDb: -6 }))).toBe('8');
    expect(detect(dtmfTone('8', { durationMs: 100, columnGainDb: 3 }))).toBe('8');
    expect(detect(dtmfTone('8', { durationMs: 100, columnGainDb: -12 }))).toBe('');
    expect(detect(dtmfTone('8', { durationMs: 100, columnGainDb: 7 }))).toBe('');
  });

  it('a tone too quiet, too short, or one frequency alone MUST not be a digit', () => {
    expect(detect(dtmfTone('3', { durationMs: 100, amplitude: 150 }))).toBe('');
    expect(detect(concat(silence(20), dtmfTone('3', { durationMs: 20 }), silence(40)))).toBe('');
    const rowOnly = Int16Array.from({ length: 800 }, (_, i) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 697 * i) / 8000)),
    );
    expect(detect(rowOnly)).toBe('');
  });

  it('white noise, speech-like audio and music MUST not trigger it', () => {
    const next = random(42);
    const noise = Int16Array.from({ length: 8000 * 5 }, () => Math.round((next() - 0.5) * 20000));
    expect(detect(noise)).toBe('');
    for (let seed = 1; seed <= 10; seed++) expect(detect(speechLike(3000, seed))).toBe('');
    // A sustained chord of four notes (C major with an octave), the case music-on-hold detectors fail.
    const chord = [523.25, 659.25, 783.99, 1046.5];
    const music = Int16Array.from({ length: 8000 * 3 }, (_, i) =>
      Math.round(chord.reduce((sum, hz) => sum + 3000 * Math.sin((2 * Math.PI * hz * i) / 8000), 0)),
    );
    expect(detect(music)).toBe('');
  });

  it('a key pressed over quiet noise MUST still be detected', () => {
    const next = random(7);
    const tone = dtmfTone('9', { durationMs: 120 });
    const noisy = Int16Array.from(tone, (value) => value + Math.round((next() - 0.5) * 1500));
    expect(detect(noisy)).toBe('9');
  });
});
