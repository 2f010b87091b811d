import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EncodedAudio,
  FrameClock,
  LoopPlayer,
  Mixer,
  RtpStream,
  decodeG711,
  decodeRtp,
  encodeG711,
  encodeRtp,
  readWav,
  type RtpPacket,
} from './index.js';

describe('G.711', () => {
  it('silence MUST encode to 0xFF (µ-law) and 0xD5 (A-law), as the standard tables give', () => {
    expect(encodeG711('pcmu', [0])[0]).toBe(0xff);
    expect(encodeG711('pcma', [0])[0]).toBe(0xd5);
    expect(decodeG711('pcmu', Uint8Array.of(0xff))[0]).toBe(0);
    expect(decodeG711('pcmu', Uint8Array.of(0x00))[0]).toBe(-32124);
    expect(decodeG711('pcma', Uint8Array.of(0x55))[0]).toBe(-8);
  });

  it("a round trip MUST stay within the law's quantisation step, and every code MUST survive decode → encode", () => {
    for (const law of ['pcmu', 'pcma'] as const) {
      for (let sample = -32768; sample <= 32767; sample += 97) {
        const back = decodeG711(law, encodeG711(law, [sample]))[0]!;
        expect(Math.abs(back - sample)).toBeLessThanOrEqual(Math.max(16, Math.abs(sample) / 16) + 8);
      }
      for (let code = 0; code < 256; code++) {
        const linear = decodeG711(law, Uint8Array.of(code));
        const again = encodeG711(law, linear)[0]!;
        // µ-law has two codes for zero (0x7F, 0xFF); both decode to 0.
        expect(decodeG711(law, Uint8Array.of(again))[0]).toBe(linear[0]);
      }
    }
  });
});

describe('RTP packets (RFC 3550)', () => {
  it('a packet MUST read back as written, and RTCP or short data MUST not read as RTP', () => {
    const packet: RtpPacket = {
      payloadType: 8,
      sequence: 65535,
      timestamp: 4294967295,
      ssrc: 0xdeadbeef,
      marker: true,
      payload: Uint8Array.of(1, 2, 3),
    };
    const bytes = encodeRtp(packet);
    expect(bytes.length).toBe(15);
    expect(decodeRtp(bytes)).toEqual({ ...packet, payload: bytes.subarray(12) });
    expect(decodeRtp(Uint8Array.of(0x80, 200, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toBeUndefined();
    expect(decodeRtp(Uint8Array.of(0x80, 0))).toBeUndefined();
  });
});

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

  it('another rate, stereo, or not a WAV at all MUST be refused saying how to convert it', () => {
    expect(() => readWav(wav(1, 16, 44100, 2, Buffer.alloc(8)), 'song.wav')).toThrow(
      /song\.wav is 44100 Hz with 2 channel\(s\).*sox song\.wav -r 8000 -c 1/,
    );
    expect(() => readWav(Buffer.from('not audio at all'), 'x.mp3')).toThrow(/x\.mp3 is not a WAV file/);
  });
});

describe('streams, player and mixer on loopback', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  async function listener(): Promise<{ port: number; packets: RtpPacket[] }> {
    const socket = createSocket('udp4');
    const packets: RtpPacket[] = [];
    socket.on('message', (data) => {
      const packet = decodeRtp(data);
      if (packet !== undefined) packets.push({ ...packet, payload: Uint8Array.from(packet.payload) });
    });
    await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
    closers.push(() => socket.close());
    return { port: socket.address().port, packets };
  }

  async function stream(): Promise<RtpStream> {
    const opened = await RtpStream.open('127.0.0.1');
    closers.push(() => opened.close());
    return opened;
  }

  const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));

  it('a loop player MUST send 20 ms G.711 frames with rising sequence and timestamp, looping the audio', async () => {
    const clock = new FrameClock();
    const far = await listener();
    const out = await stream();
    out.target = { address: '127.0.0.1', port: far.port, payloadType: 0 };
    const tone = Int16Array.from({ length: 320 }, (_, i) => (i < 160 ? 8000 : -8000));
    const player = new LoopPlayer(clock, out, new EncodedAudio(tone), 'pcmu');
    await wait(200);
    player.stop();
    expect(clock.running).toBe(false);
    expect(far.packets.length).toBeGreaterThanOrEqual(5);
    const [first, second, third] = far.packets;
    expect(first?.payload.length).toBe(160);
    expect(second!.sequence).toBe((first!.sequence + 1) & 0xffff);
    expect(second!.timestamp - first!.timestamp).toBe(160);
    expect(decodeG711('pcmu', first!.payload)[0]).toBeGreaterThan(7000);
    expect(decodeG711('pcmu', second!.payload)[0]).toBeLessThan(-7000);
    expect(third!.payload).toEqual(first!.payload);
  });

  it("the mixer MUST send each party the others' audio, not its own", async () => {
    const clock = new FrameClock();
    const mixer = new Mixer(clock);
    closers.push(() => mixer.close());
    const parties = await Promise.all([listener(), listener(), listener()]);
    const streams = await Promise.all([stream(), stream(), stream()]);
    streams.forEach((s, i) => {
      s.target = { address: '127.0.0.1', port: parties[i]!.port, payloadType: 0 };
      mixer.add(s, 'pcmu');
    });
    // Parties 0 and 1 speak steadily (2000 and 3000); party 2 is silent.
    const senders = await Promise.all([stream(), stream()]);
    senders.forEach((s, i) => (s.target = { address: '127.0.0.1', port: streams[i]!.localPort, payloadType: 0 }));
    const levels = [2000, 3000];
    const timer = setInterval(() => {
      senders.forEach((s, i) => s.send(encodeG711('pcmu', new Int16Array(160).fill(levels[i]!)), 160));
    }, 20);
    closers.push(() => clearInterval(timer));
    await wait(400);
    const level = (packets: RtpPacket[]) => {
      const recent = packets.slice(-5).map((p) => decodeG711('pcmu', p.payload)[80]!);
      return Math.max(...recent);
    };
    expect(level(parties[2]!.packets)).toBeGreaterThan(4700); // 2000 + 3000
    expect(level(parties[0]!.packets)).toBeGreaterThan(2800); // party 1 only
    expect(level(parties[0]!.packets)).toBeLessThan(3300);
    expect(level(parties[1]!.packets)).toBeGreaterThan(1800); // party 0 only
    expect(level(parties[1]!.packets)).toBeLessThan(2300);
  });
});
