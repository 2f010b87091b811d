/**
 * G.711 (ITU-T G.711, 1988): 16-bit linear PCM to 8-bit µ-law or A-law and back, by table. The
 * encoders follow the reference segment/quantisation rules; decoding is a 256-entry lookup.
 */

export type G711Law = 'pcmu' | 'pcma';

const bias = 0x84;
const clip = 32635;

function linearToUlaw(sample: number): number {
  let value = sample;
  const sign = value < 0 ? 0x80 : 0;
  if (value < 0) value = -value;
  if (value > clip) value = clip;
  value += bias;
  let exponent = 7;
  for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (value >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function ulawToLinear(byte: number): number {
  const value = ~byte & 0xff;
  const sign = value & 0x80;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  const magnitude = (((mantissa << 3) + bias) << exponent) - bias;
  return sign !== 0 ? -magnitude : magnitude;
}

function linearToAlaw(sample: number): number {
  let value = sample;
  const sign = value >= 0 ? 0x80 : 0;
  if (value < 0) value = -value - 1;
  if (value > 32767) value = 32767;
  let encoded: number;
  if (value < 256) {
    encoded = value >> 4;
  } else {
    let exponent = 7;
    for (let mask = 0x4000; (value & mask) === 0 && exponent > 1; mask >>= 1) exponent--;
    encoded = (exponent << 4) | ((value >> (exponent + 3)) & 0x0f);
  }
  return (encoded | sign) ^ 0x55;
}

function alawToLinear(byte: number): number {
  const value = byte ^ 0x55;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  if ((value & 0x80) === 0) magnitude = -magnitude;
  return magnitude;
}

const decodeTables: Record<G711Law, Int16Array> = {
  pcmu: Int16Array.from({ length: 256 }, (_, byte) => ulawToLinear(byte)),
  pcma: Int16Array.from({ length: 256 }, (_, byte) => alawToLinear(byte)),
};

/** Linear samples (clipped to 16 bits) to G.711 bytes. */
export function encodeG711(law: G711Law, samples: ArrayLike<number>, out = new Uint8Array(samples.length)): Uint8Array {
  const encode = law === 'pcmu' ? linearToUlaw : linearToAlaw;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i] ?? 0;
    out[i] = encode(sample > 32767 ? 32767 : sample < -32768 ? -32768 : Math.round(sample));
  }
  return out;
}

/** G.711 bytes to linear 16-bit samples. */
export function decodeG711(law: G711Law, bytes: Uint8Array, out = new Int16Array(bytes.length)): Int16Array {
  const table = decodeTables[law];
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i] ?? 0xff] ?? 0;
  return out;
}

/** The RTP static payload type of each law (RFC 3551 §6). */
export const g711PayloadType: Readonly<Record<G711Law, number>> = { pcmu: 0, pcma: 8 };

/** Silence in each law (the code for linear 0). */
export const g711Silence: Readonly<Record<G711Law, number>> = { pcmu: 0xff, pcma: 0xd5 };
