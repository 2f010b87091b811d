import { describe, expect, it } from 'vitest';
import { decodeG711, encodeG711 } from './g711.js';
import { levelDb } from './silence-detector.js';
import { readWav, writeWav } from './wav.js';

function wav(format: number, bits: number, rate: number, channels: number, data: Buffer): Buffer {
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(format, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 8);
  fmt.writeUInt16LE((channels * bits) / 8, 12);
  fmt.writeUInt16LE(bits, 14);
  const chunk = (id: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body]);
  };
  const body = Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt), chunk('data', data)]);
  return chunk('RIFF', body);
}

describe('WAV files', () => {
  it('16-bit PCM and G.711 files at 8 kHz mono MUST read as samples', () => {
    const pcm = Buffer.alloc(4);
    pcm.writeInt16LE(1000, 0);
    pcm.writeInt16LE(-1000, 2);
    expect([...readWav(wav(1, 16, 8000, 1, pcm))]).toEqual([1000, -1000]);
    expect([...readWav(wav(7, 8, 8000, 1, Buffer.from([0xff, 0x00])))]).toEqual([0, -32124]);
  });

  it('an unsupported format, or not a WAV at all, MUST be refused saying how to convert it', () => {
    expect(() => readWav(wav(2, 4, 8000, 1, Buffer.alloc(8)), 'adpcm.wav')).toThrow(
      /adpcm\.wav has audio format 2 with 4 bits.*sox adpcm\.wav -r 8000 -c 1/,
    );
    expect(() => readWav(Buffer.from('not audio at all'), 'x.mp3')).toThrow(/x\.mp3 is not a WAV file/);
  });

  it('a written file MUST read back: 16-bit PCM exactly, µ-law and A-law as their G.711 round trip', () => {
    const samples = Int16Array.from({ length: 801 }, (_, i) => Math.round(12000 * Math.sin(i / 7)));
    expect(readWav(writeWav(samples, 'pcm16'))).toEqual(samples);
    for (const law of ['pcmu', 'pcma'] as const) {
      const file = writeWav(samples, law);
      expect(readWav(file)).toEqual(decodeG711(law, encodeG711(law, samples)));
      // An odd-length data chunk is padded to an even size, as RIFF requires.
      expect(file.length % 2).toBe(0);
      expect(Buffer.from(file).toString('latin1', 38, 42)).toBe('fact');
    }
    const header = Buffer.from(writeWav(samples, 'pcm16'));
    expect(header.readUInt16LE(20)).toBe(1);
    expect(header.readUInt32LE(24)).toBe(8000);
    expect(header.readUInt16LE(34)).toBe(16);
  });

  it('8-, 24- and 32-bit PCM and 32-bit float MUST read as the same 16-bit samples', () => {
    const eight = Buffer.from([128, 192, 64]);
    expect([...readWav(wav(1, 8, 8000, 1, eight))]).toEqual([0, 16384, -16384]);
    const s24 = Buffer.alloc(6);
    s24.writeIntLE(1000 * 256, 0, 3);
    s24.writeIntLE(-1000 * 256, 3, 3);
    expect([...readWav(wav(1, 24, 8000, 1, s24))]).toEqual([1000, -1000]);
    const s32 = Buffer.alloc(8);
    s32.writeInt32LE(1000 * 65536, 0);
    s32.writeInt32LE(-1000 * 65536, 4);
    expect([...readWav(wav(1, 32, 8000, 1, s32))]).toEqual([1000, -1000]);
    const float = Buffer.alloc(8);
    float.writeFloatLE(0.5, 0);
    float.writeFloatLE(-0.25, 4);
    expect([...readWav(wav(3, 32, 8000, 1, float))]).toEqual([16384, -8192]);
  });

  it('stereo MUST be mixed to mono, and 44.1 kHz MUST be resampled to 8 kHz keeping the tone and removing what 8 kHz cannot carry', () => {
    const rate = 44100;
    const seconds = 0.5;
    const tone = (hz: number, amplitude: number) =>
      Array.from({ length: rate * seconds }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)));
    const left = tone(1000, 8000);
    const right = tone(1000, 8000);
    const stereo = Buffer.alloc(left.length * 4);
    left.forEach((value, i) => {
      stereo.writeInt16LE(value, i * 4);
      stereo.writeInt16LE(right[i]!, i * 4 + 2);
    });
    const samples = readWav(wav(1, 16, rate, 2, stereo));
    expect(samples.length).toBe(8000 * seconds);
    // A 1 kHz sine keeps its frequency (two zero crossings a period) and its level (−15 dBFS RMS).
    const middle = samples.subarray(400, 3600);
    let crossings = 0;
    for (let i = 1; i < middle.length; i++) if (middle[i - 1]! < 0 !== middle[i]! < 0) crossings += 1;
    expect(crossings).toBeGreaterThanOrEqual(798);
    expect(crossings).toBeLessThanOrEqual(802);
    expect(levelDb(middle)).toBeCloseTo(levelDb(left.slice(2000, 20000)), 0);
    // 6 kHz is above 8 kHz's Nyquist frequency: it must not fold back into the band as a 2 kHz tone.
    const treble = Buffer.alloc(rate * seconds * 2);
    tone(6000, 8000).forEach((value, i) => treble.writeInt16LE(value, i * 2));
    expect(levelDb(readWav(wav(1, 16, rate, 1, treble)).subarray(400, 3600))).toBeLessThan(levelDb(middle) - 40);
  });

  it('a 16 kHz file MUST be resampled to half as many samples', () => {
    const pcm = Buffer.alloc(16000 * 2);
    for (let i = 0; i < 16000; i++)
      pcm.writeInt16LE(Math.round(5000 * Math.sin((2 * Math.PI * 440 * i) / 16000)), i * 2);
    expect(readWav(wav(1, 16, 16000, 1, pcm)).length).toBe(8000);
  });

  it('a file without a format or audio chunk MUST be refused saying what is wrong', () => {
    const riff = (body: Buffer) => {
      const head = Buffer.alloc(12);
      head.write('RIFF', 0, 'latin1');
      head.writeUInt32LE(body.length + 4, 4);
      head.write('WAVE', 8, 'latin1');
      return Buffer.concat([head, body]);
    };
    expect(() => readWav(riff(Buffer.alloc(0)), 'empty.wav')).toThrow(/empty\.wav has no format chunk/);
    const dataFirst = Buffer.concat([Buffer.from('data'), Buffer.from([2, 0, 0, 0, 0, 0])]);
    expect(() => readWav(riff(dataFirst), 'odd.wav')).toThrow(/odd\.wav has its audio before its format/);
    const onlyFormat = wav(1, 16, 8000, 1, Buffer.alloc(0)).subarray(0, 36);
    expect(() => readWav(onlyFormat, 'f.wav')).toThrow(/f\.wav has no audio/);
    expect(() => readWav(wav(1, 16, 8000, 1, Buffer.alloc(4)), 'ok.wav')).not.toThrow();
  });
});
