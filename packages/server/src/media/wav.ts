/**
 * Reads the audio of a WAV file (RIFF, "WAVE") as 8 kHz mono 16-bit samples: linear PCM 16-bit, or
 * G.711 µ-law/A-law. Other rates and channel counts are refused with what to do, since resampling
 * belongs in the tool that made the file (`sox in.wav -r 8000 -c 1 -e mu-law out.wav`).
 */
import { decodeG711 } from './g711.js';

export function readWav(data: Uint8Array, name = 'the file'): Int16Array {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const fail = (why: string) =>
    new Error(`${name} ${why}; convert it with "sox ${name} -r 8000 -c 1 -e mu-law music.wav"`);
  if (view.length < 12 || view.toString('latin1', 0, 4) !== 'RIFF' || view.toString('latin1', 8, 12) !== 'WAVE') {
    throw fail('is not a WAV file');
  }
  let format: { code: number; channels: number; rate: number; bits: number } | undefined;
  for (let offset = 12; offset + 8 <= view.length;) {
    const id = view.toString('latin1', offset, offset + 4);
    const size = view.readUInt32LE(offset + 4);
    const body = view.subarray(offset + 8, Math.min(view.length, offset + 8 + size));
    if (id === 'fmt ' && body.length >= 16) {
      format = {
        code: body.readUInt16LE(0),
        channels: body.readUInt16LE(2),
        rate: body.readUInt32LE(4),
        bits: body.readUInt16LE(14),
      };
    } else if (id === 'data') {
      if (format === undefined) throw fail('has its audio before its format');
      if (format.channels !== 1 || format.rate !== 8000) {
        throw fail(`is ${format.rate} Hz with ${format.channels} channel(s), not 8000 Hz mono`);
      }
      if (format.code === 1 && format.bits === 16) {
        const samples = new Int16Array(Math.floor(body.length / 2));
        for (let i = 0; i < samples.length; i++) samples[i] = body.readInt16LE(i * 2);
        return samples;
      }
      if (format.code === 7) return decodeG711('pcmu', body);
      if (format.code === 6) return decodeG711('pcma', body);
      throw fail(`has audio format ${format.code}/${format.bits} bits, not 16-bit PCM or G.711`);
    }
    offset += 8 + size + (size % 2);
  }
  throw fail('has no audio');
}
