/**
 * WAV files (RIFF "WAVE"), read as and written from 8 kHz mono 16-bit samples, telephony's rate.
 *
 * Read: linear PCM of 8, 16, 24 or 32 bits, 32-bit float, G.711 µ-law and A-law, plain or in
 * WAVE_FORMAT_EXTENSIBLE; several channels are mixed down to one and other rates resampled to
 * 8 kHz. Written: µ-law, A-law or 16-bit PCM at 8 kHz mono, what phones and voicemail systems expect.
 */
import { ErrorCode, StrowgerError } from '@strowger/core';
import { decodeG711, encodeG711 } from './g711.js';
import { resample } from './resample.js';

export const telephonyRate = 8000;

/** How a written WAV file holds its samples. */
export type WavEncoding = 'pcmu' | 'pcma' | 'pcm16';

const FormatCode = { Pcm: 1, Float: 3, Alaw: 6, Mulaw: 7, Extensible: 0xfffe } as const;
const riffHeaderLength = 12;
const chunkHeaderLength = 8;
const minFormatLength = 16;

interface WavFormat {
  readonly code: number;
  readonly channels: number;
  readonly rate: number;
  readonly bits: number;
}

const text = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

function invalid(name: string, why: string): StrowgerError {
  return new StrowgerError(
    ErrorCode.InvalidArgument,
    `${name} ${why}; convert it with "sox ${name} -r 8000 -c 1 -e mu-law out.wav"`,
    { details: { file: name } },
  );
}

function readFormat(view: DataView, offset: number, length: number): WavFormat {
  let code = view.getUint16(offset, true);
  // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
  if (code === FormatCode.Extensible && length >= 26) code = view.getUint16(offset + 24, true);
  return {
    code,
    channels: view.getUint16(offset + 2, true),
    rate: view.getUint32(offset + 4, true),
    bits: view.getUint16(offset + 14, true),
  };
}

/** One channel's samples as numbers in the 16-bit range, or undefined when the format is not one we read. */
function sampleReader(format: WavFormat, view: DataView, data: Uint8Array): ((index: number) => number) | undefined {
  const { code, bits } = format;
  if (code === FormatCode.Mulaw && bits === 8) {
    const linear = decodeG711('pcmu', data);
    return (i) => linear[i]!;
  }
  if (code === FormatCode.Alaw && bits === 8) {
    const linear = decodeG711('pcma', data);
    return (i) => linear[i]!;
  }
  if (code === FormatCode.Pcm && bits === 8) return (i) => (view.getUint8(i) - 128) << 8;
  if (code === FormatCode.Pcm && bits === 16) return (i) => view.getInt16(i * 2, true);
  if (code === FormatCode.Pcm && bits === 24) {
    return (i) =>
      ((view.getUint8(i * 3 + 2) << 24) | (view.getUint8(i * 3 + 1) << 16) | (view.getUint8(i * 3) << 8)) >> 16;
  }
  if (code === FormatCode.Pcm && bits === 32) return (i) => view.getInt32(i * 4, true) / 65536;
  if (code === FormatCode.Float && bits === 32) return (i) => view.getFloat32(i * 4, true) * 32767;
  return undefined;
}

/**
 * Reads the audio of a WAV file as 8 kHz mono 16-bit samples. `name` is how errors refer to the
 * file. A file that is not a WAV, or holds a format other than those above, is refused with an
 * InvalidArgument error that says how to convert it.
 */
export function readWav(data: Uint8Array, name = 'the file'): Int16Array {
  if (data.length < riffHeaderLength || text(data, 0, 4) !== 'RIFF' || text(data, 8, 4) !== 'WAVE') {
    throw invalid(name, 'is not a WAV file');
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let format: WavFormat | undefined;
  for (let offset = riffHeaderLength; offset + chunkHeaderLength <= data.length;) {
    const id = text(data, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const start = offset + chunkHeaderLength;
    // A truncated last chunk (a recorder that died mid-write) is read as far as it goes.
    const end = Math.min(data.length, start + size);
    if (id === 'fmt ') {
      if (end - start < minFormatLength) throw invalid(name, 'has a format chunk too short to read');
      format = readFormat(view, start, end - start);
    } else if (id === 'data') {
      if (format === undefined) throw invalid(name, 'has its audio before its format');
      return decodeData(format, data.subarray(start, end), name);
    }
    offset = start + size + (size % 2);
  }
  throw invalid(name, format === undefined ? 'has no format chunk' : 'has no audio');
}

function decodeData(format: WavFormat, data: Uint8Array, name: string): Int16Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = sampleReader(format, view, data);
  if (read === undefined) {
    throw invalid(name, `has audio format ${format.code} with ${format.bits} bits, not PCM, float or G.711`);
  }
  if (format.channels < 1 || format.rate < 1)
    throw invalid(name, `says it has ${format.channels} channels at ${format.rate} Hz`);
  const frameBytes = (format.channels * format.bits) / 8;
  const frames = Math.floor(data.length / frameBytes);
  const mono = new Float64Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < format.channels; channel++) sum += read(frame * format.channels + channel);
    mono[frame] = sum / format.channels;
  }
  if (format.rate !== telephonyRate) return resample(mono, format.rate, telephonyRate);
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(mono[i]!);
    out[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
  }
  return out;
}

/**
 * Writes 8 kHz mono samples as a WAV file. G.711 files carry the `fact` chunk the format requires
 * for non-PCM data (its sample count), and an 18-byte format chunk.
 */
export function writeWav(samples: Int16Array, encoding: WavEncoding = 'pcm16'): Uint8Array {
  const pcm = encoding === 'pcm16';
  const bits = pcm ? 16 : 8;
  const dataLength = samples.length * (bits / 8);
  const formatLength = pcm ? 16 : 18;
  const factLength = pcm ? 0 : chunkHeaderLength + 4;
  const total = riffHeaderLength + chunkHeaderLength + formatLength + factLength + chunkHeaderLength + dataLength;
  const out = new Uint8Array(total + (dataLength % 2));
  const view = new DataView(out.buffer);
  const ascii = (offset: number, id: string) => {
    for (let i = 0; i < id.length; i++) out[offset + i] = id.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  ascii(8, 'WAVE');
  let at = riffHeaderLength;
  ascii(at, 'fmt ');
  view.setUint32(at + 4, formatLength, true);
  view.setUint16(at + 8, pcm ? FormatCode.Pcm : encoding === 'pcmu' ? FormatCode.Mulaw : FormatCode.Alaw, true);
  view.setUint16(at + 10, 1, true);
  view.setUint32(at + 12, telephonyRate, true);
  view.setUint32(at + 16, (telephonyRate * bits) / 8, true);
  view.setUint16(at + 20, bits / 8, true);
  view.setUint16(at + 22, bits, true);
  // The 18-byte form ends with cbSize 0, already zero.
  at += chunkHeaderLength + formatLength;
  if (!pcm) {
    ascii(at, 'fact');
    view.setUint32(at + 4, 4, true);
    view.setUint32(at + 8, samples.length, true);
    at += factLength;
  }
  ascii(at, 'data');
  view.setUint32(at + 4, dataLength, true);
  at += chunkHeaderLength;
  if (pcm) {
    for (let i = 0; i < samples.length; i++) view.setInt16(at + i * 2, samples[i]!, true);
  } else {
    encodeG711(encoding, samples, out.subarray(at, at + dataLength));
  }
  return out;
}
