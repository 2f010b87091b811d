/**
 * In-band DTMF detection: for peers that send key presses as tones in the audio instead of as
 * RFC 4733 events. Each 20 ms block of 8 kHz samples is measured at the eight DTMF frequencies with
 * the Goertzel algorithm, and a block holds a digit only when the tones pass the checks ITU-T Q.24
 * and every production detector make: loud enough, one clear row and one clear column tone, their
 * levels within the allowed twist, and together almost all of the block's energy (speech and music
 * spread theirs over many frequencies). A digit is reported once, when two blocks in a row hold it.
 */
import type { DtmfDigit } from './telephone-event.js';

/** Row (low group) and column (high group) frequencies in Hz; the key is at their crossing. */
export const dtmfRowHz = [697, 770, 852, 941] as const;
export const dtmfColumnHz = [1209, 1336, 1477, 1633] as const;

/** The keypad as rows × columns, each key named as in RFC 4733's event list. */
const keypad: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

/** The row and column frequency of a key. */
export function dtmfFrequencies(digit: DtmfDigit): { row: number; column: number } {
  const row = keypad.findIndex((keys) => keys.includes(digit));
  const column = keypad[row]!.indexOf(digit);
  return { row: dtmfRowHz[row]!, column: dtmfColumnHz[column]! };
}

const sampleRate = 8000;
const blockLength = 160;
const dB = (value: number): number => 10 ** (value / 10);

export interface InbandDtmfOptions {
  /** The weakest tone accepted, as a peak amplitude of 16-bit audio (default 400, about −38 dBFS). */
  readonly minAmplitude?: number;
  /** How much weaker the column tone may be than the row tone, in dB (default 8, Q.24's normal twist). */
  readonly normalTwistDb?: number;
  /** How much weaker the row tone may be than the column tone, in dB (default 4, reverse twist). */
  readonly reverseTwistDb?: number;
  /** The share of the block's energy the two tones must hold together (default 0.8). */
  readonly minToneShare?: number;
  /** How far the strongest tone of a group must stand above the next of the group, in dB (default 8). */
  readonly groupMarginDb?: number;
}

/** Goertzel coefficient 2·cos(2πf/fs) for each frequency, rows then columns. */
const coefficients = [...dtmfRowHz, ...dtmfColumnHz].map((hz) => 2 * Math.cos((2 * Math.PI * hz) / sampleRate));

/**
 * Squared magnitude of the block's spectrum at one frequency (the Goertzel recurrence), scaled to
 * the energy a sinusoid of that frequency contributes to the block: A²·N/2 for amplitude A.
 */
function toneEnergy(block: Float64Array, coefficient: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < block.length; i++) {
    const s0 = block[i]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * power) / block.length;
}

export class InbandDtmfDetector {
  readonly #minToneEnergy: number;
  readonly #normalTwist: number;
  readonly #reverseTwist: number;
  readonly #minToneShare: number;
  readonly #groupMargin: number;
  readonly #block = new Float64Array(blockLength);
  readonly #energies = new Float64Array(8);
  #filled = 0;
  /** The digit of the previous block, and the digit being reported (held until it stops). */
  #candidate: DtmfDigit | undefined;
  #current: DtmfDigit | undefined;
  #missed = 0;

  constructor(options: InbandDtmfOptions = {}) {
    const minAmplitude = options.minAmplitude ?? 400;
    this.#minToneEnergy = (minAmplitude * minAmplitude * blockLength) / 2;
    this.#normalTwist = dB(options.normalTwistDb ?? 8);
    this.#reverseTwist = dB(options.reverseTwistDb ?? 4);
    this.#minToneShare = options.minToneShare ?? 0.8;
    this.#groupMargin = dB(options.groupMarginDb ?? 8);
  }

  /** Feeds 8 kHz samples of any length; returns the digits whose tones began in them, in order. */
  push(samples: ArrayLike<number>): DtmfDigit[] {
    const found: DtmfDigit[] = [];
    for (let i = 0; i < samples.length; i++) {
      this.#block[this.#filled++] = samples[i]!;
      if (this.#filled === blockLength) {
        this.#filled = 0;
        const digit = this.#follow(this.#classify(this.#block));
        if (digit !== undefined) found.push(digit);
      }
    }
    return found;
  }

  /**
   * Q.24 asks that a tone be recognised once however long it lasts, and that a drop-out of one
   * block not split it in two: a digit is reported after two blocks that hold it, and the detector
   * is ready for the next after two that do not.
   */
  #follow(digit: DtmfDigit | undefined): DtmfDigit | undefined {
    if (this.#current !== undefined) {
      if (digit === this.#current) {
        this.#missed = 0;
        return undefined;
      }
      this.#missed += 1;
      if (this.#missed < 2) return undefined;
      this.#current = undefined;
    }
    const confirmed = digit !== undefined && digit === this.#candidate;
    this.#candidate = digit;
    if (!confirmed) return undefined;
    this.#current = digit;
    this.#missed = 0;
    this.#candidate = undefined;
    return digit;
  }

  /** The key one block holds, if its tones pass every check. */
  #classify(block: Float64Array): DtmfDigit | undefined {
    const energies = this.#energies;
    for (let i = 0; i < 8; i++) energies[i] = toneEnergy(block, coefficients[i]!);
    const row = strongest(energies, 0);
    const column = strongest(energies, 4);
    const rowEnergy = energies[row]!;
    const columnEnergy = energies[column]!;
    if (rowEnergy < this.#minToneEnergy || columnEnergy < this.#minToneEnergy) return undefined;
    // Twist: the column tone may be weaker than the row by the normal twist, stronger by the reverse.
    if (columnEnergy * this.#normalTwist < rowEnergy || rowEnergy * this.#reverseTwist < columnEnergy) return undefined;
    for (let i = 0; i < 4; i++) {
      if (i !== row && energies[i]! * this.#groupMargin > rowEnergy) return undefined;
      if (i + 4 !== column && energies[i + 4]! * this.#groupMargin > columnEnergy) return undefined;
    }
    let total = 0;
    for (let i = 0; i < block.length; i++) total += block[i]! * block[i]!;
    if (rowEnergy + columnEnergy < this.#minToneShare * total) return undefined;
    return keypad[row]![column - 4];
  }
}

function strongest(energies: Float64Array, from: number): number {
  let best = from;
  for (let i = from + 1; i < from + 4; i++) if (energies[i]! > energies[best]!) best = i;
  return best;
}

/** Two-tone DTMF audio of a key, for tests and for peers that want in-band tones: 8 kHz samples. */
export function dtmfTone(
  digit: DtmfDigit,
  options: { durationMs?: number; amplitude?: number; columnGainDb?: number; startSample?: number } = {},
): Int16Array {
  const { row, column } = dtmfFrequencies(digit);
  const length = Math.round(((options.durationMs ?? 100) * sampleRate) / 1000);
  const amplitude = options.amplitude ?? 6000;
  const columnAmplitude = amplitude * 10 ** ((options.columnGainDb ?? 0) / 20);
  const start = options.startSample ?? 0;
  return Int16Array.from({ length }, (_, i) => {
    const t = (start + i) / sampleRate;
    return Math.round(
      amplitude * Math.sin(2 * Math.PI * row * t) + columnAmplitude * Math.sin(2 * Math.PI * column * t),
    );
  });
}
