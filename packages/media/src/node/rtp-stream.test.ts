import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EncodedAudio,
  LoopPlayer,
  Mixer,
  PacingClock,
  decodeG711,
  decodeRtp,
  encodeG711,
  type RtpPacket,
} from '../index.js';
import { RtpStream } from './index.js';

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
    const clock = new PacingClock();
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
    const clock = new PacingClock();
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
